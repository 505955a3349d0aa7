package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuSharesTest {

    @Test
    void theMachinesBusyTimeIsAllButIdleAndIowait() {
        long[] m = CpuShares.parseProcStat(List.of(
                "cpu  100 5 50 800 40 3 2 0 0 0",
                "cpu0 50 2 25 400 20 1 1 0 0 0"));
        assertThat(m).containsExactly(160, 1000);
        assertThat(CpuShares.parseProcStat(List.of("intr 1 2 3"))).containsExactly(0, 0);
    }

    @Test
    void sharesAreOfAllCoresOverTheInterval() {
        CpuShares.Snapshot before = new CpuShares.Snapshot(Map.of("community", 1_000_000_000L), 1000, 10_000);
        CpuShares.Snapshot after = new CpuShares.Snapshot(
                new java.util.LinkedHashMap<>(Map.of("community", 3_000_000_000L, "late", 5L)), 1900, 11_000);
        // 2 s of CPU in 10 s on 2 cores: 10%; a process missing before is left out
        assertThat(after.describeSince(before, Duration.ofSeconds(10), 2)).isEqualTo("community 10.0%, machine 90.0% busy");
    }

    @Test
    void thePlatformsCpuPerItemLeavesTheDriverOut() {
        CpuShares.Snapshot before = new CpuShares.Snapshot(new java.util.LinkedHashMap<>(Map.of("community", 0L)), 0, 0);
        before.nanos().put("postgres", 0L);
        before.nanos().put("driver", 0L);
        CpuShares.Snapshot after = new CpuShares.Snapshot(new java.util.LinkedHashMap<>(Map.of("community",
                3_000_000_000L)), 0, 0);
        after.nanos().put("postgres", 1_000_000_000L);
        after.nanos().put("driver", 9_000_000_000L);
        // 4 s of the platform's CPU over 20 items: 200 ms each
        assertThat(after.perItemSince(before, 20)).isEqualTo("200 ms (community 150 ms, postgres 50.0 ms)");
        assertThat(after.perItemSince(before, 0)).isEqualTo("n/a (none done)");
        assertThat(CpuShares.millisPerItem(after.spentSince(before), 20)).isEqualTo(200.0);
        assertThat(CpuShares.millisPerItem(after.spentSince(before), 0)).isNaN();
    }

    @Test
    void aTallyAddsPhasesUpPerCall() {
        CpuShares.Tally tally = new CpuShares.Tally();
        tally.add(new CpuShares.Snapshot(Map.of("community", 0L, "driver", 0L), 0, 100),
                new CpuShares.Snapshot(Map.of("community", 3_000_000L, "driver", 9_000_000L), 50, 200), 2);
        tally.add(new CpuShares.Snapshot(Map.of("community", 5_000_000L), 300, 1000),
                new CpuShares.Snapshot(Map.of("community", 6_000_000L), 400, 1100), 2);
        // 4 ms of the community's CPU over 4 calls, the driver left out; 150 of 200 jiffies busy
        assertThat(tally.perCall()).isEqualTo("1.00 ms (community 1.00 ms), the machine 75.0% busy");
        assertThat(new CpuShares.Tally().perCall()).isEqualTo("n/a (none done), the machine n/a busy");
    }

    @Test
    void theDriversOwnProcessIsCounted() {
        CpuShares.Snapshot now = CpuShares.take(Map.of(), "/nowhere", List.of(), false);
        assertThat(now.nanos()).containsKeys("postgres", "kafka", "driver");
        assertThat(now.nanos().get("driver")).isPositive();
    }

    @Test
    void postgresIsTheServerInItsPostmasterPidWithItsChildren(@TempDir Path data) throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(data.resolve("postmaster.pid"), self.pid() + "\n" + data + "\n1733606400\n28432\n");
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(CpuShares.postgres(data.toString())).as("the pid's process, then its children")
                    .startsWith(self).contains(child.toHandle());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void withoutAPostmasterPidPostgresIsLookedForByItsCommandLine(@TempDir Path data) {
        assertThat(CpuShares.postgres(data.toString())).as("no server names this directory").isEmpty();
    }
}
