package org.gridlink.kernel.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.gridlink.kernel.units.seeds.CalendarSeed;
import tools.jackson.databind.json.JsonMapper;

/** The sample city's working calendar, read from the seeds, and instants written as Zhengzhou office time. */
final class Calendars {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static final WorkingCalendar ZHENGZHOU = load();

    private Calendars() {
    }

    static WorkingCalendar zhengzhou() {
        return ZHENGZHOU;
    }

    /** An instant given as local time in Zhengzhou, e.g. {@code at("2026-03-06T16:30")}. */
    static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static WorkingCalendar load() {
        try (InputStream in = Calendars.class.getClassLoader().getResourceAsStream("seeds/zhengzhou/calendar.json")) {
            if (in == null) {
                throw new IllegalStateException("seeds/zhengzhou/calendar.json is not on the test classpath");
            }
            return CalendarSeed.read(JsonMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
