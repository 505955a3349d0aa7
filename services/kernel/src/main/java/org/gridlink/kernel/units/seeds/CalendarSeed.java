package org.gridlink.kernel.units.seeds;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.MakeUpWorkingDay;
import org.gridlink.kernel.calendar.OfficePeriod;
import org.gridlink.kernel.calendar.WorkingCalendar;
import tools.jackson.databind.JsonNode;

/** Reads the working calendar from the seed file calendar.json (its shape is described in seeds/README.md). */
public final class CalendarSeed {

    private CalendarSeed() {
    }

    public static WorkingCalendar read(JsonNode root) {
        try {
            ZoneId zone = ZoneId.of(required(root, "zone").asString());
            List<OfficePeriod> office = new ArrayList<>();
            for (JsonNode p : required(root, "officeHours")) {
                office.add(OfficePeriod.of(required(p, "from").asString(), required(p, "to").asString()));
            }
            Set<DayOfWeek> weekend = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode d : required(root, "weekend")) {
                weekend.add(DayOfWeek.valueOf(d.asString().toUpperCase(Locale.ROOT)));
            }
            List<HolidayNotice> years = new ArrayList<>();
            for (JsonNode y : required(root, "years")) {
                years.add(notice(y));
            }
            return new WorkingCalendar(zone, office, weekend, years);
        } catch (RuntimeException e) {
            throw new IllegalStateException("calendar.json: " + e.getMessage(), e);
        }
    }

    /**
     * One year's notice as calendar.json lists it ({@code year}, {@code source}, {@code holidays}, {@code workingDays}),
     * and as a city publishes it (PUT …/calendar/{year}).
     */
    public static HolidayNotice notice(JsonNode y) {
        int year = required(y, "year").asInt();
        List<Holiday> holidays = new ArrayList<>();
        for (JsonNode h : y.path("holidays")) {
            holidays.add(new Holiday(required(h, "name").asString(), h.path("nameEn").asString(null),
                    LocalDate.parse(required(h, "from").asString()), LocalDate.parse(required(h, "to").asString())));
        }
        List<MakeUpWorkingDay> workingDays = new ArrayList<>();
        for (JsonNode w : y.path("workingDays")) {
            workingDays.add(new MakeUpWorkingDay(required(w, "name").asString(), w.path("nameEn").asString(null),
                    LocalDate.parse(required(w, "date").asString())));
        }
        return new HolidayNotice(year, y.path("source").asString(null), holidays, workingDays);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }
}
