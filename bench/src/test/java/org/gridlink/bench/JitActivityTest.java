package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitActivityTest {

    @Test
    void aThreadsCpuIsUserPlusSystemTimeCountedAfterItsName() {
        // a name with a space and a ')' of its own; utime 1234, stime 56
        String stat = "4711 (C2 Compiler) x) S 1 1 1 0 -1 4194368 10 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertThat(JitActivity.cpuTicks(stat)).isEqualTo(1290);
    }

    @Test
    void onlyTheCompilerThreadsOfAProcessCount(@TempDir Path tasks) throws IOException {
        thread(tasks, "1", "java", 5000);
        thread(tasks, "7", "C2 CompilerThre", 300);
        thread(tasks, "8", "C1 CompilerThre", 20);
        thread(tasks, "9", "reactor-http-ep", 900);
        // 320 ticks of 10 ms
        assertThat(JitActivity.compilerNanos(tasks)).isEqualTo(3_200_000_000L);
        assertThat(JitActivity.compilerNanos(tasks.resolve("gone"))).isZero();
    }

    @Test
    void theRealProcessHasCompilerThreads() {
        // this JVM's own: the test runs long enough for its JIT to have compiled something
        JitActivity.Snapshot now = JitActivity.take(Map.of("self", ProcessHandle.current()));
        assertThat(now.nanos().get("self")).isPositive();
    }

    @Test
    void sharesAreOfOneCoreAndTheBusiestComeFirst() {
        JitActivity.Snapshot before = new JitActivity.Snapshot(Map.of("gateway", 0L, "community", 0L, "city", 0L));
        Map<String, Long> now = new LinkedHashMap<>();
        now.put("community", 100_000_000L);
        now.put("gateway", 3_000_000_000L);
        now.put("city", 10_000_000L);
        now.put("late", 5L);
        JitActivity.Snapshot after = new JitActivity.Snapshot(now);
        // over 10 s: 30% and 1%; the city's 0.1% is left out, and so is a process missing before
        assertThat(after.describeSince(before, 10_000_000_000L)).isEqualTo("gateway 30.0%, community 1.00% of a core");
        assertThat(after.coreShareSince(before, 10_000_000_000L)).isEqualTo(0.311);
        assertThat(before.describeSince(before, 10_000_000_000L)).isEqualTo("none over 0.5% of a core");
    }

    private static void thread(Path tasks, String tid, String name, long ticks) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(dir.resolve("comm"), name + "\n");
        Files.writeString(dir.resolve("stat"), tid + " (" + name + ") S 1 1 1 0 -1 0 0 0 0 0 " + (ticks - 10) + " 10 0 0"
                + " 20 0 1 0 5 0 0\n");
    }
}
