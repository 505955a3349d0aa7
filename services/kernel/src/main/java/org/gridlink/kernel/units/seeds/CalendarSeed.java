package org.gridlink.kernel.units.seeds;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gridlink.kernel.calendar.Holiday;
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
            Set<Integer> years = new LinkedHashSet<>();
            List<Holiday> holidays = new ArrayList<>();
            List<MakeUpWorkingDay> workingDays = new ArrayList<>();
            for (JsonNode y : required(root, "years")) {
                int year = required(y, "year").asInt();
                if (!years.add(year)) {
                    throw new IllegalArgumentException("year " + year + " is listed twice");
                }
                for (JsonNode h : y.path("holidays")) {
                    Holiday holiday = new Holiday(required(h, "name").asString(), h.path("nameEn").asString(null),
                            LocalDate.parse(required(h, "from").asString()), LocalDate.parse(required(h, "to").asString()));
                    requireYear(year, holiday.from(), holiday.to(), holiday.name());
                    holidays.add(holiday);
                }
                for (JsonNode w : y.path("workingDays")) {
                    MakeUpWorkingDay day = new MakeUpWorkingDay(required(w, "name").asString(),
                            w.path("nameEn").asString(null), LocalDate.parse(required(w, "date").asString()));
                    requireYear(year, day.date(), day.date(), day.name());
                    workingDays.add(day);
                }
            }
            return new WorkingCalendar(zone, office, weekend, years, holidays, workingDays);
        } catch (RuntimeException e) {
            throw new IllegalStateException("calendar.json: " + e.getMessage(), e);
        }
    }

    // a year's notice may start its 元旦 holiday in the last days of the year before (as the 2024 notice did)
    private static void requireYear(int year, LocalDate from, LocalDate to, String name) {
        if (from.getYear() != year && to.getYear() != year) {
            throw new IllegalArgumentException(name + " (" + from + (from.equals(to) ? "" : " to " + to)
                    + ") is listed under year " + year);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }
}
