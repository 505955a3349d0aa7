package org.gridlink.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void latenciesPrintInMillisecondsToThreeSignificantDigits() {
        assertThat(Formats.millis(4_210)).isEqualTo("4.21 ms");
        assertThat(Formats.millis(12_345)).isEqualTo("12.3 ms");
        assertThat(Formats.millis(123_456)).isEqualTo("123 ms");
        assertThat(Formats.millis(4_010_000)).isEqualTo("4010 ms");
        assertThat(Formats.millis(500)).isEqualTo("0.500 ms");
        assertThat(Formats.millis(0)).isEqualTo("0 ms");
        assertThat(Formats.millis(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void ratiosAndPercentagesSayWhenOneSideIsMissing() {
        assertThat(Formats.ratio(3, 2)).isEqualTo("1.50×");
        assertThat(Formats.ratio(1, 3)).isEqualTo("0.33×");
        assertThat(Formats.ratio(1, 0)).isEqualTo("n/a");
        assertThat(Formats.ratio(Double.NaN, 2)).isEqualTo("n/a");
        assertThat(Formats.percent(412, 800)).isEqualTo("52%");
        assertThat(Formats.percent(900, 800)).isEqualTo("113%");
        assertThat(Formats.percent(1, 0)).isEqualTo("n/a");
    }

    @Test
    void differencesCarryTheirSign() {
        assertThat(Formats.deltaMillis(1_200)).isEqualTo("+1.20 ms");
        assertThat(Formats.deltaMillis(-300)).isEqualTo("-0.300 ms");
        assertThat(Formats.deltaMillis(0)).isEqualTo("+0 ms");
    }

    @Test
    void throughputsAreWholeNumbersFromAHundredUp() {
        assertThat(Formats.number(1234.56)).isEqualTo("1235");
        assertThat(Formats.number(55.54)).isEqualTo("55.5");
        assertThat(Formats.number(7.125)).isEqualTo("7.13");
    }
}
