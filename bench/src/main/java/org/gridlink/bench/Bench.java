package org.gridlink.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.bare.BareEndpoint;
import org.gridlink.bench.baselines.KafkaTools;
import org.gridlink.bench.baselines.PgBench;
import org.gridlink.bench.driver.Formats;
import org.gridlink.bench.driver.LoadDriver;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.driver.Operation;
import org.gridlink.bench.driver.Progress;
import org.gridlink.bench.report.PercentilePlot;
import org.gridlink.bench.report.ResultsFile;
import org.gridlink.bench.report.Row;
import org.gridlink.seeds.CaseBatch;

/**
 * The benchmark: starts its own platform, measures the machine's limits (a bare WebFlux endpoint, pgbench, Kafka's
 * tools) and gridlink against them (intake, gateway overhead, the escalation chain) in one run, and writes
 * {@code bench/results/<date>.md} with a latency plot. Run by {@code bench/run.sh [--quick]}.
 */
public final class Bench {

    private static final String ROLE_BARE = "--bench.role=bare-endpoint";
    /** Planned cases the intake cycles through (CaseBatch): enough that no community or category repeats in step. */
    static final int BATCH_SIZE = 10_000;

    /** How long and how hard each part runs. */
    record Plan(boolean quick, int clients, Duration warmup, Duration measure, Duration phaseWarmup, Duration phase,
                int rounds, double chainRate, Duration chainWarmup, Duration chainMeasure, long producerRecords,
                int e2eMessages) {

        static Plan of(boolean quick, int clients, double chainRate) {
            return quick
                    ? new Plan(true, clients, Duration.ofSeconds(6), Duration.ofSeconds(8), Duration.ofSeconds(1),
                    Duration.ofSeconds(3), 2, chainRate, Duration.ofSeconds(4), Duration.ofSeconds(10), 100_000, 2_000)
                    : new Plan(false, clients, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(2),
                    Duration.ofSeconds(8), 3, chainRate, Duration.ofSeconds(10), Duration.ofSeconds(30), 500_000, 10_000);
        }
    }

    private final Plan plan;
    private final Path home;
    private final BenchPlatform platform;
    private final LoadDriver driver;
    private final ResultsFile results = new ResultsFile();
    private final PercentilePlot plot = new PercentilePlot();
    private final BenchCity city;
    private final List<CaseBatch.PlannedCase> batch;
    private CaseApi api;
    private List<String> communities;

    private Bench(Plan plan, Path home, int portBase, BenchCity city, long batchSeed, boolean profile) {
        this.plan = plan;
        this.home = home;
        this.city = city;
        this.batch = city.batch(batchSeed, BATCH_SIZE);
        this.platform = new BenchPlatform(home, home.resolve("bench/target/run"), portBase, "384m", city.seeds(), profile);
        this.driver = new LoadDriver(Progress.to(System.out, System.console() != null));
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains(ROLE_BARE)) {
            BareEndpoint.main(args);
            return;
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name or --name=value, got " + a);
            }
            int eq = a.indexOf('=');
            o.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        boolean quick = Boolean.parseBoolean(o.getOrDefault("quick", "false"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "8"));
        double chainRate = Double.parseDouble(o.getOrDefault("chain-rate", quick ? "10" : "50"));
        Path home = Path.of(o.getOrDefault("home", ".")).toAbsolutePath().normalize();
        int portBase = Integer.parseInt(o.getOrDefault("port-base", "28000"));
        BenchCity city = BenchCity.of(o.get("city"), home.resolve("bench/target/city"));
        long batchSeed = Long.parseLong(o.getOrDefault("batch-seed", "7"));
        new Bench(Plan.of(quick, clients, chainRate), home, portBase, city, batchSeed,
                Boolean.parseBoolean(o.getOrDefault("profile", "false"))).run(String.join(" ", args));
        System.exit(0); // the Reaper's shutdown hook stops the platform
    }

    private void run(String arguments) throws IOException {
        long started = System.nanoTime();
        String loadAtStart = loadAverage();
        String when = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16);
        BenchPlatform.say("starting the platform (" + (plan.quick ? "quick run" : "full run") + ", " + plan.clients
                + " clients)");
        BenchPlatform.say("city: " + city.name());
        platform.start();
        api = new CaseApi(platform.issuer(), platform.gatewayUrl());
        communities = city.communities();
        BenchPlatform.say("logging in the supervisors of " + communities.size() + " communities and their chains");
        for (String c : communities) {
            api.token(c);
            api.token(c.substring(0, 9) + "000");
            api.token(c.substring(0, 6) + "000000");
            api.token(c.substring(0, 4) + "00000000");
        }

        Measurement bare = bareCeiling();
        Row pg = pgbench();
        Row[] kafka = kafkaTools();
        Measurement[] intake = intake();
        Overhead overhead = gatewayOverhead();
        Chain chain = chain();

        // ---- ratios --------------------------------------------------------------------------------------------
        results.ratio("intake through the gateway / pgbench insert+outbox, " + plan.clients + " clients (TPS)",
                Formats.percent(intake[0].throughput(), pg.throughput()), "≥ 50%");
        results.ratio("intake p99 at half the maximum rate (open loop, " + Formats.number(intake[1].throughput())
                + "/s)", Formats.millis(intake[1].percentileMicros(99)), "< 50 ms");
        results.ratio("one Kafka hop p99 / Kafka EndToEndLatency p99", Formats.ratio(
                chain.allHops.getValueAtPercentile(99), kafka[1].p99()) + " (" + Formats.millis(
                chain.allHops.getValueAtPercentile(99)) + " / " + Formats.millis(kafka[1].p99()) + ")", "≤ 3×");
        results.ratio("community → city chain p99 at " + Formats.number(plan.chainRate) + " cases/s",
                Formats.millis(chain.chain.getValueAtPercentile(99)), "< 250 ms at 100 cases/s");
        results.ratio("intake: gateway / direct throughput",
                Formats.percent(overhead.gatewayIntake.throughput(), overhead.directIntake.throughput()), "≥ 75%");
        results.ratio("intake: gateway p99 − direct p99", Formats.deltaMillis(
                overhead.gatewayIntake.percentileMicros(99) - overhead.directIntake.percentileMicros(99)), "< 5 ms");
        results.ratio("read: gateway / direct throughput",
                Formats.percent(overhead.gatewayRead.throughput(), overhead.directRead.throughput()), "(report)");
        results.ratio("read: gateway p99 − direct p99", Formats.deltaMillis(
                overhead.gatewayRead.percentileMicros(99) - overhead.directRead.percentileMicros(99)), "(report)");
        results.ratio("read: gateway CPU per request / community node CPU per request",
                overhead.cpuRatio(), "push down (a first look: several ×)");
        results.ratio("read through the gateway / bare WebFlux endpoint (throughput)",
                Formats.percent(overhead.gatewayRead.throughput(), bare.throughput()), "(report: the HTTP ceiling)");

        // ---- notes -----------------------------------------------------------------------------------------------
        results.note("Load average (1, 5, 15 min) at the start: " + loadAtStart + "; at the end: " + loadAverage()
                + " (on " + Runtime.getRuntime().availableProcessors() + " cores).");
        results.note("**One machine for everything**: every process of the platform (PostgreSQL, Kafka, identity, four"
                + " nodes, gateway, bare endpoint) ran on the same " + Runtime.getRuntime().availableProcessors()
                + " cores as the load driver; a load average at the start well above zero means something else ran"
                + " too. Read the ratios, not the absolute numbers; the absolute numbers are a lower bound.");
        if (plan.quick) {
            results.note("**--quick**: warm-ups of " + plan.warmup.toSeconds() + " s and measurements of "
                    + plan.measure.toSeconds() + " s (gateway phases " + plan.phase.toSeconds() + " s × " + plan.rounds
                    + " rounds); the tails (p99.9) rest on few samples.");
        }
        results.note("Closed loop (N clients, each waits for its answer): maximum throughput; its latencies are service "
                + "times. Open loop (fixed arrival rate): latency from each request's intended send time "
                + "(coordinated omission corrected), what a user would see.");
        results.note("Intake is POST /api/units/{community}/cases as supervisor.<community> with a real token (PKCE "
                + "login at the identity service), the cases of a reproducible CaseBatch (seeds) in turn: their "
                + "community, grid cell, category and source, an address without coordinates; over the "
                + communities.size() + " communities of " + city.name() + ". In the code as "
                + "measured, a report commits case_record + timeline_entry in one transaction (two inserts) and reads "
                + "the record back for the answer; the outbox row comes with ESCALATE, not with the report. The pgbench "
                + "script does one case_record-shaped insert and one outbox-shaped insert (same columns, indexes and "
                + "NOTIFY trigger) per transaction: the same number of durable writes.");
        results.note("PostgreSQL is durable (fsync and synchronous_commit on, as run-local.sh runs it); gridlink and "
                + "pgbench use the same server.");
        results.note("Escalation hops are timed from the records: the sender's updatedAt of its ESCALATE to the "
                + "receiver's createdAt (outbox, relay, broker, consumer, the receiving transaction). The chain time, "
                + "community ESCALATE to the city's record, includes the benchmark acting as the township and district "
                + "supervisors (seeing the record in the tier's database within " + Arrivals.TICK.toMillis()
                + " ms, then ACCEPT and ESCALATE through the gateway). 'escalation flow' is the whole case, report to the city's record, from "
                + "its intended start.");
        results.note("The benchmark sees a record arrive by one query per tier database every " + Arrivals.TICK.toMillis()
                + " ms for all the cases in flight (Arrivals), not by reading each case at the node: with a backlog, "
                + "hundreds of cases in flight polled the very node whose consumer was behind and fed the backlog.");
        results.note("CPU per request is the process's CPU time (ProcessHandle) over the phase's requests, warm-up "
                + "included, and so holds the JIT compiler's threads too: on a quick run, mostly compilation.");
        results.note("Kafka's EndToEndLatency and ProducerPerformance print whole milliseconds; a hop ratio against a "
                + "1 ms p99 is only as precise as that.");
        results.note("The nodes, gateway and identity service run as child JVMs from their executable jars with "
                + "-Xmx384m, SerialGC and the full JIT (run-local.sh runs them C1 only, for start-up). The gateway's "
                + "per-user and per-address rate limits are raised to 1000000/s for the run (one supervisor per "
                + "community sends hundreds of requests a second).");
        results.note("Left out: scenario 4 (reads on a node holding 1 million records: needs a bulk loader) and "
                + "scenario 5 (roll-up freshness: roll-ups do not exist yet). No profiling yet, so no before/after.");

        results.command("bench/run.sh " + arguments + "        # started " + when + ", took "
                + Math.round((System.nanoTime() - started) / 60e9) + " min");
        results.command("# = ./mvnw -B -q -pl bench -am package -DskipTests, then java -jar bench/target/gridlink-bench.jar "
                + arguments);

        LocalDate today = LocalDate.now();
        Path dir = home.resolve("bench/results");
        String base = today + (plan.quick ? "-quick" : "");
        plot.write(dir.resolve(base + ".png"), "gridlink latency percentiles, " + today
                + (plan.quick ? " (quick run)" : "") + " — shared 2-core machine");
        results.write(dir.resolve(base + ".md"), "gridlink benchmark, " + today + (plan.quick ? " (--quick)" : ""),
                base + ".png");
        System.out.println();
        System.out.println(results.table());
        System.out.println(results.ratiosTable());
        BenchPlatform.say("wrote " + dir.resolve(base + ".md") + " and " + base + ".png");
    }

    // ---- the machine's limits ------------------------------------------------------------------------------------

    private Measurement bareCeiling() {
        String url = platform.bareUrl() + "/hello";
        Measurement m = driver.closedLoop("bare WebFlux GET", plan.clients, plan.warmup, plan.measure,
                () -> api.get(url).thenApply(CaseApi::ok));
        results.row(Row.of(m, "Spring Boot WebFlux, one route, no security: the HTTP ceiling"));
        plot.add("bare WebFlux GET (closed)", m.latencyMicros());
        return m;
    }

    private Row pgbench() {
        PgBench pg = new PgBench("127.0.0.1", platform.postgres().port(), platform.postgres().username(),
                platform.postgres().password(), platform.data().resolve("pgbench"));
        platform.postgres().createDatabaseIfMissing(PgBench.DATABASE);
        pg.createSchema();
        Optional<Path> exe = PgBench.find();
        BenchPlatform.say(exe.map(p -> "pgbench: " + p).orElse("no pgbench binary: a JDBC closed loop instead"));
        Row row;
        if (exe.isPresent()) {
            row = pg.runPgbench(exe.get(), plan.clients, plan.warmup, plan.measure);
            results.command("pgbench -n -h 127.0.0.1 -p " + platform.postgres().port() + " -U postgres -c "
                    + plan.clients + " -j " + Math.min(plan.clients, 2) + " -T " + plan.measure.toSeconds()
                    + " -f intake-outbox.sql -l " + PgBench.DATABASE + "    # script: bench/src/main/java/.../PgBench.java");
        } else {
            row = pg.runJdbc(driver, plan.clients, plan.warmup, plan.measure);
        }
        results.row(row);
        BenchPlatform.say("pgbench: " + Formats.number(row.throughput()) + " tps, p99 " + Formats.millis(row.p99()));
        return row;
    }

    private Row[] kafkaTools() {
        KafkaTools tools = new KafkaTools(platform.kafkaBootstrap(), BenchPlatform.ownClasspath(),
                platform.data().resolve("kafka-tools"));
        tools.createTopic("bench.producer-performance", 2);
        tools.createTopic("bench.end-to-end-latency", 1);
        BenchPlatform.say("Kafka ProducerPerformance, " + plan.producerRecords + " records");
        Row perf = tools.producerPerformance("bench.producer-performance", plan.producerRecords, 1024);
        BenchPlatform.say("Kafka EndToEndLatency, " + plan.e2eMessages + " messages");
        Row e2e = tools.endToEndLatency("bench.end-to-end-latency", plan.e2eMessages, 1024);
        results.row(perf).row(e2e);
        results.command("java -cp <bench classpath> org.apache.kafka.tools.ProducerPerformance --topic "
                + "bench.producer-performance --num-records " + plan.producerRecords + " --record-size 1024 "
                + "--throughput -1 --producer-props bootstrap.servers=" + platform.kafkaBootstrap() + " acks=all");
        results.command("java -cp <bench classpath> org.apache.kafka.tools.EndToEndLatency " + platform.kafkaBootstrap()
                + " bench.end-to-end-latency " + plan.e2eMessages + " all 1024");
        return new Row[] {perf, e2e};
    }

    // ---- gridlink --------------------------------------------------------------------------------------------------

    /** Reports the batch's planned cases in turn (their communities, grid cells, categories and sources). */
    private Operation intakeAt(String base) {
        AtomicLong n = new AtomicLong();
        return () -> api.report(base, batch.get((int) (n.getAndIncrement() % batch.size()))).thenApply(CaseApi::ok);
    }

    private Measurement[] intake() {
        // the first gridlink phase: a longer warm-up, the nodes' and gateway's JIT is still cold
        Measurement closed = driver.closedLoop("intake via gateway", plan.clients, plan.warmup.multipliedBy(2),
                plan.measure,
                intakeAt(platform.gatewayUrl()));
        results.row(Row.of(closed, "the maximum"));
        double half = Math.max(1, closed.throughput() / 2);
        Measurement open = driver.openLoop("intake via gateway", half, plan.warmup, plan.measure,
                intakeAt(platform.gatewayUrl()));
        results.row(Row.of(open, "half the maximum; latency from the intended send time"));
        plot.add("intake, closed " + plan.clients + " clients", closed.latencyMicros());
        plot.add("intake, open " + Formats.number(half) + "/s", open.latencyMicros());
        return new Measurement[] {closed, open};
    }

    /** Gateway against direct, intake and read, alternated in rounds (ABBA), with the processes' CPU time. */
    private final class Overhead {
        Measurement gatewayIntake;
        Measurement directIntake;
        Measurement gatewayRead;
        Measurement directRead;
        long gatewayCpuGatewayRead;
        long nodeCpuDirectRead;
        long nodeCpuGatewayRead;
        long gatewayReadCalls;
        long directReadCalls;

        String cpuRatio() {
            if (gatewayReadCalls == 0 || directReadCalls == 0 || gatewayCpuGatewayRead < 0 || nodeCpuDirectRead < 0) {
                return "n/a";
            }
            double gw = gatewayCpuGatewayRead / (double) gatewayReadCalls / 1000;
            double node = nodeCpuDirectRead / (double) directReadCalls / 1000;
            return Formats.ratio(gw, node) + " (gateway " + Formats.millis(gw) + " CPU, node " + Formats.millis(node)
                    + " CPU per read)";
        }
    }

    private Overhead gatewayOverhead() {
        Map<String, String> reads = new LinkedHashMap<>();
        for (String c : communities) {
            reads.put(c, CaseApi.caseId(api.report(platform.gatewayUrl(), c).join()));
        }
        List<String> units = new ArrayList<>(reads.keySet());
        Overhead o = new Overhead();
        String gw = platform.gatewayUrl();
        String direct = platform.nodeUrl("community");
        for (int round = 0; round < plan.rounds; round++) {
            List<String> order = round % 2 == 0 ? List.of(gw, direct) : List.of(direct, gw);
            for (String base : order) {
                boolean viaGateway = base.equals(gw);
                Measurement m = driver.closedLoop("intake " + (viaGateway ? "via gateway" : "direct") + " r" + (round + 1),
                        plan.clients, plan.phaseWarmup, plan.phase, intakeAt(base));
                if (viaGateway) {
                    o.gatewayIntake = o.gatewayIntake == null ? m : o.gatewayIntake.plus(m);
                } else {
                    o.directIntake = o.directIntake == null ? m : o.directIntake.plus(m);
                }
            }
            for (String base : order) {
                boolean viaGateway = base.equals(gw);
                AtomicLong n = new AtomicLong();
                AtomicLong calls = new AtomicLong();
                long gwCpu = platform.cpuNanos("gateway");
                long nodeCpu = platform.cpuNanos("community");
                Measurement m = driver.closedLoop("read " + (viaGateway ? "via gateway" : "direct") + " r" + (round + 1),
                        plan.clients, plan.phaseWarmup, plan.phase, () -> {
                            calls.incrementAndGet();
                            String unit = units.get((int) (n.getAndIncrement() % units.size()));
                            return api.read(base, unit, reads.get(unit)).thenApply(CaseApi::ok);
                        });
                long gwDelta = platform.cpuNanos("gateway") - gwCpu;
                long nodeDelta = platform.cpuNanos("community") - nodeCpu;
                if (viaGateway) {
                    o.gatewayRead = o.gatewayRead == null ? m : o.gatewayRead.plus(m);
                    o.gatewayCpuGatewayRead += gwDelta;
                    o.nodeCpuGatewayRead += nodeDelta;
                    o.gatewayReadCalls += calls.get();
                } else {
                    o.directRead = o.directRead == null ? m : o.directRead.plus(m);
                    o.nodeCpuDirectRead += nodeDelta;
                    o.directReadCalls += calls.get();
                }
            }
        }
        String load = "closed loop, " + plan.clients + " clients, " + plan.rounds + " rounds alternated";
        o.gatewayIntake = o.gatewayIntake.named("intake via gateway (alternated)", load);
        o.directIntake = o.directIntake.named("intake direct to the community node (alternated)", load);
        o.gatewayRead = o.gatewayRead.named("case page read via gateway (alternated)", load);
        o.directRead = o.directRead.named("case page read direct (alternated)", load);
        results.row(Row.of(o.gatewayIntake, "")).row(Row.of(o.directIntake, "same token; the node checks it itself"))
                .row(Row.of(o.gatewayRead, "GET /api/units/{c}/cases/{id}")).row(Row.of(o.directRead, ""));
        plot.add("read via gateway (closed)", o.gatewayRead.latencyMicros());
        plot.add("read direct (closed)", o.directRead.latencyMicros());
        return o;
    }

    private record Chain(Histogram allHops, Histogram chain) {
    }

    private Chain chain() {
        Arrivals arrivals = new Arrivals(unit -> "gridlink_" + tierOf(unit), platform.postgres()::jdbcUrl,
                platform.postgres().username(), platform.postgres().password());
        EscalationChain chain = new EscalationChain(api, platform.gatewayUrl(), arrivals, communities);
        BenchPlatform.say("one case up the chain first (the inbox consumers join their groups)");
        chain.once();
        driver.openLoop("escalation chain warm-up", plan.chainRate, Duration.ZERO, plan.chainWarmup, chain.operation());
        chain.reset();
        Measurement flow = driver.openLoop("escalation flow", plan.chainRate, Duration.ZERO, plan.chainMeasure,
                chain.operation());
        double seconds = plan.chainMeasure.toSeconds();
        String load = "open loop, " + Formats.number(plan.chainRate) + " cases/s";
        results.row(Row.of(flow, "report, ACCEPT+ESCALATE at 3 tiers, until the city holds it; from the intended start"
                + chain.firstFailure().map(e -> "; first failure: " + rootMessage(e)).orElse("")));
        String[] names = {"hop community → township", "hop township → district", "hop district → city"};
        Histogram[] hops = chain.hops();
        for (int i = 0; i < 3; i++) {
            results.row(Row.of(new Measurement(names[i], load, hops[i], 0, seconds),
                    "sender's ESCALATE (updatedAt) to receiver's record (createdAt)"));
        }
        Histogram all = chain.allHops();
        results.row(Row.of(new Measurement("one hop (all three)", load, all, 0, seconds), ""));
        results.row(Row.of(new Measurement("chain community → city", load, chain.chain(), 0, seconds),
                "includes the township's and district's supervisors (the benchmark) acting"));
        plot.add("one Kafka hop (record to record)", all);
        plot.add("chain community → city", chain.chain());
        return new Chain(all, chain.chain());
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage()).replace('|', '/').replace('\n', ' ');
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    /** A unit's tier from its code (PPCCDDTTTVVV), as the gateway routes. */
    static String tierOf(String unit) {
        if (!unit.endsWith("000")) {
            return "community";
        }
        if (!unit.substring(6, 9).equals("000")) {
            return "township";
        }
        return unit.substring(4, 6).equals("00") ? "city" : "district";
    }
}
