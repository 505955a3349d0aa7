package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallDumpsTest {

    @Test
    void aSecondOfFailuresWithNoAnswerLeavesEveryAppsThreadsBehindOncePerPhase(@TempDir Path logs) throws Exception {
        // this JVM stands in for an app: its threads are dumped by jcmd as an app's would be
        StallDumps stalls = new StallDumps(logs, () -> Map.of("node", ProcessHandle.current()), () -> {
            throw new SQLException("no database in this test");
        });
        Histogram answered = Measurement.newHistogram();
        answered.recordValue(2_000);

        stalls.update("queue page, open loop", 1, 30, answered, 3, 1); // answers came: not a stall
        stalls.update("queue page, open loop", 2, 30, Measurement.newHistogram(), 0, 1); // nothing at all: not yet
        assertThat(stalls.stalls()).isEmpty();
        assertThat(logs).isEmptyDirectory();

        stalls.update("queue page, open loop", 11, 30, Measurement.newHistogram(), 540, 1);
        stalls.update("queue page, open loop", 12, 30, Measurement.newHistogram(), 560, 1); // the same stall
        assertThat(stalls.stalls()).singleElement().asString()
                .contains("'queue page, open loop' stalled 11 s in (540 failed, none answered");

        Path dir = logs.resolve("stall-1-queue-page-open-loop");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(dir.resolve("node-threads.txt"))
                && Files.size(dir.resolve("node-threads.txt")) > 0 && Files.readString(dir.resolve("node-threads.txt"))
                .contains("Full thread dump"));
        assertThat(Files.readString(dir.resolve("driver-threads.txt"))).contains("\"main\"");
        assertThat(Files.readString(dir.resolve("pg_stat_activity.txt"))).contains("no database in this test");
        try (Stream<Path> all = Files.list(logs)) {
            assertThat(all).hasSize(1);
        }
    }
}
