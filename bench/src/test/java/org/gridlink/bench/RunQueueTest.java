package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunQueueTest {

    @Test
    void aThreadsWaitIsTheSecondFieldOfItsSchedstat() {
        assertThat(RunQueue.parse("568735 1200 3\n")).isEqualTo(1200);
        assertThatThrownBy(() -> RunQueue.parse("568735")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessesWaitIsItsThreadsTogether(@TempDir Path dir) throws Exception {
        Path tasks = dir.resolve("task");
        for (String[] thread : new String[][] {{"101", "5 100 1"}, {"102", "7 250 2"}}) {
            Files.createDirectories(tasks.resolve(thread[0]));
            Files.writeString(tasks.resolve(thread[0]).resolve("schedstat"), thread[1] + "\n");
        }
        Files.createDirectories(tasks.resolve("103")); // a thread that ended while it was read: no schedstat
        assertThat(RunQueue.waitNanos(tasks)).contains(350L);
        assertThat(RunQueue.waitNanos(dir.resolve("gone"))).isEmpty();
    }

    @Test
    void thisJvmsThreadsWaitIsReadFromProcOnLinux() {
        assertThat(RunQueue.waitNanos(List.of(ProcessHandle.current())))
                .as("read from /proc/<pid>/task/*/schedstat")
                .hasValueSatisfying(n -> assertThat(n).isNotNegative());
        assertThat(RunQueue.waitNanos(List.of())).contains(0L);
    }
}
