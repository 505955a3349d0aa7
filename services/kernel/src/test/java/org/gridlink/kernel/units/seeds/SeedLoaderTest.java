package org.gridlink.kernel.units.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import org.gridlink.kernel.calendar.OfficePeriod;
import org.gridlink.kernel.calendar.Stage;
import org.gridlink.kernel.calendar.StageLimits;
import org.gridlink.kernel.calendar.WorkingCalendar;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.UnitDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.json.JsonMapper;

class SeedLoaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JSON).load("classpath:seeds/zhengzhou");

    @Test
    void everyCategoryHasATimeLimitForEveryStage() {
        assertThat(SEEDS.categories()).hasSize(20);
        for (Category category : SEEDS.categories()) {
            StageLimits limits = SEEDS.limits(category.code()).orElseThrow(() -> new AssertionError(category.code()));
            for (Stage stage : Stage.values()) {
                assertThat(limits.of(stage)).as("%s %s", category.code(), stage).isNotNull();
            }
        }
        assertThat(SEEDS.limits("NO_SUCH_CATEGORY")).isEmpty();
        assertThat(SEEDS.limits(null)).isEmpty();
    }

    @Test
    void theLimitsAreTheSeeds() {
        StageLimits construction = SEEDS.limits("ILLEGAL_CONSTRUCTION").orElseThrow();
        assertThat(construction.acceptance()).hasToString("2 WORKING_HOURS");
        assertThat(construction.handling()).hasToString("5 WORKING_DAYS");
        assertThat(construction.verification()).hasToString("2 WORKING_DAYS");
        assertThat(SEEDS.limits("GAS_SAFETY").orElseThrow().handling()).hasToString("4 CALENDAR_HOURS");
    }

    @Test
    void theOldSingleTimeLimitStillWorks() {
        assertThat(SEEDS.category("ILLEGAL_CONSTRUCTION").orElseThrow().timeLimit()).isEqualTo(Duration.ofHours(120));
    }

    @Test
    void theCalendarIsZhengzhousFor2025And2026() {
        WorkingCalendar calendar = SEEDS.calendar();
        assertThat(calendar.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(calendar.officeHours()).containsExactly(OfficePeriod.of("09:00", "12:00"), OfficePeriod.of("13:30", "17:30"));
        assertThat(calendar.weekend()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(calendar.years()).containsExactly(2025, 2026);
        assertThat(calendar.holidays()).hasSize(13).allSatisfy(h -> assertThat(h.name()).isNotBlank());
        assertThat(calendar.makeUpWorkingDays()).hasSize(11).allSatisfy(d -> assertThat(d.name()).isNotBlank());
    }

    @Test
    void eachYearHasTheWorkingDaysTheNoticesGive() {
        // 365 days - 104 weekend days - weekdays off (2025: 18, 2026: 19) + make-up working days (2025: 5, 2026: 6)
        assertThat(workingDays(2025)).isEqualTo(248);
        assertThat(workingDays(2026)).isEqualTo(248);
    }

    @Test
    void aCategoryWithoutLimitsIsRefusedWithItsName() {
        assertThatThrownBy(() -> new SeedLoader(new DefaultResourceLoader(), JSON).load("classpath:seeds-without-limits"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GARBAGE_PILE").hasMessageContaining("limits.verification");
    }

    @Test
    void aMalformedCalendarIsRefusedSayingWhere() {
        assertThatThrownBy(() -> CalendarSeed.read(JSON.readTree("""
                {"zone": "Asia/Shanghai", "officeHours": [{"from": "09:00", "to": "17:00"}], "weekend": ["SATURDAY", "SUNDAY"],
                 "years": [{"year": 2026, "workingDays": [{"name": "调休", "date": "2025-02-08"}]}]}
                """))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("calendar.json").hasMessageContaining("listed under year 2026");
        assertThatThrownBy(() -> CalendarSeed.read(JSON.readTree("""
                {"zone": "Asia/Shanghai", "weekend": [], "years": []}
                """))).isInstanceOf(IllegalStateException.class).hasMessageContaining("'officeHours' is missing");
    }

    private static long workingDays(int year) {
        LocalDate first = LocalDate.of(year, 1, 1);
        return first.datesUntil(first.plusDays(Year.of(year).length())).filter(SEEDS.calendar()::isWorkingDay).count();
    }
}
