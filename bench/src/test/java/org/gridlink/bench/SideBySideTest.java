package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    private static SideBySide.Phase phase(String path, boolean b, long calls, double nodeMillis, double pgMillis) {
        return new SideBySide.Phase(path, b, calls, (long) (nodeMillis * 1e6), (long) (pgMillis * 1e6), 8.0);
    }

    @Test
    void eachRoundsBIsSetAgainstTheSameRoundsAAndTheMedianOfThosePairsIsTheAnswer() {
        SideBySide s = new SideBySide();
        // the host slows down from round to round; B costs a tenth less than A within every round
        double[] slowdown = {1.0, 1.5, 2.0};
        for (double f : slowdown) {
            s.add(phase("read", false, 1000, 500 * f, 100));
            s.add(phase("read", true, 1000, 450 * f, 100));
            s.add(phase("report", true, 800, 560 * f, 400 * f));
            s.add(phase("report", false, 800, 560 * f, 320 * f));
        }
        SideBySide.Figure read = s.appCpu("read");
        assertThat(read.ratio()).isCloseTo(0.9, within(1e-9));
        assertThat(read.lowest()).isCloseTo(0.9, within(1e-9));
        assertThat(read.highest()).isCloseTo(0.9, within(1e-9));
        assertThat(read.a()).isCloseTo(0.75, within(1e-9)); // 750 ms over 1000 calls, the middle round
        assertThat(read.b()).isCloseTo(0.675, within(1e-9));
        assertThat(read.rounds()).isEqualTo(3);
        // the ratio of the medians would be the same here; the pairs differ from it once the rounds differ
        assertThat(s.postgresCpu("report").ratio()).isCloseTo(1.25, within(1e-9));
        assertThat(s.appCpu("report").ratio()).isCloseTo(1.0, within(1e-9));
        assertThat(s.throughput("read").a()).isCloseTo(125, within(1e-9));
        assertThat(s.paths()).containsExactly("read", "report");
        assertThat(read.describe(ms -> ms + " ms")).isEqualTo("0.90× (A 0.75 ms, B 0.675 ms; 3 rounds paired, 0.90×–0.90×)");
    }

    @Test
    void theMedianOfPairedRoundsIsNotTheRatioOfTheSidesMedians() {
        SideBySide s = new SideBySide();
        s.add(phase("read", false, 1, 1, 0));
        s.add(phase("read", true, 1, 2, 0)); // 2.0
        s.add(phase("read", false, 1, 4, 0));
        s.add(phase("read", true, 1, 3, 0)); // 0.75
        s.add(phase("read", false, 1, 10, 0));
        s.add(phase("read", true, 1, 9, 0)); // 0.9
        SideBySide.Figure f = s.appCpu("read");
        assertThat(f.ratio()).isCloseTo(0.9, within(1e-9));
        assertThat(f.b() / f.a()).isCloseTo(0.75, within(1e-9));
        assertThat(f.lowest()).isCloseTo(0.75, within(1e-9));
        assertThat(f.highest()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aPathWithoutARoundOnBothSidesHasNoFigure() {
        SideBySide s = new SideBySide();
        s.add(phase("read", false, 10, 1, 0));
        assertThatThrownBy(() -> s.appCpu("read")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read");
    }

    @Test
    void aSetupWithNeitherSettingsNorAJarIsAnAARun() {
        assertThat(new SideBySide.Setup("community", List.of(), Optional.empty()).describe()).contains("A/A");
        assertThat(new SideBySide.Setup("community", List.of("--x=1"), Optional.of(Path.of("/tmp/b.jar"))).describe())
                .isEqualTo("B from /tmp/b.jar with --x=1");
        SideBySide.Setup gateways = new SideBySide.Setup("gateway", List.of(), Optional.of(Path.of("/tmp/g.jar")));
        assertThat(gateways.describe()).isEqualTo("two gateways; B from /tmp/g.jar");
        assertThat(gateways.role()).isEqualTo("gateway");
        assertThat(new SideBySide.Setup("community", List.of(), Optional.empty()).role()).isEqualTo("node");
    }

    @Test
    void onlyACommunityNodeOrAGatewayIsMeasuredSideBySide() {
        assertThatThrownBy(() -> new SideBySide.Setup("city", List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[community, gateway]");
    }

    @Test
    void theMedianOfAnEvenNumberIsTheMeanOfTheMiddleTwo() {
        assertThat(SideBySide.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(SideBySide.median(new double[] {5})).isEqualTo(5);
    }
}
