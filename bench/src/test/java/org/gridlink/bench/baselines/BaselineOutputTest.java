package org.gridlink.bench.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.report.Row;
import org.junit.jupiter.api.Test;

class BaselineOutputTest {

    @Test
    void producerPerformanceIsReadFromItsClosingLine() {
        String out = """
                50001 records sent, 10000.2 records/sec (9.77 MB/sec), 120.1 ms avg latency, 400.0 ms max latency.
                100000 records sent, 24813.9 records/sec (24.23 MB/sec), 95.44 ms avg latency, 412.00 ms max latency, \
                87 ms 50th, 210 ms 95th, 301 ms 99th, 399 ms 99.9th.
                """;

        Row row = KafkaTools.parseProducerPerformance(out, "load");

        assertThat(row.throughput()).isEqualTo(24813.9);
        assertThat(row.count()).isEqualTo(100000);
        assertThat(row.p50()).isEqualTo(87_000);
        assertThat(row.p99()).isEqualTo(301_000);
        assertThat(row.p999()).isEqualTo(399_000);
    }

    @Test
    void endToEndLatencyIsReadFromItsAverageAndPercentiles() {
        String out = """
                0	3.1
                1000	1.2
                Avg latency: 1.4410 ms
                Percentiles: 50th = 1, 99th = 4, 99.9th = 12
                """;

        Row row = KafkaTools.parseEndToEndLatency(out, 2000, 4.0, "load");

        assertThat(row.throughput()).isEqualTo(500);
        assertThat(row.p50()).isEqualTo(1_000);
        assertThat(row.p99()).isEqualTo(4_000);
        assertThat(row.p999()).isEqualTo(12_000);
        assertThat(row.note()).contains("avg 1.4410 ms");
        assertThatThrownBy(() -> KafkaTools.parseEndToEndLatency("nothing", 1, 1, "load"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pgbenchTransactionLogsGiveLatenciesInMicroseconds() {
        var h = Measurement.newHistogram();

        PgBench.addTransactionLog(List.of("0 0 1520 0 1700000000 123456", "1 0 2480 0 1700000000 124000",
                "1 1 skipped 0 1700000000 125000", ""), h);

        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isEqualTo(1520);
        assertThat(h.getMaxValue()).isBetween(2480L, 2483L);
    }

    @Test
    void thePgbenchScriptIsOneTransactionOfACaseInsertAndAnOutboxInsert() {
        List<String> lines = PgBench.script().lines().toList();

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("\\set u random(1, 18)");
        assertThat(lines.get(1)).isEqualTo("BEGIN;");
        assertThat(lines.get(2)).startsWith("insert into bench_case (").contains("(:u % 10)").endsWith(";");
        assertThat(lines.get(3)).startsWith("insert into bench_outbox (").endsWith(";");
        assertThat(lines.get(4)).isEqualTo("END;");
    }
}
