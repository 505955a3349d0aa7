package org.gridlink.kernel.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.gridlink.kernel.calendar.Holiday;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/**
 * A calendar built from the city's published years is put in use only when asked: a refresh that lost the race to a
 * newer one (CalendarPublishing) builds its calendar and must leave the one in use as it is.
 */
class UnitDirectoryCalendarTest {

    static final HolidayNotice TEST_2027 = new HolidayNotice(2027, "测试通知 (a test)",
            List.of(new Holiday("测试假日", "Test holiday", LocalDate.parse("2027-01-01"), LocalDate.parse("2027-01-03"))),
            List.of());

    @Test
    void aCalendarBuiltFromPublishedYearsIsInUseOnlyOnceUsed() {
        UnitDirectory directory = new SeedLoader(new DefaultResourceLoader(), JsonMapper.builder().build())
                .load("classpath:seeds/zhengzhou");
        WorkingCalendar seeds = directory.calendar();

        WorkingCalendar built = directory.withPublished(List.of(TEST_2027));
        assertThat(built.isWorkingDay(LocalDate.parse("2027-01-01"))).isFalse();
        assertThat(directory.calendar()).as("in use before it is used").isSameAs(seeds);

        directory.use(built);
        assertThat(directory.calendar()).isSameAs(built);
        assertThat(directory.withPublished(List.of())).as("the seeds' calendar again, not the one in use")
                .isNotSameAs(built).satisfies(c -> assertThat(c.isWorkingDay(LocalDate.parse("2027-01-01"))).isTrue());
    }
}
