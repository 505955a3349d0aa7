package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CpuSecondsTest {

    static final Instant AT = Instant.parse("2026-12-02T16:00:00Z");

    @Test
    void eachGroupsCpuOverTheSecondIsAShareOfAllTheCores() {
        CpuShares.Snapshot before = snapshot(Map.of("community", 1_000_000_000L, "postgres", 5_000_000_000L));
        CpuShares.Snapshot after = snapshot(Map.of("community", 1_400_000_000L, "postgres", 6_500_000_000L));

        assertThat(CpuSeconds.lines(before, after, 1_000_000_000L, 2, AT)).containsExactly(
                "2026-12-02T16:00:00Z,community,20.0," + System.lineSeparator(),
                "2026-12-02T16:00:00Z,postgres,75.0," + System.lineSeparator());
    }

    @Test
    void aGroupMissingAtEitherEndOrRestartedHasNoLine() {
        CpuShares.Snapshot before = snapshot(Map.of("community", 9_000_000_000L, "township", 1_000_000_000L));
        CpuShares.Snapshot after = snapshot(Map.of("community", 300_000_000L, "city", 100_000_000L,
                "township", 1_100_000_000L));

        assertThat(CpuSeconds.lines(before, after, 1_000_000_000L, 2, AT))
                .containsExactly("2026-12-02T16:00:00Z,township,5.0," + System.lineSeparator());
    }

    @Test
    void eachGroupsWaitForACoreIsAShareOfTheSecondWhereKnown() {
        CpuShares.Snapshot before = new CpuShares.Snapshot(Map.of("community", 1_000_000_000L), 0, 0,
                Map.of("community", 7_000_000_000L));
        // 0.4 s of CPU and 1.5 s of its threads' waits in one second: two threads waiting most of it
        CpuShares.Snapshot after = new CpuShares.Snapshot(Map.of("community", 1_400_000_000L), 0, 0,
                Map.of("community", 8_500_000_000L));

        assertThat(CpuSeconds.lines(before, after, 1_000_000_000L, 2, AT))
                .containsExactly("2026-12-02T16:00:00Z,community,20.0,150.0" + System.lineSeparator());
    }

    @Test
    void theWaitsOverAMeasurementAreDescribedPerGroupOrNotAtAll() {
        CpuShares.Snapshot before = new CpuShares.Snapshot(Map.of("community", 0L), 0, 0,
                new LinkedHashMap<>(Map.of("community", 1_000_000_000L)));
        CpuShares.Snapshot after = new CpuShares.Snapshot(Map.of("community", 0L), 0, 0,
                new LinkedHashMap<>(Map.of("community", 16_000_000_000L)));
        assertThat(after.describeWaitsSince(before, 30_000_000_000L)).isEqualTo("community 50.0%");
        assertThat(snapshot(Map.of("community", 1L)).describeWaitsSince(snapshot(Map.of("community", 0L)), 1))
                .isEqualTo("n/a");
    }

    private static CpuShares.Snapshot snapshot(Map<String, Long> nanos) {
        return new CpuShares.Snapshot(new LinkedHashMap<>(new TreeMap<>(nanos)), 0, 0);
    }
}
