package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelMemoryMonitorTest {

    @TempDir
    Path dir;

    @Test
    void itsCpuIsWhatTheProcessesTookAsTheJdkReadsIt() {
        long own = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        Path self = dir.resolve(String.valueOf(ProcessHandle.current().pid()));
        assertThat(KernelMemoryMonitor.cpuNanos(List.of(self))).hasValueSatisfying(n -> assertThat(n).isPositive()
                .isGreaterThanOrEqualTo(own));
        // a process that has ended counts nothing; no process at all is no monitor
        assertThat(KernelMemoryMonitor.cpuNanos(List.of(dir.resolve("999999999")))).contains(0L);
        assertThat(KernelMemoryMonitor.cpuNanos(List.of())).isEmpty();
    }

    @Test
    void itsThreadsAreFoundByName() throws IOException {
        write("proc/83/comm", "kdamond.0\n");
        write("proc/84/comm", "kworker/0:1\n");
        write("proc/self/comm", "kdamond.9\n");
        assertThat(KernelMemoryMonitor.threads(dir.resolve("proc"))).containsExactly(dir.resolve("proc/83"));
        assertThat(KernelMemoryMonitor.threads(dir.resolve("none"))).isEmpty();
    }

    @Test
    void describesWhatItsSchemesDo() throws IOException {
        String ctx = "admin/kdamonds/0/contexts/0/";
        String scheme = ctx + "schemes/0/";
        Map.ofEntries(
                Map.entry("admin/kdamonds/nr_kdamonds", "1"),
                Map.entry("admin/kdamonds/0/state", "on"),
                Map.entry("admin/kdamonds/0/contexts/nr_contexts", "1"),
                Map.entry(ctx + "operations", "paddr"),
                Map.entry(ctx + "monitoring_attrs/intervals/sample_us", "500000"),
                Map.entry(ctx + "monitoring_attrs/intervals/aggr_us", "5000000"),
                Map.entry(ctx + "schemes/nr_schemes", "1"),
                Map.entry(scheme + "action", "pageout"),
                Map.entry(scheme + "access_pattern/age/min", "12"),
                Map.entry(scheme + "quotas/bytes", "134217728"),
                Map.entry(scheme + "quotas/ms", "50"),
                Map.entry(scheme + "quotas/reset_interval_ms", "1000"),
                Map.entry(scheme + "ops_filters/nr_filters", "2"),
                Map.entry(scheme + "ops_filters/0/type", "anon"),
                Map.entry(scheme + "ops_filters/0/allow", "N"),
                Map.entry(scheme + "ops_filters/1/type", "unmapped"),
                Map.entry(scheme + "ops_filters/1/allow", "Y")).forEach((file, text) -> write(file, text + "\n"));
        assertThat(KernelMemoryMonitor.describe(dir.resolve("admin"))).isEqualTo("kdamond 0 on (paddr, sampled every"
                + " 500 ms; pageout of what was not accessed for 60 s (anon pages refused, unmapped pages allowed), at"
                + " most 128 MiB and 50 ms of CPU every 1000 ms)");
    }

    @Test
    void noMonitorIsNone() throws IOException {
        assertThat(KernelMemoryMonitor.describe(dir.resolve("absent"))).isEqualTo("none");
        write("admin/kdamonds/nr_kdamonds", "0\n");
        assertThat(KernelMemoryMonitor.describe(dir.resolve("admin"))).isEqualTo("none");
    }

    @Test
    void itsCpuIsNotThePlatforms() {
        CpuShares.Snapshot before = new CpuShares.Snapshot(
                Map.of("community", 0L, KernelMemoryMonitor.GROUP, 0L), 0, 0);
        CpuShares.Snapshot after = new CpuShares.Snapshot(
                Map.of("community", 2_000_000L, KernelMemoryMonitor.GROUP, 7_000_000L), 0, 0);
        assertThat(after.spentSince(before)).containsOnlyKeys("community");
        assertThat(after.sharesSince(before, 1_000_000_000L, 1)).containsKeys("community", KernelMemoryMonitor.GROUP);
    }

    private void write(String file, String text) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
