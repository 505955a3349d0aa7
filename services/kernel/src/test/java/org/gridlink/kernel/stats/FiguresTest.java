package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void ratesWithoutADenominatorAreNoDataNotZero() {
        Map<String, Double> rates = Figures.rates(Map.of("reported", 4L, "resolved", 3L, "resolvedOnTime", 3L));
        assertThat(rates.get("handlingRate")).isEqualTo(0.75);
        assertThat(rates.get("onTimeRate")).isEqualTo(1.0);
        assertThat(rates).containsEntry("hotlineSatisfactionRate", null).containsEntry("returnRate", null);
    }

    @Test
    void averageTimeToCloseIsTheSummedSecondsOverTheClosedCases() {
        assertThat(Figures.rates(Map.of("closed", 2L, "closeSeconds", 3L * 3600)).get("averageHoursToClose")).isEqualTo(1.5);
    }

    @Test
    void sectionsAddDayByDayAndSumOverARange() {
        LocalDate d1 = LocalDate.of(2026, 5, 1);
        LocalDate d2 = d1.plusDays(1);
        UnitReport.Section a = new UnitReport.Section(Map.of("status.REPORTED", 1L),
                List.of(new UnitReport.Day(d1, Map.of("reported", 2L)), new UnitReport.Day(d2, Map.of("reported", 1L))));
        UnitReport.Section b = new UnitReport.Section(Map.of("status.REPORTED", 2L, "overdueNow", 1L),
                List.of(new UnitReport.Day(d2, Map.of("reported", 5L, "closed", 1L))));
        UnitReport.Section sum = a.plus(b);
        assertThat(sum.current()).containsEntry("status.REPORTED", 3L).containsEntry("overdueNow", 1L);
        assertThat(sum.between(d1, d2)).containsEntry("reported", 8L).containsEntry("closed", 1L);
        assertThat(sum.between(d2, d2)).containsEntry("reported", 6L);
        assertThat(sum.since(d2).days()).hasSize(1);
    }
}
