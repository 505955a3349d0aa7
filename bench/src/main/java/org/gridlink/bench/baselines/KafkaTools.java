package org.gridlink.bench.baselines;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.gridlink.bench.report.Row;

/**
 * Kafka's own measuring tools from kafka-tools (the broker's version), each in a JVM of its own against the
 * benchmark's broker: {@code ProducerPerformance} (how many records a second one producer gets acknowledged) and
 * {@code EndToEndLatency} (one record at a time, produce with acks=all to consumed).
 */
public final class KafkaTools {

    private static final Pattern PERF = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), "
            + "([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, "
            + "(\\d+) ms 99.9th");
    private static final Pattern E2E_AVG = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern E2E_PCT = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    private final String bootstrap;
    private final String classpath;
    private final Path workDir;

    public KafkaTools(String bootstrap, String classpath, Path workDir) {
        this.bootstrap = bootstrap;
        this.classpath = classpath;
        this.workDir = workDir;
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        }
    }

    /** {@code records} records of {@code size} bytes as fast as the broker takes them, acks=all. */
    public Row producerPerformance(String topic, long records, int size) {
        List<String> cmd = List.of(ToolProcess.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(size), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrap, "acks=all");
        String out = ToolProcess.run(cmd, Map.of(), workDir, workDir.resolve("producer-performance.txt"), 600);
        return parseProducerPerformance(out, "closed loop, 1 producer, " + size + " B records, acks=all");
    }

    /** {@code messages} round trips of one {@code size}-byte record each, produced with acks=all and consumed. */
    public Row endToEndLatency(String topic, int messages, int size) {
        List<String> cmd = List.of(ToolProcess.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                "org.apache.kafka.tools.EndToEndLatency", bootstrap, topic, Integer.toString(messages), "all",
                Integer.toString(size));
        long start = System.nanoTime();
        String out = ToolProcess.run(cmd, Map.of(), workDir, workDir.resolve("end-to-end-latency.txt"), 600);
        double seconds = (System.nanoTime() - start) / 1e9;
        return parseEndToEndLatency(out, messages, seconds, "one record at a time, " + size + " B, acks=all");
    }

    /** The tool's closing line: throughput and its latency percentiles (whole milliseconds). */
    static Row parseProducerPerformance(String out, String load) {
        Matcher m = PERF.matcher(out);
        MatchResult last = null;
        while (m.find()) {
            last = m.toMatchResult(); // the closing line comes after the running ones
        }
        if (last == null) {
            throw new IllegalStateException("no summary line in ProducerPerformance's output:\n" + out);
        }
        return new Row("Kafka ProducerPerformance", load, Double.parseDouble(last.group(2)),
                millisToMicros(last.group(6)), millisToMicros(last.group(8)), millisToMicros(last.group(9)),
                Long.parseLong(last.group(1)), 0, "percentiles in whole ms (the tool's resolution); send to ack");
    }

    /**
     * The tool's average and percentiles (whole milliseconds); its throughput is the wall time of the run (start-up
     * of the tool's JVM included), as it sends one record at a time.
     */
    static Row parseEndToEndLatency(String out, int messages, double seconds, String load) {
        Matcher avg = E2E_AVG.matcher(out);
        Matcher pct = E2E_PCT.matcher(out);
        if (!avg.find() || !pct.find()) {
            throw new IllegalStateException("no latency lines in EndToEndLatency's output:\n" + out);
        }
        return new Row("Kafka EndToEndLatency", load, messages / seconds, millisToMicros(pct.group(1)),
                millisToMicros(pct.group(2)), millisToMicros(pct.group(3)), messages, 0,
                "avg " + avg.group(1) + " ms; percentiles in whole ms (the tool's resolution); produce to consume");
    }

    private static double millisToMicros(String ms) {
        return Double.parseDouble(ms) * 1000;
    }
}
