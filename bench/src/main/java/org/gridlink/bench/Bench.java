package org.gridlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.bare.BareEndpoint;
import org.gridlink.bench.baselines.KafkaTools;
import org.gridlink.bench.baselines.PgBench;
import org.gridlink.bench.driver.Formats;
import org.gridlink.bench.driver.LoadDriver;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.driver.Operation;
import org.gridlink.bench.driver.Progress;
import org.gridlink.bench.driver.SlowRequests;
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

    /**
     * The scenarios, in the order a run takes them ({@code --only} picks some). The million records come last: once
     * loaded they stay, and every scenario after them would run on a node holding them.
     */
    static final List<String> SCENARIOS = List.of("bare", "pgbench", "kafka", "intake", "gateway", "hotpaths",
            "chain", "freshness", "idle", "reads-1m");

    /**
     * Every scenario {@code --only} may name, in the run's order: {@link #SCENARIOS} and those a run takes only when
     * named (two community nodes side by side, {@link SideBySide}).
     */
    static final List<String> NAMEABLE = List.of("bare", "pgbench", "kafka", "intake", "gateway", "hotpaths",
            "side-by-side", "chain", "freshness", "idle", "reads-1m");

    /** Rounds of the side-by-side scenario, each an A and a B phase per path (2 with {@code --quick}). */
    static final int SIDE_BY_SIDE_ROUNDS = 8;

    /** How long and how hard each part runs. */
    record Plan(boolean quick, int clients, Duration warmup, Duration measure, Duration phaseWarmup, Duration phase,
                int rounds, double chainRate, Duration chainWarmup, Duration chainMeasure, long producerRecords,
                int e2eMessages, double freshnessRate, int freshnessProbes, int records, Duration jitSettle,
                double chainBeside, double readsOpenRate) {

        static Plan of(boolean quick, int clients, double chainRate, double freshnessRate, int records) {
            return quick
                    ? new Plan(true, clients, Duration.ofSeconds(6), Duration.ofSeconds(8), Duration.ofSeconds(1),
                    Duration.ofSeconds(3), 2, chainRate, Duration.ofSeconds(4), Duration.ofSeconds(10), 100_000, 2_000,
                    freshnessRate, 5, records, Duration.ZERO, 0, 0)
                    : new Plan(false, clients, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(2),
                    // the chain warms up a minute: the upper tiers' code meets its first traffic there, and with a
                    // 10 s warm-up the JIT was still compiling it (C2 a fifth of the township's CPU) when measured
                    Duration.ofSeconds(8), 3, chainRate, Duration.ofSeconds(60), Duration.ofSeconds(30), 500_000, 10_000,
                    freshnessRate, 20, records, DEFAULT_JIT_SETTLE, 0, 0);
        }

        /** The same plan with the chain's warm-up and measurement as given (null: as planned). */
        Plan withChainTimes(Duration warmup, Duration measure) {
            return new Plan(quick, clients, this.warmup, this.measure, phaseWarmup, phase, rounds, chainRate,
                    warmup == null ? chainWarmup : warmup, measure == null ? chainMeasure : measure, producerRecords,
                    e2eMessages, freshnessRate, freshnessProbes, records, jitSettle, chainBeside, readsOpenRate);
        }

        /** The same plan with the longest JIT settling as given (null: as planned; zero: none). */
        Plan withJitSettle(Duration settle) {
            return new Plan(quick, clients, warmup, measure, phaseWarmup, phase, rounds, chainRate, chainWarmup,
                    chainMeasure, producerRecords, e2eMessages, freshnessRate, freshnessProbes, records,
                    settle == null ? jitSettle : settle, chainBeside, readsOpenRate);
        }

        /** ", beside intake at 97 reports/s" when the chain runs beside intake ({@code --chain-beside}); else "". */
        String chainBesideLabel() {
            return chainBeside > 0 ? ", beside intake at " + Formats.number(chainBeside) + " reports/s" : "";
        }

        /**
         * The same plan with intake through the gateway at {@code reportsPerSecond} beside the chain's measurement (0:
         * none), so that the chain is measured in a city taking in that many reports besides its escalations.
         */
        Plan withChainBeside(double reportsPerSecond) {
            return new Plan(quick, clients, warmup, measure, phaseWarmup, phase, rounds, chainRate, chainWarmup,
                    chainMeasure, producerRecords, e2eMessages, freshnessRate, freshnessProbes, records, jitSettle,
                    reportsPerSecond, readsOpenRate);
        }

        /**
         * The same plan with the queue page's open loop at a million records at {@code pagesPerSecond} (0: half the
         * closed loop's rate measured just before it, the default), so that two builds' tails are compared at one
         * rate rather than at half of each one's own maximum.
         */
        Plan withReadsOpenRate(double pagesPerSecond) {
            if (!(pagesPerSecond >= 0) || Double.isInfinite(pagesPerSecond)) {
                throw new IllegalArgumentException("--reads-open-rate takes pages a second, more than 0 (or 0 for half"
                        + " the closed loop's rate); got " + pagesPerSecond);
            }
            return new Plan(quick, clients, warmup, measure, phaseWarmup, phase, rounds, chainRate, chainWarmup,
                    chainMeasure, producerRecords, e2eMessages, freshnessRate, freshnessProbes, records, jitSettle,
                    chainBeside, pagesPerSecond);
        }

        /** The queue page's open-loop rate: as asked ({@code --reads-open-rate}), or half of {@code closedLoop}. */
        double readsOpenRate(double closedLoop) {
            return readsOpenRate > 0 ? readsOpenRate : closedLoop / 2;
        }

        /** How the queue page's open-loop rate was chosen, for its row and notes. */
        String readsOpenRateLabel() {
            return readsOpenRate > 0 ? "the rate --reads-open-rate asked" : "half the closed loop's rate";
        }
    }

    /**
     * The longest a scenario's load runs before its measurement for the JIT to settle ({@code --jit-settle}, seconds;
     * none with {@code --quick}): see {@link #settleJit}. Eight minutes: the gateway overhead scenario's JIT settled
     * only after 400 s on this machine (issue 8, 2026-12-01), and a scenario that settles sooner goes on sooner.
     */
    static final Duration DEFAULT_JIT_SETTLE = Duration.ofMinutes(8);
    /** The JIT counts as settled once all the platform's compiler threads together used less than this of a core. */
    static final double JIT_QUIET = 0.05;
    /** How long each of a scenario's operations runs in a settling turn. */
    private static final Duration SETTLE_TURN = Duration.ofSeconds(5);
    /**
     * A request slower than this is written to {@code bench/target/slow.csv} with the time it was due: issue 8's
     * queue-page target, under which a read should stay.
     */
    static final Duration SLOW_REQUEST = Duration.ofMillis(20);
    /** Where the queue page's open loop writes the kernel memory monitor's bursts ({@link MonitorBursts}). */
    static final String MONITOR_BURSTS = "kdamond.csv";
    /** The platform left idle between the queue page's open loop's start scrape and its first request. */
    static final Duration OPEN_LOOP_IDLE_START = Duration.ofSeconds(2);

    /**
     * {@code --only}'s list (comma-separated scenario names) as the set of scenarios to run, in the run's order;
     * none given: all of them. An unknown name is refused with the known ones.
     */
    static List<String> only(String option) {
        if (option == null || option.isBlank()) {
            return SCENARIOS;
        }
        List<String> asked = Arrays.stream(option.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        for (String name : asked) {
            if (!NAMEABLE.contains(name)) {
                throw new IllegalArgumentException("--only: no scenario '" + name + "'; the scenarios are "
                        + String.join(", ", NAMEABLE));
            }
        }
        if (asked.isEmpty()) {
            throw new IllegalArgumentException("--only names no scenario; the scenarios are " + String.join(", ", NAMEABLE));
        }
        return NAMEABLE.stream().filter(asked::contains).toList();
    }

    /** What the reads scenario loads unless {@code --records} says otherwise. */
    static final int RECORDS = 1_000_000;

    /**
     * The results' file name without its extension: the day, {@code -quick}, for a partial run what it ran, and for a
     * load of other than a million records its size (so that it never takes the million's name).
     */
    static String baseName(LocalDate day, boolean quick, List<String> scenarios, int records) {
        return day + (quick ? "-quick" : "") + (scenarios.equals(SCENARIOS) ? "" : "-only-" + String.join("-", scenarios))
                + (records == RECORDS || !scenarios.contains("reads-1m") ? "" : "-" + records + "-records");
    }

    /**
     * {@code base}, or {@code base-2}, {@code base-3}, … if a results file of that name is already in {@code dir}: a
     * run never overwrites an earlier one's results (nor the notes written into them by hand).
     */
    static String unused(Path dir, String base) {
        String name = base;
        for (int k = 2; java.nio.file.Files.exists(dir.resolve(name + ".md"))
                || java.nio.file.Files.exists(dir.resolve(name + "-plans.md")); k++) {
            name = base + "-" + k;
        }
        return name;
    }

    private final Plan plan;
    private final List<String> scenarios;
    private final long batchSeed;
    /** Every report sent with an {@code Idempotency-Key} of its own, as the console sends them. */
    private final boolean idempotencyKeys;
    private final SideBySide.Setup sideBySide;
    private final Path home;
    private final BenchPlatform platform;
    private final LoadDriver driver;
    /** What each app was doing when a load phase stalled. */
    private final StallDumps stalls;
    /** How much of the machine the host took (steal) in each load phase. */
    private final HostSteal steal = new HostSteal();
    private final ResultsFile results = new ResultsFile();
    private final PercentilePlot plot = new PercentilePlot();
    private final BenchCity city;
    private final List<CaseBatch.PlannedCase> batch;
    private CaseApi api;
    private CpuSeconds cpuSeconds;
    private CoreSpeedSeconds coreSpeed;
    private List<String> communities;
    /** What {@link #settleJit} and the measurements after it saw of the JIT, one line per scenario. */
    private final List<String> jitNotes = new ArrayList<>();

    private Bench(Plan plan, List<String> scenarios, Path home, int portBase, BenchCity city, long batchSeed,
                  boolean profile, List<String> nodeSettings, List<String> gatewaySettings, boolean c1Only,
                  boolean idempotencyKeys, SideBySide.Setup sideBySide) {
        this.plan = plan;
        this.sideBySide = sideBySide;
        this.idempotencyKeys = idempotencyKeys;
        this.scenarios = scenarios;
        this.batchSeed = batchSeed;
        this.home = home;
        this.city = city;
        this.batch = city.batch(batchSeed, BATCH_SIZE);
        this.platform = new BenchPlatform(home, home.resolve("bench/target/run"), portBase, "384m", city.seeds(), profile,
                nodeSettings, gatewaySettings, c1Only);
        this.stalls = new StallDumps(platform.data().resolve("logs"), platform::processes,
                () -> platform.connect("gridlink_community"));
        Progress shown = Progress.both(Progress.to(System.out, System.console() != null),
                Progress.csv(home.resolve("bench/target/progress.csv")));
        this.driver = new LoadDriver(Progress.both(shown, Progress.both(stalls, steal)),
                SlowRequests.csv(home.resolve("bench/target/slow.csv"), SLOW_REQUEST));
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains(ROLE_BARE)) {
            BareEndpoint.main(args);
            return;
        }
        Map<String, String> o = options(args);
        if (Boolean.parseBoolean(o.getOrDefault("speed", "false"))) {
            machineSpeed(); // the machine's speed alone, to see before a long run whether the host lets it run as usual
            return;
        }
        boolean quick = Boolean.parseBoolean(o.getOrDefault("quick", "false"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "8"));
        double chainRate = Double.parseDouble(o.getOrDefault("chain-rate", "10"));
        Path home = Path.of(o.getOrDefault("home", ".")).toAbsolutePath().normalize();
        int portBase = Integer.parseInt(o.getOrDefault("port-base", "28000"));
        BenchCity city = BenchCity.of(o.get("city"), home.resolve("bench/target/city"));
        long batchSeed = Long.parseLong(o.getOrDefault("batch-seed", "7"));
        double freshnessRate = Double.parseDouble(o.getOrDefault("freshness-rate", quick ? "20" : "100"));
        int records = Integer.parseInt(o.getOrDefault("records", Integer.toString(RECORDS)));
        List<String> scenarios = only(o.get("only"));
        Plan plan = Plan.of(quick, clients, chainRate, freshnessRate, records).withChainTimes(
                seconds(o.get("chain-warmup")), seconds(o.get("chain-measure")))
                .withJitSettle(seconds(o.get("jit-settle")))
                .withChainBeside(Double.parseDouble(o.getOrDefault("chain-beside", "0")))
                .withReadsOpenRate(readsOpenRate(o, scenarios));
        new Bench(plan, scenarios, home, portBase, city, batchSeed,
                Boolean.parseBoolean(o.getOrDefault("profile", "false")), settings("node-args", o.get("node-args")),
                settings("gateway-args", o.get("gateway-args")), c1Only(o.getOrDefault("jit", "full")),
                Boolean.parseBoolean(o.getOrDefault("idempotency-keys", "false")), sideBySide(o, scenarios))
                .run(commandLine(args));
        System.exit(0); // the Reaper's shutdown hook stops the platform
    }

    /**
     * The options as a shell would take them back: one with a character a shell reads ({@code ;} between settings, a
     * space) in single quotes, so that a results file's command line runs as it reads.
     */
    static String commandLine(String... args) {
        return Arrays.stream(args)
                .map(a -> a.matches("[A-Za-z0-9_./=,:@%+-]*") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /**
     * What the side-by-side scenario measures ({@code --side-by-side-app}: the community node, by default, or the
     * gateway) and what B is ({@code --side-by-side-args}, {@code --side-by-side-jar}); any of these without the
     * scenario among those run is refused, so that a half-hour run never ignores what it was asked to compare.
     */
    static SideBySide.Setup sideBySide(Map<String, String> o, List<String> scenarios) {
        SideBySide.Setup setup = new SideBySide.Setup(o.getOrDefault("side-by-side-app", "community"),
                settings("side-by-side-args", o.get("side-by-side-args")),
                Optional.ofNullable(o.get("side-by-side-jar")).filter(j -> !j.isBlank())
                        .map(j -> Path.of(j).toAbsolutePath().normalize()));
        if ((!setup.sameAsA() || o.containsKey("side-by-side-app")) && !scenarios.contains("side-by-side")) {
            throw new IllegalArgumentException("--side-by-side-app, --side-by-side-args and --side-by-side-jar say"
                    + " what the side-by-side scenario compares, which runs only when named: add --only=side-by-side");
        }
        return setup;
    }

    /**
     * {@code --reads-open-rate=250}: the queue page's open loop at a million records at that many pages a second
     * instead of half the closed loop's rate (0, the default). Refused unless the reads run, as a side-by-side option
     * is: a long run should not leave out what it was asked to measure.
     */
    static double readsOpenRate(Map<String, String> o, List<String> scenarios) {
        String value = o.get("reads-open-rate");
        if (value == null) {
            return 0;
        }
        if (!scenarios.contains("reads-1m")) {
            throw new IllegalArgumentException("--reads-open-rate sets the queue page's open loop in the reads-1m"
                    + " scenario, which this run leaves out: add reads-1m to --only");
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--reads-open-rate takes pages a second, like 250; got " + value);
        }
    }

    /** The options {@link #main} reads (run.sh's usage says what each does). */
    static final List<String> OPTIONS = List.of("quick", "only", "clients", "chain-rate", "chain-beside",
            "chain-warmup", "chain-measure", "freshness-rate", "records", "port-base", "city", "batch-seed",
            "node-args", "gateway-args", "jit", "jit-settle", "profile", "speed", "home", "idempotency-keys",
            "side-by-side-app", "side-by-side-args", "side-by-side-jar", "reads-open-rate");

    /**
     * The options by name: {@code --name=value}, or {@code --name} for true. An option it does not know is refused, so
     * that a misspelt one cannot start a half-hour run with the default in its place.
     */
    static Map<String, String> options(String... args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name or --name=value, got " + a);
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("no option --" + name + "; the options are --"
                        + String.join(", --", OPTIONS) + " (bench/run.sh's usage says what each does)");
            }
            o.put(name, eq < 0 ? "true" : a.substring(eq + 1));
        }
        return o;
    }

    /**
     * {@code --node-args=--a=1;--b=2} or {@code --gateway-args=…}: settings every node, or the gateway, starts with
     * besides the platform's own (to try a setting without a rebuild); each must look like {@code --name=value}.
     */
    static List<String> settings(String option, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> settings = Arrays.stream(value.split(";")).map(String::trim).filter(a -> !a.isEmpty()).toList();
        settings.stream().filter(a -> !a.matches("--[A-Za-z0-9._\\[\\]-]+=.*")).findFirst().ifPresent(a -> {
            throw new IllegalArgumentException("--" + option + " takes settings like"
                    + " --gridlink.stats.publish-interval=1s, separated by ';'; got " + a);
        });
        return settings;
    }

    /** {@code --jit=full} (the default: the tiered JIT, C2 included) or {@code --jit=c1} (C1 only, as run-local.sh). */
    static boolean c1Only(String jit) {
        return switch (jit) {
            case "full" -> false;
            case "c1" -> true;
            default -> throw new IllegalArgumentException("--jit takes full (the tiered JIT) or c1 (C1 only); got "
                    + jit);
        };
    }

    /**
     * Copies the run's logs, its progress.csv, cpu.csv and core-speed.csv to {@code into}: the next run deletes
     * bench/target/run/, and a run that went wrong is often looked at after another one started.
     */
    private void keepLogs(Path into) {
        Path logs = platform.data().resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = into.resolve(logs.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (String csv : List.of("progress.csv", "cpu.csv", "core-speed.csv", "slow.csv", MONITOR_BURSTS)) {
                Path file = home.resolve("bench/target").resolve(csv);
                if (Files.exists(file)) { // kdamond.csv only where the machine runs the monitor and reads-1m ran
                    Files.copy(file, into.resolve(csv), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            BenchPlatform.say("the run's logs are kept in " + into);
        } catch (IOException e) {
            BenchPlatform.say("the run's logs could not be kept in " + into + ": " + e);
        }
    }

    private static Duration seconds(String value) {
        return value == null ? null : Duration.ofSeconds(Long.parseLong(value));
    }

    private void run(String arguments) throws IOException {
        long started = System.nanoTime();
        Optional<Long> monitorBefore = KernelMemoryMonitor.cpuNanos();
        // only the reads' open loop writes it: a run without them keeps none of an earlier run's
        Files.deleteIfExists(home.resolve("bench/target/" + MONITOR_BURSTS));
        String loadAtStart = loadAverage();
        String when = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16);
        MachineSpeed.Reading speedBefore = machineSpeed();
        BenchPlatform.say("starting the platform (" + (plan.quick ? "quick run" : "full run") + ", " + plan.clients
                + " clients)");
        BenchPlatform.say("city: " + city.name());
        platform.start();
        // closed when the results are written, before the logs are kept
        cpuSeconds = new CpuSeconds(home.resolve("bench/target/cpu.csv"),
                () -> CpuShares.take(platform, true),
                Runtime.getRuntime().availableProcessors());
        coreSpeed = new CoreSpeedSeconds(home.resolve("bench/target/core-speed.csv"));
        api = new CaseApi(platform.issuer(), platform.gatewayUrl(), idempotencyKeys);
        communities = city.communities();
        BenchPlatform.say("logging in the supervisors of " + communities.size() + " communities and their chains");
        for (String c : communities) {
            api.token(c);
            api.token(c.substring(0, 9) + "000");
            api.token(c.substring(0, 6) + "000000");
            api.token(c.substring(0, 4) + "00000000");
        }

        LocalDate today = LocalDate.now();
        Path dir = home.resolve("bench/results");
        String base = unused(dir, baseName(today, plan.quick, scenarios, plan.records)
                + (platform.c1Only() ? "-c1" : ""));
        Measurement bare = on("bare") ? bareCeiling() : null;
        Row pg = on("pgbench") ? pgbench() : null;
        Row[] kafka = on("kafka") ? kafkaTools() : null;
        Measurement[] intake = on("intake") ? intake() : null;
        Overhead overhead = on("gateway") ? gatewayOverhead() : null;
        HotPathCosts.Result hot = on("hotpaths") ? hotPaths() : null;
        if (on("side-by-side")) {
            sideBySide();
        }
        Chain chain = on("chain") ? chain() : null;
        Freshness freshness = on("freshness") ? freshness() : null;
        if (on("idle")) {
            idle();
        }
        Reads reads = on("reads-1m") ? millionReads(dir.resolve(base + "-plans.md")) : null;

        // ---- ratios --------------------------------------------------------------------------------------------
        if (intake != null && pg != null) {
            results.ratio("intake through the gateway / pgbench insert+outbox, " + plan.clients + " clients (TPS)",
                    Formats.percent(intake[0].throughput(), pg.throughput()), "≥ 50%");
        }
        if (overhead != null && pg != null) {
            // the same reports straight to the node (the gateway overhead's direct rounds): what the node itself
            // makes of PostgreSQL's rate, the gateway's own share being measured against its own target below
            results.ratio("intake direct to the community node / pgbench insert+outbox, " + plan.clients
                    + " clients (TPS)", Formats.percent(overhead.directIntake.throughput(), pg.throughput()),
                    "≥ 50% (the node alone)");
        }
        if (intake != null) {
            results.ratio("intake p99 at half the maximum rate (open loop, " + Formats.number(intake[1].throughput())
                    + "/s)", Formats.millis(intake[1].percentileMicros(99)), "< 50 ms");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double load = chain == null ? Double.NaN : chainLoad(plan.chainRate, chain.cpuMillisPerFlow(), cores);
        String queueing = queueingNote(load);
        String inHop = queueing.isEmpty() ? "" : "; " + queueing;
        if (chain != null && kafka != null && chain.commitHops != null) {
            results.ratio("one Kafka hop p99 (outbox row committed → the receiver's transaction committed) / Kafka"
                    + " EndToEndLatency p99" + plan.chainBesideLabel(), Formats.ratio(
                    chain.commitHops.getValueAtPercentile(99), kafka[1].p99()) + " (" + Formats.millis(
                    chain.commitHops.getValueAtPercentile(99)) + " / " + Formats.millis(kafka[1].p99()) + inHop
                    + ")", "≤ 3×");
        }
        if (chain != null && kafka != null) {
            results.ratio("escalation hop p99 (the sender's ESCALATE, its transaction included → the receiver's"
                    + " record) / Kafka EndToEndLatency p99" + plan.chainBesideLabel(), Formats.ratio(
                    chain.allHops.getValueAtPercentile(99), kafka[1].p99()) + " (" + Formats.millis(
                    chain.allHops.getValueAtPercentile(99)) + " / " + Formats.millis(kafka[1].p99()) + inHop + ")",
                    chain.commitHops != null ? "(report)" : "≤ 3×");
        }
        if (chain != null) {
            results.ratio("community → city chain p99 at " + Formats.number(plan.chainRate) + " cases/s"
                    + plan.chainBesideLabel() + (plan.chainBeside > 0 ? " (" + Formats.number(plan.chainRate
                    + plan.chainBeside) + " cases/s in all)" : ""),
                    Formats.millis(chain.chain.getValueAtPercentile(99))
                            + (queueing.isEmpty() ? "" : " (" + queueing + ")"),
                    "< 250 ms at 100 cases/s");
        }
        if (chain != null && !Double.isNaN(chain.cpuMillisPerFlow())) {
            results.ratio("escalations to the city a second at the platform's CPU per flow ("
                    + Formats.millis(chain.cpuMillisPerFlow() * 1000) + "): this machine's cores fully busy; the cores"
                    + " 100 a second take; the share of the cores the chain's " + Formats.number(plan.chainRate)
                    + "/s kept busy", capacity(chain.cpuMillisPerFlow(), cores) + "; " + Formats.percent(load, 1),
                    "(what the chain's target takes)");
        }
        if (overhead != null) {
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
        }
        if (hot != null) {
            String share = overhead == null || overhead.gatewayReadCalls == 0 ? ""
                    : String.format(Locale.ROOT, "; %.1f%% of the gateway's CPU per read in this run",
                            100 * hot.headerFilters().saved()
                                    / (overhead.gatewayCpuGatewayRead / (double) overhead.gatewayReadCalls));
            results.ratio("the gateway's header filters on a report and its answer: LeanHeaderFilters / Spring Cloud"
                    + " Gateway's own (ns per request, one JVM, alternated)",
                    Formats.percent(hot.headerFilters().after(), hot.headerFilters().before()) + " ("
                            + HotPathCosts.describe(hot.headerFilters()) + share + ")", "(report: push down)");
            results.ratio("a level check that is off: LogEventMetrics' appender / Micrometer's turbo filter"
                    + " (ns per call, one JVM, alternated)",
                    Formats.percent(hot.levelCheck().after(), hot.levelCheck().before()) + " ("
                            + HotPathCosts.describe(hot.levelCheck()) + ")", "(report: push down)");
        }
        if (overhead != null && bare != null) {
            results.ratio("read through the gateway / bare WebFlux endpoint (throughput)",
                    Formats.percent(overhead.gatewayRead.throughput(), bare.throughput()), "(report: the HTTP ceiling)");
        }
        if (freshness != null) {
            Histogram f = freshness.result.freshness();
            results.ratio("city figures include a new case at " + Formats.number(plan.freshnessRate) + " cases/s",
                    f.getTotalCount() == 0 ? "n/a (no probe arrived)" : "p99 " + Formats.millis(f.getValueAtPercentile(99))
                            + " (p50 " + Formats.millis(f.getValueAtPercentile(50)) + ", max "
                            + Formats.millis(f.getMaxValue()) + "; " + f.getTotalCount() + " probes"
                            + (freshness.result.failures() > 0 ? ", " + freshness.result.failures() + " not within "
                            + RollupFreshness.TIMEOUT.toSeconds() + " s" : "") + ")",
                    "within 2 s at 100 cases/s");
        }
        if (reads != null) {
            results.ratio("queue page p99 at " + Formats.number(plan.records) + " records", Formats.millis(
                    reads.openGatewayFirst.percentileMicros(99)) + " (first page via gateway, open loop at "
                    + plan.readsOpenRateLabel() + ", " + Formats.number(reads.openGatewayFirst.throughput())
                    + "/s; closed loop, "
                    + plan.clients + " clients: " + Formats.millis(reads.gatewayFirst.percentileMicros(99)) + "; direct " + Formats.millis(reads.directFirst.percentileMicros(99))
                    + "; keyset pages via gateway " + Formats.millis(reads.gatewayKeyset.percentileMicros(99))
                    + "; with the node's roll-ups running " + Formats.millis(reads.busyGatewayFirst.percentileMicros(99))
                    + ")", "< 20 ms");
        }
        if (reads != null && overhead != null) {
            // the same read, the same clients, the same run: what the million costs, apart from the machine
            results.ratio("case page via gateway, p50 at " + Formats.number(plan.records) + " records / p50 in the "
                            + "gateway overhead scenario (a few thousand records)", Formats.ratio(
                            reads.gatewayCase.percentileMicros(50), overhead.gatewayRead.percentileMicros(50)) + " ("
                            + Formats.millis(reads.gatewayCase.percentileMicros(50)) + " / "
                            + Formats.millis(overhead.gatewayRead.percentileMicros(50)) + ")",
                    "(report: 1× when the records' number costs nothing)");
        }

        // ---- notes -----------------------------------------------------------------------------------------------
        results.note("Load average (1, 5, 15 min) at the start: " + loadAtStart + "; at the end: " + loadAverage()
                + " (on " + Runtime.getRuntime().availableProcessors() + " cores).");
        if (!platform.gatewaySettings().isEmpty()) {
            results.note("**--gateway-args**: the gateway ran with " + String.join(" ", platform.gatewaySettings())
                    + " besides the platform's own settings.");
        }
        if (!scenarios.equals(SCENARIOS)) {
            results.note("**--only**: this run measured " + String.join(", ", scenarios) + " of "
                    + String.join(", ", SCENARIOS) + "; a ratio appears when both of its sides were measured.");
        }
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
        if (on("intake") || on("gateway") || on("freshness")) {
            results.note("Intake is POST /api/units/{community}/cases as supervisor.<community> with a real token (PKCE "
                    + "login at the identity service), the cases of a reproducible CaseBatch (seeds) in turn: their "
                    + "community, grid cell, category and source, an address without coordinates; over the "
                    + communities.size() + " communities of " + city.name() + (idempotencyKeys
                    ? "; each report with an Idempotency-Key of its own (--idempotency-keys), as the console sends"
                    + " them, which the gateway sends through its retries" : "") + ". In the code as "
                    + "measured, a report inserts case_record and its timeline_entry in one statement (one commit, two rows), "
                    + "answers with what it inserted (it looks for duplicates nearby only for a report with coordinates, "
                    + "which these have not: no query); the outbox row comes "
                    + "with ESCALATE, not with the report. The pgbench "
                    + "script does one case_record-shaped insert and one outbox-shaped insert (same columns, indexes and "
                    + "NOTIFY trigger) per transaction: the same number of durable writes.");
        }
        results.note("PostgreSQL is durable (fsync and synchronous_commit on, as run-local.sh runs it); gridlink and "
                + "pgbench use the same server.");
        if (on("chain")) {
            results.note("Escalation hops ('hop …' rows) are timed from the records: the sender's updatedAt of its "
                    + "ESCALATE, taken before its transaction began, to the receiver's createdAt, taken before its "
                    + "transaction committed (the sender's own transaction, outbox, relay, broker, consumer, the "
                    + "receiving transaction's work). The Kafka hops ('Kafka hop …' rows) are issue 8's hop, outbox → "
                    + "broker → consumer committed: from the commit of the sender's transaction, which wrote the outbox row, to "
                    + "the commit of the receiver's transaction that applied the event, both PostgreSQL's commit "
                    + "timestamps (pg_xact_commit_timestamp of the timeline rows each wrote; CommitHops); the target's "
                    + "ratio uses these. The chain time, "
                    + "community ESCALATE to the city's record, includes the benchmark acting as the township and district "
                    + "supervisors (seeing the record in the tier's database within " + Arrivals.TICK.toMillis()
                    + " ms, then ACCEPT and ESCALATE through the gateway). 'escalation flow' is the whole case, report to "
                    + "the city's record, from its intended start.");
            results.note("The benchmark sees a record arrive by one query per tier database every "
                    + Arrivals.TICK.toMillis() + " ms for all the cases in flight (Arrivals), not by reading each case at "
                    + "the node: with a backlog, hundreds of cases in flight polled the very node whose consumer was "
                    + "behind and fed the backlog.");
            results.note("The chain is measured from quiet nodes: after its warm-up (" + plan.chainWarmup.toSeconds()
                    + " s at the same rate) the benchmark waits until every outbox is published and no inbox takes new "
                    + "events (the progress the chain sends down the tiers goes on after its cases reached the city), "
                    + "so that a warm-up that fell behind on a cold JIT does not hand its backlog to the measurement.");
        }
        if (on("gateway")) {
            results.note("CPU per request is the process's CPU time (ProcessHandle) over the phase's requests, warm-up "
                    + "included, and so holds the JIT compiler's threads too (given apart: their CPU from /proc, "
                    + "JitActivity): on a quick run, mostly compilation.");
        }
        if (!jitNotes.isEmpty() || plan.jitSettle.isZero()) {
            results.note("**JIT settling** (" + (plan.jitSettle.isZero() ? "off: --jit-settle=0" + (plan.quick
                    ? " (--quick)" : "") + "; each measurement came after its fixed warm-up only" : "up to "
                    + plan.jitSettle.toSeconds() + " s, --jit-settle") + "): on this machine a JVM's C2 compiler goes "
                    + "on compiling a request path for minutes after it first meets it, and a measurement taken "
                    + "meanwhile counts the compiler's CPU as the requests' while they wait for the cores it holds. "
                    + "So before the intake, the gateway overhead, the escalation chain (its whole flow, closed loop), "
                    + "the roll-up freshness (the intake and the city's figures) and the reads at a million records "
                    + "the benchmark keeps the scenario's own requests running, in turns of "
                    + SETTLE_TURN.toSeconds() + " s per "
                    + "operation, until the compiler threads of all the platform's JVMs together used less than "
                    + Formats.number(JIT_QUIET * 100) + "% of a core over a whole turn (JitActivity, from /proc), then "
                    + "warms up and measures as before. " + String.join(" ", jitNotes));
        }
        if (on("kafka")) {
            results.note("Kafka's EndToEndLatency and ProducerPerformance print whole milliseconds; a hop ratio against a "
                    + "1 ms p99 is only as precise as that.");
        }
        results.note("The nodes, gateway and identity service run as child JVMs from their executable jars with "
                + "-Xmx384m, SerialGC and " + (platform.c1Only()
                    ? "**the C1 compiler only** (-XX:TieredStopAtLevel=1, --jit=c1, as run-local.sh runs them; the "
                        + "driver, Kafka and the baselines keep the full JIT)"
                    : "the full JIT (run-local.sh runs them C1 only; --jit=c1 does too)") + ". The gateway's "
                + "per-user and per-address rate limits are raised to 1000000/s for the run (one supervisor per "
                + "community sends hundreds of requests a second).");
        results.note("Each app's GC pauses and safepoints are logged to bench/target/run/logs/<app>-gc.log (with wall "
                + "clock times), to tell a stall in an open loop that was the JVM's from one that was not.");
        results.note("Profiles: bench/run.sh --profile records every app with JFR (bench/target/run/jfr/<app>.jfr, "
                + "1024 frames deep); what a profile showed, what changed and the numbers before and after are written "
                + "at the top of a day's results by hand.");
        if (freshness != null) {
            freshness.notes.forEach(results::note);
        }
        if (reads != null) {
            reads.notes.forEach(results::note);
        }
        Map<String, Long> failed = api.failures();
        results.note(failed.isEmpty() ? "**Failed requests**: none of the API's in the whole run (warm-ups included)."
                : "**Failed requests** of the API in the whole run, warm-ups included, by what answered or ended them: " + failed.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining("; ")) + ". The first of each kind is in the run's output with its answer.");
        stalls.stalls().forEach(s -> results.note("**Stall**: " + s + "."));
        steal.note().ifPresent(s -> results.note("**The host's steal**: " + s + "."));
        results.note("The run's logs (each app's log and GC log, PostgreSQL's, a stall's dumps), its progress.csv "
                + "(each second's requests and the machine's CPU) and cpu.csv (each second's CPU per process, and how long its threads waited for a core), and slow.csv (each request over "
                + SLOW_REQUEST.toMillis() + " ms, with when it was due or sent), and where the queue page's open loop ran on a machine with the kernel's memory"
                + " monitor, " + MONITOR_BURSTS + " (its bursts of CPU then) are kept in bench/target/kept/" + base + "/ (the next run starts bench/target/run/ afresh).");

        MachineSpeed.Reading speedAfter = machineSpeed();
        results.machineLine("speed, one thread (SHA-256 over a 64 KiB block; a chain of random reads through 64 MiB;"
                + " copying 64 MiB; a byte to another thread and back over TCP on 127.0.0.1): "
                + speedBefore.describe() + " before the platform started, " + speedAfter.describe() + " after the"
                + " last scenario with the platform at rest beside it (MachineSpeed: compare it with another run's"
                + " before comparing their absolute figures)");
        results.machineLine("the kernel's memory monitor (DAMON): " + KernelMemoryMonitor.describe()
                + monitorBefore.flatMap(before -> KernelMemoryMonitor.cpuNanos().map(after -> String.format(Locale.ROOT,
                        "; its CPU over the run %.1f%% of the machine (each second's in cpu.csv as %s)",
                        100.0 * (after - before) / (System.nanoTime() - started)
                                / Runtime.getRuntime().availableProcessors(), KernelMemoryMonitor.GROUP))).orElse(""));
        // run.sh runs the JDK that JAVA_HOME names (the platform's JVMs the same one); the JDK line names its version
        String javaHome = Optional.ofNullable(System.getenv("JAVA_HOME")).filter(h -> !h.isBlank())
                .map(h -> "JAVA_HOME=" + h + " ").orElse("");
        results.command(javaHome + "bench/run.sh " + arguments + "        # started " + when + ", took "
                + Math.round((System.nanoTime() - started) / 60e9) + " min");
        results.command("# = ./mvnw -B -q -pl bench -am package -DskipTests, then java -jar bench/target/gridlink-bench.jar "
                + arguments);

        plot.write(dir.resolve(base + ".png"), "gridlink latency percentiles, " + today
                + (plan.quick ? " (quick run)" : "") + " — shared 2-core machine");
        results.write(dir.resolve(base + ".md"), "gridlink benchmark, " + today + (plan.quick ? " (--quick)" : "")
                + (scenarios.equals(SCENARIOS) ? "" : " (--only=" + String.join(",", scenarios) + ")"), base + ".png");
        cpuSeconds.close();
        coreSpeed.close();
        keepLogs(home.resolve("bench/target/kept").resolve(base));
        System.out.println();
        System.out.println(results.table());
        System.out.println(results.ratiosTable());
        BenchPlatform.say("wrote " + dir.resolve(base + ".md") + " and " + base + ".png");
    }

    /** How fast one core runs now ({@link MachineSpeed}): each part 1 s of warm-up, 2 s measured. */
    private static MachineSpeed.Reading machineSpeed() {
        MachineSpeed.Reading speed = new MachineSpeed().measure(Duration.ofSeconds(1), Duration.ofSeconds(2));
        BenchPlatform.say("the machine's speed, one thread: " + speed.describe());
        return speed;
    }

    private boolean on(String scenario) {
        return scenarios.contains(scenario);
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

    /**
     * "; sent late by p99 …, max …": how late the open loop's measured requests left after their intended times,
     * which their latencies include (a p99 driven by a late driver is not the platform's); "" for a closed loop.
     */
    static String sentLate(Measurement open) {
        return open.sendLagMicros() == null ? "" : "; sent late by p99 " + Formats.millis(open.sendLagPercentileMicros(99))
                + ", max " + Formats.millis(open.sendLagPercentileMicros(100));
    }

    /** Reports the batch's planned cases in turn (their communities, grid cells, categories and sources). */
    private Operation intakeAt(String base) {
        AtomicLong n = new AtomicLong();
        return () -> api.report(base, batch.get((int) (n.getAndIncrement() % batch.size()))).thenApply(CaseApi::ok);
    }

    private Measurement[] intake() {
        settleJit("intake", List.of(intakeAt(platform.gatewayUrl())));
        JitActivity.Snapshot jit = JitActivity.take(platform.processes());
        long from = System.nanoTime();
        // the first gridlink phase: a longer warm-up, the nodes' and gateway's JIT is still cold
        Measurement closed = driver.closedLoop("intake via gateway", plan.clients, plan.warmup.multipliedBy(2),
                plan.measure,
                intakeAt(platform.gatewayUrl()));
        results.row(Row.of(closed, "the maximum"));
        double half = Math.max(1, closed.throughput() / 2);
        Operation atHalf = intakeAt(platform.gatewayUrl());
        // one open loop from its warm-up into its measurement: a pause between the two (the loop stopped, the
        // nodes' counters scraped) made the measurement's first second its slowest (p99 166 ms, 9-57 ms after it)
        AtomicBoolean counting = new AtomicBoolean();
        CompletableFuture<Watch> measuring = CompletableFuture.supplyAsync(() -> {
                    counting.set(resetStatements());
                    return new Watch(false);
                }, CompletableFuture.delayedExecutor(plan.warmup.toMillis(), TimeUnit.MILLISECONDS));
        Measurement open = driver.openLoop("intake via gateway", half, plan.warmup, plan.measure, atHalf);
        Watch watch = measuring.join();
        if (counting.get()) {
            noteStatements(open.count(), "the intake's open loop at half the maximum");
        }
        results.row(Row.of(open, "half the maximum; latency from the intended send time" + sentLate(open)));
        results.note("**Where the intake's CPU went** at half the maximum (open loop, " + Formats.number(half)
                + "/s, over its measurement): share of the machine's cores: " + watch.cpu() + ". **The platform's CPU"
                + " per case reported** (every process but the driver, per case measured; the nodes' roll-ups and"
                + " reports up the tiers included): " + watch.cpuPer(open.count()) + ". **How long their threads"
                + " waited for a core** over the measurement, in percent of it (100: one thread waiting all the time;"
                + " RunQueue, from /proc/<pid>/task/*/schedstat): " + watch.waits());
        jitDuring("intake", jit, from);
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
        long gatewayJitGatewayRead;
        long nodeCpuDirectRead;
        long nodeJitDirectRead;
        long nodeCpuGatewayRead;
        long gatewayReadCalls;
        long directReadCalls;
        // the platform's CPU over the intake phases (warm-ups included), through the gateway and direct
        final CpuShares.Tally gatewayIntakeCpu = new CpuShares.Tally();
        final CpuShares.Tally directIntakeCpu = new CpuShares.Tally();

        /** The platform's CPU per report, through the gateway and direct, each process group's part. */
        String intakeCpu() {
            return "through the gateway " + gatewayIntakeCpu.perCall() + "; direct " + directIntakeCpu.perCall();
        }

        String cpuRatio() {
            if (gatewayReadCalls == 0 || directReadCalls == 0 || gatewayCpuGatewayRead < 0 || nodeCpuDirectRead < 0) {
                return "n/a";
            }
            double gw = gatewayCpuGatewayRead / (double) gatewayReadCalls / 1000;
            double node = nodeCpuDirectRead / (double) directReadCalls / 1000;
            double gwJit = gatewayJitGatewayRead / (double) gatewayReadCalls / 1000;
            double nodeJit = nodeJitDirectRead / (double) directReadCalls / 1000;
            return Formats.ratio(gw, node) + " (gateway " + Formats.millis(gw) + " CPU, node " + Formats.millis(node)
                    + " CPU per read; of which their JIT compiler threads " + Formats.millis(gwJit) + " and "
                    + Formats.millis(nodeJit) + ")";
        }
    }

    /**
     * Keeps {@code ops} running, closed loop, each for a turn of {@link #SETTLE_TURN} in order, until the compiler
     * threads of all the platform's JVMs together used less than {@link #JIT_QUIET} of a core in the last turn of
     * every one of them, or until {@code plan.jitSettle} has passed (none: returns at once); notes how long it took
     * and how quiet it got.
     */
    private void settleJit(String scenario, List<Operation> ops) {
        if (plan.jitSettle.isZero()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + plan.jitSettle.toNanos();
        // the last turn of each operation: quiet only when every one of them was (a turn that skips the gateway
        // says nothing of the gateway's compiler)
        double[] lastTurns = new double[ops.size()];
        Arrays.fill(lastTurns, Double.MAX_VALUE);
        String[] busiest = new String[ops.size()];
        int turn = 0;
        do {
            int k = turn++ % ops.size();
            JitActivity.Snapshot before = JitActivity.take(platform.processes());
            long t0 = System.nanoTime();
            driver.closedLoop(scenario + ": JIT settling", plan.clients, Duration.ZERO, SETTLE_TURN, ops.get(k));
            JitActivity.Snapshot after = JitActivity.take(platform.processes());
            lastTurns[k] = after.coreShareSince(before, System.nanoTime() - t0);
            busiest[k] = after.describeSince(before, System.nanoTime() - t0);
            BenchPlatform.say("JIT compilers: " + Formats.number(100 * lastTurns[k]) + "% of a core (" + busiest[k]
                    + ")");
        } while (Arrays.stream(lastTurns).max().orElse(0) >= JIT_QUIET && System.nanoTime() < deadline);
        long took = (System.nanoTime() - start) / 1_000_000_000L;
        double worst = Arrays.stream(lastTurns).max().orElse(0);
        int worstTurn = 0;
        for (int k = 0; k < lastTurns.length; k++) {
            worstTurn = lastTurns[k] >= lastTurns[worstTurn] ? k : worstTurn;
        }
        jitNotes.add(worst < JIT_QUIET
                ? "Before " + scenario + " the JIT settled after " + took + " s (the last turn of each operation at"
                        + " most " + Formats.number(100 * worst) + "% of a core)."
                : "Before " + scenario + " the JIT had **not** settled after " + took + " s (the last turn of each "
                        + "operation up to " + (worst == Double.MAX_VALUE ? "n/a" : Formats.number(100 * worst)
                        + "% of a core: " + busiest[worstTurn]) + ").");
    }

    /** Notes the compiler threads' CPU from {@code before} (taken at {@code fromNanos}) until now. */
    private void jitDuring(String what, JitActivity.Snapshot before, long fromNanos) {
        long over = System.nanoTime() - fromNanos;
        JitActivity.Snapshot now = JitActivity.take(platform.processes());
        jitNotes.add("During " + what + " the JIT compilers used " + now.describeSince(before, over)
                + " (all together " + Formats.number(100 * now.coreShareSince(before, over)) + "%).");
    }

    /**
     * The gateway's header filters and a disabled level check, each against what it replaced, in this JVM
     * ({@link HotPathCosts}): a share of a request too small for the scenarios above to tell from the hour's spread.
     */
    private HotPathCosts.Result hotPaths() {
        System.out.println("[bench] hot paths: the gateway's header filters and a level check, against what they"
                + " replaced (" + HotPathCosts.ROUNDS + " rounds of " + HotPathCosts.CALLS + " calls each, alternated)");
        List<String> command = HotPathCosts.command(platform.gatewayJar(), BenchPlatform.ownJar(),
                api.token(communities.get(0)));
        HotPathCosts.Result result;
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int exit = child.waitFor();
            result = HotPathCosts.parse(output);
            if (exit != 0 || result == null) {
                throw new IllegalStateException("the hot-path measurement failed (exit " + exit + "): " + output);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        System.out.println("[bench] hot paths: header filters " + HotPathCosts.describe(result.headerFilters())
                + " per request; level check " + HotPathCosts.describe(result.levelCheck()) + " per call");
        results.note("**Hot paths** (one JVM, the platform idle meanwhile; the median of " + HotPathCosts.ROUNDS
                + " rounds of " + HotPathCosts.CALLS + " calls each side, alternated, after a warm-up): the gateway's"
                + " header filters (Forwarded, X-Forwarded-*, hop-by-hop, gRPC) over the headers of a report through"
                + " the gateway (its bearer token a real one) and of the node's 201, Spring Cloud Gateway's own against"
                + " LeanHeaderFilters (which hands the headers back when there is nothing to remove); and"
                + " isDebugEnabled() at INFO with Micrometer's logback.events turbo filter installed against"
                + " LogEventMetrics' appender. A child JVM on the gateway's own jar runs them, with the full JIT, as the apps"
                + " run.");
        return result;
    }

    /**
     * Two more community nodes, or two more gateways, A and B ({@link SideBySide}), started together beside the
     * platform's own; their JIT settled on the same requests in turns; then {@link #SIDE_BY_SIDE_ROUNDS} rounds, each a
     * case page read, a queue page read and a report on A and on B (ABBA from round to round), closed loop, with the
     * same token, straight to the node or through the gateway to the platform's nodes; each phase's CPU of the app
     * measured and PostgreSQL's per request. The ratios are B / A.
     */
    private void sideBySide() {
        String app = sideBySide.app();
        boolean gateways = sideBySide.gateways();
        String a = app + "-a";
        String b = app + "-b";
        BenchPlatform.say("side by side: A and B, two more " + (gateways ? "gateways" : "community nodes") + "; "
                + sideBySide.describe());
        List<org.gridlink.local.ServiceProcess> pair = List.of(
                platform.startBeside(app, a, 85, Optional.empty(), List.of()),
                platform.startBeside(app, b, 86, sideBySide.jar(), sideBySide.args()));
        pair.forEach(node -> node.awaitHealthy(BenchPlatform.HEALTH_TIMEOUT));
        Map<String, java.util.function.Function<String, Operation>> paths = new LinkedHashMap<>();
        paths.put("case page read", casePagesReportedAt(platform.url(a)));
        paths.put("queue page read", queuePagesReportedAt(platform.url(a)));
        paths.put("report", this::intakeAt);
        List<Operation> settling = new ArrayList<>();
        paths.values().forEach(op -> {
            settling.add(op.apply(platform.url(a)));
            settling.add(op.apply(platform.url(b)));
        });
        settleJit("side by side", settling);
        SideBySide measured = new SideBySide();
        Map<String, Measurement> latencies = new LinkedHashMap<>();
        int rounds = plan.quick ? 2 : SIDE_BY_SIDE_ROUNDS;
        for (int round = 0; round < rounds; round++) {
            List<String> order = round % 2 == 0 ? List.of(a, b) : List.of(b, a);
            for (var path : paths.entrySet()) {
                for (String side : order) {
                    Operation op = path.getValue().apply(platform.url(side));
                    AtomicLong calls = new AtomicLong();
                    long node = platform.cpuNanos(side);
                    CpuShares.Snapshot cpu = CpuShares.take(platform);
                    long t0 = System.nanoTime();
                    Measurement m = driver.closedLoop(path.getKey() + " " + (side.equals(a) ? "A" : "B") + " r"
                            + (round + 1), plan.clients, Duration.ZERO, plan.phase, () -> {
                                calls.incrementAndGet();
                                return op.start();
                            });
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long postgres = CpuShares.take(platform).spentSince(cpu)
                            .getOrDefault("postgres", 0L);
                    measured.add(new SideBySide.Phase(path.getKey(), side.equals(b), calls.get(),
                            platform.cpuNanos(side) - node, postgres, seconds));
                    latencies.merge(path.getKey() + " " + side, m, Measurement::plus);
                }
            }
        }
        String load = "closed loop, " + plan.clients + " clients, " + rounds + " rounds alternated, "
                + (gateways ? "through the gateway" : "direct");
        for (String path : measured.paths()) {
            results.row(Row.of(latencies.get(path + " " + a).named(path + ", side by side: A", load), ""));
            results.row(Row.of(latencies.get(path + " " + b).named(path + ", side by side: B", load), ""));
            results.ratio("side by side, " + path + ": B's " + sideBySide.role() + " CPU per request / A's",
                    measured.appCpu(path)
                    .describe(ms -> Formats.millis(ms * 1000)), "(report)");
            results.ratio("side by side, " + path + ": PostgreSQL's CPU per request with B / with A",
                    measured.postgresCpu(path).describe(ms -> Formats.millis(ms * 1000)), "(report)");
            results.ratio("side by side, " + path + ": B's throughput / A's", measured.throughput(path)
                    .describe(rate -> Formats.number(rate) + "/s"), "(report)");
        }
        results.note("**Side by side** (" + sideBySide.describe() + "): "
                + (gateways ? "two gateways beside the platform's own, started together in front of its nodes"
                        : "two community nodes beside the platform's own, started together on its database and broker")
                + " (A as built, with the platform's settings), their"
                + " JIT settled on the same requests in turns, then " + rounds + " rounds, each a case page read, a"
                + " queue page read (a community's first " + BigNodeReads.PAGE + " records) and a report on A and on B"
                + " for " + plan.phase.toSeconds() + " s each (A first in odd rounds, B first in"
                + " even ones), closed loop, " + plan.clients + " clients, "
                + (gateways ? "through the gateway to the platform's community node" : "straight to the node") + ". The "
                + sideBySide.role() + "'s CPU per request"
                + " is its process's CPU time over the phase's requests; PostgreSQL's is all its processes' over the"
                + " same phase (the other nodes' background work included). Each figure is the median of the rounds'"
                + " paired ratios (round k's B over round k's A), with the medians of each side and the lowest and"
                + " highest ratio: two JVMs measured seconds apart drift together with the host, where two runs an hour"
                + " apart moved by half.");
    }

    /**
     * Reports one case at each community through {@code reportAt}, then: for a base URL, the case page reads of those
     * cases, a community after another.
     */
    private java.util.function.Function<String, Operation> casePagesReportedAt(String reportAt) {
        Map<String, String> reads = new LinkedHashMap<>();
        for (String c : communities) {
            reads.put(c, CaseApi.caseId(api.report(reportAt, c).join()));
        }
        List<String> units = new ArrayList<>(reads.keySet());
        return base -> {
            AtomicLong n = new AtomicLong();
            return () -> {
                String unit = units.get((int) (n.getAndIncrement() % units.size()));
                return api.read(base, unit, reads.get(unit)).thenApply(CaseApi::ok);
            };
        };
    }

    /**
     * Reports a page's worth of cases ({@link BigNodeReads#PAGE}) at each community through {@code reportAt}, one at a
     * time, then: for a base URL, the first page of a community's queue, a community after another. A page of 20
     * records decodes 20 rows and writes 20 summaries, where the case page reads one record.
     */
    private java.util.function.Function<String, Operation> queuePagesReportedAt(String reportAt) {
        for (String c : communities) {
            for (int i = 0; i < BigNodeReads.PAGE; i++) {
                CaseApi.Reply reply = api.report(reportAt, c).join();
                if (!CaseApi.ok(reply)) {
                    throw new IllegalStateException("a report at " + c + " for its queue page was answered "
                            + reply.statusCode());
                }
            }
        }
        List<String> units = List.copyOf(communities);
        return base -> {
            AtomicLong n = new AtomicLong();
            return () -> api.queue(base, units.get((int) (n.getAndIncrement() % units.size())),
                    "limit=" + BigNodeReads.PAGE).thenApply(BigNodeReads::fullPage);
        };
    }

    private Overhead gatewayOverhead() {
        Overhead o = new Overhead();
        String gw = platform.gatewayUrl();
        String direct = platform.nodeUrl("community");
        java.util.function.Function<String, Operation> readsAt = casePagesReportedAt(gw);
        settleJit("gateway overhead", List.of(intakeAt(gw), intakeAt(direct), readsAt.apply(gw),
                readsAt.apply(direct)));
        JitActivity.Snapshot jit = JitActivity.take(platform.processes());
        long from = System.nanoTime();
        for (int round = 0; round < plan.rounds; round++) {
            List<String> order = round % 2 == 0 ? List.of(gw, direct) : List.of(direct, gw);
            for (String base : order) {
                boolean viaGateway = base.equals(gw);
                Operation intake = intakeAt(base);
                AtomicLong calls = new AtomicLong();
                CpuShares.Snapshot cpu = CpuShares.take(platform);
                Measurement m = driver.closedLoop("intake " + (viaGateway ? "via gateway" : "direct") + " r" + (round + 1),
                        plan.clients, plan.phaseWarmup, plan.phase, () -> {
                            calls.incrementAndGet();
                            return intake.start();
                        });
                (viaGateway ? o.gatewayIntakeCpu : o.directIntakeCpu)
                        .add(cpu, CpuShares.take(platform), calls.get());
                if (viaGateway) {
                    o.gatewayIntake = o.gatewayIntake == null ? m : o.gatewayIntake.plus(m);
                } else {
                    o.directIntake = o.directIntake == null ? m : o.directIntake.plus(m);
                }
            }
            for (String base : order) {
                boolean viaGateway = base.equals(gw);
                Operation read = readsAt.apply(base);
                AtomicLong calls = new AtomicLong();
                long gwCpu = platform.cpuNanos("gateway");
                long nodeCpu = platform.cpuNanos("community");
                JitActivity.Snapshot compilers = JitActivity.take(platform.processes());
                Measurement m = driver.closedLoop("read " + (viaGateway ? "via gateway" : "direct") + " r" + (round + 1),
                        plan.clients, plan.phaseWarmup, plan.phase, () -> {
                            calls.incrementAndGet();
                            return read.start();
                        });
                long gwDelta = platform.cpuNanos("gateway") - gwCpu;
                long nodeDelta = platform.cpuNanos("community") - nodeCpu;
                Map<String, Long> compiled = JitActivity.take(platform.processes()).since(compilers);
                if (viaGateway) {
                    o.gatewayRead = o.gatewayRead == null ? m : o.gatewayRead.plus(m);
                    o.gatewayCpuGatewayRead += gwDelta;
                    o.gatewayJitGatewayRead += compiled.getOrDefault("gateway", 0L);
                    o.nodeCpuGatewayRead += nodeDelta;
                    o.gatewayReadCalls += calls.get();
                } else {
                    o.directRead = o.directRead == null ? m : o.directRead.plus(m);
                    o.nodeCpuDirectRead += nodeDelta;
                    o.nodeJitDirectRead += compiled.getOrDefault("community", 0L);
                    o.directReadCalls += calls.get();
                }
            }
        }
        jitDuring("the gateway overhead", jit, from);
        String load = "closed loop, " + plan.clients + " clients, " + plan.rounds + " rounds alternated";
        o.gatewayIntake = o.gatewayIntake.named("intake via gateway (alternated)", load);
        o.directIntake = o.directIntake.named("intake direct to the community node (alternated)", load);
        o.gatewayRead = o.gatewayRead.named("case page read via gateway (alternated)", load);
        o.directRead = o.directRead.named("case page read direct (alternated)", load);
        results.note("**The platform's CPU per report** in the gateway overhead's intake phases (closed loop, warm-ups"
                + " included, the driver's own left out): " + o.intakeCpu());
        results.row(Row.of(o.gatewayIntake, "")).row(Row.of(o.directIntake, "same token; the node checks it itself"))
                .row(Row.of(o.gatewayRead, "GET /api/units/{c}/cases/{id}")).row(Row.of(o.directRead, ""));
        plot.add("read via gateway (closed)", o.gatewayRead.latencyMicros());
        plot.add("read direct (closed)", o.directRead.latencyMicros());
        return o;
    }

    /**
     * What the platform did from this watch's start until asked: each process's share of the machine's CPU
     * ({@link CpuShares}) and each node's counters ({@link RollupRounds.Scrape}), as differences over that time.
     */
    private final class Watch {

        private final Map<String, RollupRounds.Scrape> nodes = new LinkedHashMap<>();
        private final long started;
        private final CpuShares.Snapshot cpu;

        Watch() {
            this(true);
        }

        /**
         * {@code scrapeNodes} false: the processes' CPU only, read from /proc at once, for a start in the middle of a
         * load (a scrape of each node's Prometheus costs the nodes CPU); {@link #nodes} then describes none. The CPU is
         * read after the scrapes, so that theirs is not counted; read {@link #cpu()} before {@link #nodes} at the end.
         */
        Watch(boolean scrapeNodes) {
            if (scrapeNodes) {
                BenchPlatform.TIERS.forEach(t -> nodes.put(t, RollupRounds.scrape(platform.nodeUrl(t))));
            }
            started = System.nanoTime();
            cpu = CpuShares.take(platform, true);
        }

        /** How long each process group's threads waited for a core since the start, in percent of that time. */
        String waits() {
            return CpuShares.take(platform, true)
                    .describeWaitsSince(cpu, elapsed().toNanos());
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        String cpu() {
            return CpuShares.take(platform).describeSince(cpu, elapsed(),
                    Runtime.getRuntime().availableProcessors());
        }

        /** Each process group's CPU nanoseconds since the start, the driver's own left out. */
        Map<String, Long> spent() {
            return CpuShares.take(platform).spentSince(cpu);
        }

        /** The platform's CPU since the start per one of {@code items} ({@link CpuShares.Snapshot#perItemSince}). */
        String cpuPer(long items) {
            return CpuShares.perItem(spent(), items);
        }

        /** "tier: …" for each node, its counters since the start described over the time since. */
        List<String> nodes(java.util.function.BiFunction<RollupRounds.Scrape, Duration, String> describe) {
            Duration over = elapsed();
            List<String> described = new ArrayList<>();
            nodes.forEach((tier, before) -> described.add(tier + ": "
                    + describe.apply(RollupRounds.scrape(platform.nodeUrl(tier)).minus(before), over)));
            return described;
        }
    }

    /** What was scraped just before the queue page's open loop began its warm-up. */
    private record OpenLoopStart(LoopDelays node, LoopDelays gateway, Watch watch, Instant at) {
    }

    /**
     * The chain's hops and whole chain, and the platform's CPU per escalation flow in ms (NaN when intake ran beside it:
     * then the reports' CPU is in it too).
     */
    private record Chain(Histogram allHops, Histogram commitHops, Histogram chain, double cpuMillisPerFlow) {
    }

    private Chain chain() {
        Arrivals arrivals = new Arrivals(Bench::databaseOf, platform.postgres()::jdbcUrl,
                platform.postgres().username(), platform.postgres().password());
        EscalationChain chain = new EscalationChain(api, platform.gatewayUrl(), arrivals, communities);
        BenchPlatform.say("one case up the chain first (the inbox consumers join their groups)");
        chain.once();
        // the chain runs through every node's code (the relay, the inbox, progress down the tiers, the roll-ups): at a
        // few cases a second their compilers would still be compiling it minutes later
        double besideRate = plan.chainBeside;
        settleJit("the escalation chain", besideRate > 0
                ? List.of(chain.operation(), intakeAt(platform.gatewayUrl())) : List.of(chain.operation()));
        driver.openLoop("escalation chain warm-up", plan.chainRate, Duration.ZERO, plan.chainWarmup, chain.operation());
        settle(Duration.ofMinutes(3));
        AtomicBoolean besideDone = new AtomicBoolean();
        CompletableFuture<Measurement> beside = null;
        if (besideRate > 0) {
            BenchPlatform.say("intake at " + Formats.number(besideRate) + " reports/s beside the chain");
            beside = intakeBeside("intake beside the escalation chain", besideRate, plan.warmup,
                    plan.chainMeasure.multipliedBy(2).plus(Duration.ofMinutes(1)), besideDone);
            LockSupport.parkNanos(plan.warmup.toNanos()); // the chain is measured in a load that has settled
        }
        chain.reset();
        // with intake beside it, a statement's count per escalated case would be mostly the reports'
        boolean counting = besideRate == 0 && resetStatements();
        Watch watch = new Watch();
        JitActivity.Snapshot jit = JitActivity.take(platform.processes());
        long from = System.nanoTime();
        Measurement flow;
        try {
            flow = driver.openLoop("escalation flow", plan.chainRate, Duration.ZERO, plan.chainMeasure,
                    chain.operation());
        } finally {
            besideDone.set(true);
        }
        jitDuring("the escalation chain's measurement", jit, from);
        String cpu = watch.cpu();
        Map<String, Long> spent = watch.spent();
        String perCase = CpuShares.perItem(spent, flow.count());
        double millisPerFlow = besideRate > 0 ? Double.NaN : CpuShares.millisPerItem(spent, flow.count());
        List<String> steps = watch.nodes((scrape, over) -> scrape.describeEvents());
        if (counting) {
            noteStatements(flow.count(), "the chain's measurement");
        }
        String besideLoad = plan.chainBesideLabel();
        results.note("**Where a hop's time went** in the chain's measurement" + besideLoad + " (each node's"
                + " Prometheus, the difference over the measurement; means, with their counts; an event's time is its"
                + " sender's change, a record's Kafka timestamp when its sender's producer had it; the events are all the"
                + " nodes' traffic, progress down the tiers and unit reports' outbox rows among them): "
                + String.join("; ", steps) + ". CPU over the measurement, share of the machine's cores: " + cpu + ". "
                + (besideRate > 0
                ? "**The platform's CPU per escalated case, the reports beside them included** (every process but the"
                        + " driver, over the measurement, per escalated case measured): "
                : "**The platform's CPU per case** (every process but the driver, over the measurement, per case"
                        + " measured): ") + perCase);
        if (beside != null) {
            Measurement intake = beside.join();
            results.row(Row.of(intake, "the load the chain was measured in, through the gateway; from the intended"
                    + " send time" + sentLate(intake)));
        }
        double seconds = plan.chainMeasure.toSeconds();
        String load = "open loop, " + Formats.number(plan.chainRate) + " cases/s" + besideLoad;
        results.row(Row.of(flow, "report, ACCEPT+ESCALATE at 3 tiers, until the city holds it; from the intended start"
                + sentLate(flow) + chain.firstFailure().map(e -> "; first failure: " + rootMessage(e)).orElse("")));
        String[] names = {"hop community → township", "hop township → district", "hop district → city"};
        Histogram[] hops = chain.hops();
        for (int i = 0; i < 3; i++) {
            results.row(Row.of(new Measurement(names[i], load, hops[i], 0, seconds),
                    "sender's ESCALATE (updatedAt) to receiver's record (createdAt)"));
        }
        Histogram all = chain.allHops();
        results.row(Row.of(new Measurement("one hop (all three)", load, all, 0, seconds),
                "the sender's own transaction included"));
        Histogram commitHops = commitHops(chain.measured(), load, seconds);
        results.row(Row.of(new Measurement("chain community → city", load, chain.chain(), 0, seconds),
                "includes the township's and district's supervisors (the benchmark) acting"));
        plot.add("one hop (record to record)", all);
        if (commitHops != null) {
            plot.add("one Kafka hop (commit to commit)", commitHops);
        }
        plot.add("chain community → city", chain.chain());
        return new Chain(all, commitHops, chain.chain(), millisPerFlow);
    }

    /**
     * The chain's hops as issue 8 defines a Kafka hop, commit to commit ({@link CommitHops}), written as rows; null
     * (and a note saying why) if PostgreSQL kept no commit times.
     */
    private Histogram commitHops(List<CommitHops.Escalated> measured, String load, double seconds) {
        CommitHops.Result commit;
        try {
            commit = CommitHops.measure(CommitHops.databases(measured, Bench::databaseOf,
                    platform.postgres()::jdbcUrl), platform.postgres().username(), platform.postgres().password(),
                    measured);
        } catch (SQLException e) {
            results.note("The Kafka hops commit to commit could not be read: " + e.getMessage());
            return null;
        }
        Histogram all = commit.all();
        if (all.getTotalCount() == 0) {
            results.note("The Kafka hops commit to commit: PostgreSQL kept no commit time for the " + measured.size()
                    + " cases measured (track_commit_timestamp off?)");
            return null;
        }
        String[] names = {"Kafka hop community → township", "Kafka hop township → district",
                "Kafka hop district → city"};
        for (int i = 0; i < 3; i++) {
            results.row(Row.of(new Measurement(names[i], load, commit.hops()[i], 0, seconds),
                    "the sender's ESCALATE committed (its outbox row) to the receiver's transaction that applied it"
                            + " committed; PostgreSQL's commit timestamps"));
        }
        results.row(Row.of(new Measurement("one Kafka hop, commit to commit (all three)", load, all, 0, seconds),
                "outbox → relay → broker → consumer → committed" + (commit.missing() > 0 ? "; " + commit.missing()
                        + " hops without a commit time on one side left out" : "")));
        results.note("**The two hops' definitions** (commit timestamps, the cases measured): the 'hop …' rows hold the"
                + " sender's transaction from its ESCALATE's updatedAt to its commit, " + spread(commit.sending())
                + ", which the Kafka hops do not; the Kafka hops hold the receiver's transaction from its record's"
                + " createdAt (as it began applying the event) to its commit, " + spread(commit.applying())
                + ", which the 'hop …' rows do not. The rest of a Kafka hop is the relay (woken by the commit's"
                + " notification, it claims the row in a transaction of its own and sends it), the broker, and the"
                + " listener's way to the receiving transaction.");
        return all;
    }

    /** "p50 3.10 ms, p99 8.60 ms (270)". */
    private static String spread(Histogram h) {
        return h.getTotalCount() == 0 ? "(none timed)" : "p50 " + Formats.millis(h.getValueAtPercentile(50))
                + ", p99 " + Formats.millis(h.getValueAtPercentile(99)) + " (" + h.getTotalCount() + ")";
    }

    /**
     * "16.4/s on 2 cores; 12.2 cores": how many escalation flows a second {@code cores} carry with every one of them busy,
     * and how many cores 100 a second take, at {@code millisPerFlow} of the platform's CPU each. An upper bound: the
     * latencies grow long before the cores are all busy.
     */
    static String capacity(double millisPerFlow, int cores) {
        if (!(millisPerFlow > 0) || cores < 1) {
            return "n/a";
        }
        return Formats.significant(cores * 1000.0 / millisPerFlow) + "/s on " + cores + " cores; "
                + Formats.significant(100 * millisPerFlow / 1000.0) + " cores";
    }

    /**
     * From this share of the cores kept busy by the chain's rate a hop's tail is mostly its wait for them: a run on a
     * machine slowed down by its host (2026-12-03: every baseline at a third to two thirds of its usual figure, the CPU
     * per flow 182 ms against 119–154) put 10 escalations a second at 91% of its cores, and the hop's p99 went from
     * about 25 ms to 741 ms.
     */
    static final double QUEUEING_LOAD = 0.8;

    /**
     * The share of {@code cores} that {@code rate} escalation flows a second keep busy at {@code millisPerFlow} of the
     * platform's CPU each (NaN when not known): the same rate is a different load on a slower machine, and the chain's
     * latencies follow the load.
     */
    static double chainLoad(double rate, double millisPerFlow, int cores) {
        return millisPerFlow > 0 && cores > 0 ? rate * millisPerFlow / 1000.0 / cores : Double.NaN;
    }

    /**
     * What the chain's latency rows say of its load: nothing below {@link #QUEUEING_LOAD}, else that their tail is the
     * cores' queue, so that such a run is not read beside one that ran below it.
     */
    static String queueingNote(double load) {
        return load >= QUEUEING_LOAD ? "the chain's rate kept " + Formats.percent(load, 1) + " of the cores busy:"
                + " this tail is mostly its wait for them, not comparable with a run below "
                + Formats.percent(QUEUEING_LOAD, 1) : "";
    }

    /**
     * Intake through the gateway, open loop at {@code rate} after {@code warmup}, on a thread of its own beside another
     * measurement, until {@code done} is set (or {@code atMost} has passed); the measurement of what it answered.
     */
    private CompletableFuture<Measurement> intakeBeside(String name, double rate, Duration warmup, Duration atMost,
                                                        AtomicBoolean done) {
        CompletableFuture<Measurement> load = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                load.complete(driver.openLoop(name, rate, warmup, atMost, intakeAt(platform.gatewayUrl()),
                        done::get));
            } catch (RuntimeException | Error e) {
                load.completeExceptionally(e);
            }
        }, name);
        loader.setDaemon(true);
        loader.start();
        return load;
    }

    /**
     * The platform with no load at all, once the nodes have caught up with what came before: what it costs a city to
     * keep running between reports (the relays' and roll-ups' polls, the consumers' fetches, heartbeats), for the
     * per-case figures of the scenarios at a few cases a second to be read against.
     */
    private void idle() {
        settle(Duration.ofMinutes(3));
        Duration over = plan.quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
        BenchPlatform.say("the platform at rest for " + over.toSeconds() + " s");
        JitActivity.Snapshot jit = JitActivity.take(platform.processes());
        long from = System.nanoTime();
        Watch watch = atRest(over);
        String cpu = watch.cpu();
        jitDuring("the platform at rest", jit, from);
        results.note("**The platform at rest** (" + over.toSeconds() + " s with no request, after the nodes had caught"
                + " up with the scenarios before it; a node's own timers go on: the relay's and the roll-ups' polls,"
                + " heartbeats, the consumers' fetches), share of the machine's cores: " + cpu
                + ". The roll-ups meanwhile: " + String.join("; ", watch.nodes(RollupRounds.Scrape::describe)) + ".");
    }

    /**
     * Leaves the platform alone for {@code over} (the driver sends nothing) and returns what watched it meanwhile: the
     * processes' CPU ({@link Watch#cpu}, read first) and the nodes' roll-up rounds.
     */
    private Watch atRest(Duration over) {
        Watch watch = new Watch();
        idle(over, "while the platform was at rest");
        return watch;
    }

    /** Sends nothing for {@code over}; {@code when} names the moment in the exception if the run is interrupted. */
    private static void idle(Duration over, String when) {
        try {
            Thread.sleep(over.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted " + when, e);
        }
    }

    /**
     * Waits until the nodes have caught up with the warm-up: every outbox published and no inbox taking new events for a
     * second (the progress a chain sends down the tiers goes on after its case reached the city). Otherwise a warm-up
     * that fell behind (a cold JIT) hands its backlog to the measurement, and two runs differ by how much was left.
     */
    private void settle(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        long lastInboxed = -1;
        int quiet = 0;
        List<Connection> databases = new ArrayList<>();
        try {
            for (String tier : BenchPlatform.TIERS) {
                databases.add(platform.connect("gridlink_" + tier));
            }
            while (quiet < 2 && System.nanoTime() < deadline) {
                long unpublished = 0;
                long inboxed = 0;
                for (Connection c : databases) {
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("/* " + StatementCounts.BENCH + " */ select (select count(*)"
                                 + " from outbox where published_at is null), (select count(*) from inbox)")) {
                        rs.next();
                        unpublished += rs.getLong(1);
                        inboxed += rs.getLong(2);
                    }
                }
                quiet = unpublished == 0 && inboxed == lastInboxed ? quiet + 1 : 0;
                lastInboxed = inboxed;
                if (quiet < 2) {
                    Thread.sleep(500); // two quiet looks half a second apart: no inbox took an event for a second
                }
            }
        } catch (SQLException e) {
            BenchPlatform.say("cannot tell whether the nodes caught up: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            databases.forEach(Bench::closeQuietly);
        }
        BenchPlatform.say(quiet >= 2 ? "the nodes caught up with the warm-up" : "the nodes were still busy after "
                + atMost.toSeconds() + " s; measuring anyway");
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // a connection to a database the benchmark only read from: nothing to keep
        }
    }

    /** Forgets what pg_stat_statements counted so far; false if it cannot be read here (then nothing is noted). */
    private boolean resetStatements() {
        try (Connection c = platform.connect("postgres")) {
            StatementCounts.reset(c);
            return true;
        } catch (SQLException e) {
            BenchPlatform.say("pg_stat_statements: " + e.getMessage());
            return false;
        }
    }

    /** Writes what the nodes' databases ran since {@link #resetStatements}, per case, as a note on {@code during}. */
    private void noteStatements(long cases, String during) {
        try (Connection c = platform.connect("postgres")) {
            List<String> dbs = BenchPlatform.TIERS.stream().map(t -> "gridlink_" + t).toList();
            results.note("**Statements per case** in " + during + " (pg_stat_statements over all "
                    + cases + " cases; everything the nodes ran meanwhile is included: roll-ups, relays, scans; the "
                    + "benchmark's own arrival queries are not): "
                    + StatementCounts.perCase(StatementCounts.read(c, "gridlink_"), dbs, Math.max(1, cases), 6) + ".");
        } catch (SQLException e) {
            BenchPlatform.say("pg_stat_statements: " + e.getMessage());
        }
    }

    // ---- roll-up freshness ------------------------------------------------------------------------------------------

    /** What the freshness probes measured, and the notes that say how. */
    private record Freshness(RollupFreshness.Result result, List<String> notes) {
    }

    /**
     * Probes, one at a time, how long a new case takes to reach the city's figures while the intake runs open loop at
     * {@code --freshness-rate} beside them (see {@link RollupFreshness}).
     */
    private Freshness freshness() {
        String cityCode = communities.get(0).substring(0, 4) + "00000000";
        String gw = platform.gatewayUrl();
        double rate = plan.freshnessRate;
        // twice the warm-up: with --only it is the first load on the nodes, and their JIT is cold
        Duration warmup = plan.warmup.multipliedBy(2);
        Duration longest = warmup.plus(RollupFreshness.TIMEOUT.plus(RollupFreshness.PUBLISH_INTERVAL)
                .multipliedBy(plan.freshnessProbes));
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Measurement> load;
        settleJit("the roll-up freshness", List.of(intakeAt(gw),
                () -> api.stats(gw, cityCode, "").thenApply(CaseApi::ok)));
        RollupFreshness.Result r;
        List<String> rounds = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        String cpu;
        try (Connection db = platform.connect("gridlink_community")) {
            RollupFreshness probes = new RollupFreshness(api, gw, cityCode, city.cellsByCommunity(), db, batchSeed);
            BenchPlatform.say("roll-up freshness: intake at " + Formats.number(rate) + " cases/s, then "
                    + plan.freshnessProbes + " probes one at a time");
            load = intakeBeside("intake beside the freshness probes", rate, warmup, longest, done);
            LockSupport.parkNanos(warmup.toNanos()); // the probes come into a load that has settled
            boolean counting = resetStatements();
            Watch watch = new Watch();
            JitActivity.Snapshot jit = JitActivity.take(platform.processes());
            long from = System.nanoTime();
            try {
                r = probes.run(plan.freshnessProbes, BenchPlatform::say);
            } finally {
                done.set(true);
            }
            jitDuring("the freshness probes", jit, from);
            Duration probing = watch.elapsed();
            cpu = watch.cpu();
            rounds.addAll(watch.nodes(RollupRounds.Scrape::describe));
            if (counting) {
                try (Connection pg = platform.connect("postgres")) {
                    statements.add(StatementCounts.mostTime(StatementCounts.read(pg, "gridlink_"),
                            BenchPlatform.TIERS.stream().map(t -> "gridlink_" + t).toList(), probing.toMillis() / 1000.0, 4));
                }
            }
        } catch (SQLException e) {
            done.set(true);
            throw new IllegalStateException("freshness: cannot count in the community node's database: "
                    + e.getMessage(), e);
        }
        Measurement intake = load.join();
        String beside = "open loop intake at " + Formats.number(rate) + "/s beside";
        results.row(Row.of(intake.named("intake via gateway beside the freshness probes", intake.load()),
                "the load the probes ran in; from the intended send time"));
        String each = r.millis().stream().map(ms -> Formats.millis(ms * 1000.0)).collect(Collectors.joining(", "));
        results.row(Row.of(new Measurement("roll-up freshness: a community's new case in the city's figures",
                beside + ", 1 probe at a time", r.freshness(), r.failures(), intake.seconds()),
                "probe's 201 to the first answer of the city's GET …/stats (every " + RollupFreshness.POLL.toMillis()
                        + " ms) that shows it; max " + (r.freshness().getTotalCount() == 0 ? "n/a"
                        : Formats.millis(r.freshness().getMaxValue())) + "; each: " + each
                        + (r.refusedReports() > 0 ? "; probe reports refused and sent again: " + r.refusedReports()
                        : "") + r.firstFailure().map(f -> "; first failure: " + f).orElse("")));
        results.row(Row.of(new Measurement("city stats via gateway (the probes' polls)", beside + ", 1 at a time",
                        r.polls(), r.pollErrors(), intake.seconds()),
                "GET /api/units/{city}/stats as the city's supervisor: the city's own roll-up and its districts' reports"));
        plot.add("roll-up freshness (community → city figures)", r.freshness());
        List<String> notes = new ArrayList<>();
        notes.add("**Roll-up freshness**: while the intake ran open loop at " + Formats.number(rate) + " cases/s "
                + "(the CaseBatch's cases over all communities), " + plan.freshnessProbes + " probe cases, one at a time"
                + " after a random pause of up to " + RollupFreshness.PUBLISH_INTERVAL.toMillis() + " ms, each at a "
                + "community (shuffled order) through the gateway, of category " + RollupFreshness.PROBE_CATEGORY
                + ", which nothing else in the benchmark reports. Right after a probe's 201, N = the reports of that"
                + " category by the units of the probe's district in the community node's database (JDBC; the units'"
                + " own REPORT entries by the record's category, as the roll-up counts them). The probe is in the city's"
                + " figures when the city's GET /api/units/{city}/stats (as its supervisor, through the gateway, every "
                + RollupFreshness.POLL.toMillis() + " ms) shows category." + RollupFreshness.PROBE_CATEGORY + " ≥ N for"
                + " that district: exact under load, since only the probes add to it and each district report counts"
                + " the communities' reports as of some moment, never more than the database holds.");
        notes.add("What bounds freshness by design (docs/stats.md, StatsProperties, ReportPacing): a node looks for "
                + "changed units every 500 ms; a unit whose own records changed reports at most once per publish "
                + "interval (gridlink.stats.publish-interval, 1 s unless --node-args sets it; changes within it "
                + "coalesced; its own figures computed then, from the settle (gridlink.stats.settle, 5 s, widened "
                + "while commits come late) before the last computation or the first day of a changed case that began "
                + "before it; its figures now every 5 s), one whose subtree changed (a child's newer report) at most "
                + "once per relay interval (gridlink.stats."
                + "relay-interval, 250 ms; its own figures as last computed, no roll-up query; a round starts as soon "
                + "as such a report may go up), and a round of roll-ups that took t is followed no sooner than t later "
                + "(gridlink.stats.busy-share 0.5). Under continuous change a probe waits for its community's next "
                + "report (up to a publish interval), then for a relay at the township and at the district. In a "
                + "quiet city it is about 3 × (relay + broker).");
        notes.add("The nodes' rounds of roll-ups while the probes ran (gridlink.stats.round and "
                + "gridlink.stats.round.units from each node's Prometheus scrape): " + String.join("; ", rounds) + ".");
        notes.add("Where the machine's CPU went while the probes ran (each process's CPU time over the time of "
                + "all cores; PostgreSQL is its server and backends, the driver the benchmark's own JVM with the load "
                + "and the probes): " + cpu + ".");
        statements.forEach(st -> notes.add("Where the nodes' databases spent their time while the probes ran "
                + "(pg_stat_statements, everything the nodes ran: the intake, relays, roll-ups): " + st + "."));
        if (!platform.nodeSettings().isEmpty()) {
            notes.add("The nodes ran with " + String.join(" ", platform.nodeSettings()) + " (--node-args): where "
                    + "these notes give a node's default, this setting replaced it.");
        }
        if (rate > intakeCeiling()) {
            notes.add("The freshness load's rate is above the intake's closed-loop maximum measured earlier in this run ("
                    + Formats.number(intakeCeiling()) + "/s): the nodes were saturated, and so the freshness was "
                    + "measured on a node that could not keep up.");
        }
        return new Freshness(r, notes);
    }

    /** The intake's closed-loop maximum of this run, if it was measured; infinity if not. */
    private double intakeCeiling() {
        return results.rows().stream().filter(r -> r.scenario().equals("intake via gateway")
                        && r.load().startsWith("closed loop"))
                .mapToDouble(Row::throughput).findFirst().orElse(Double.POSITIVE_INFINITY);
    }

    // ---- reads at a million records ---------------------------------------------------------------------------------

    /**
     * A category nobody reports in the benchmark: the queue filtered by it read a unit's whole queue until kernel V19
     * indexed the queue by category.
     */
    static final String RARE_CATEGORY = "GAS_SAFETY";

    /** The reads at a million records that the ratios need, and the notes that say how they were measured. */
    private static final class Reads {
        Measurement gatewayFirst;
        Measurement directFirst;
        Measurement gatewayKeyset;
        Measurement busyGatewayFirst;
        Measurement openGatewayFirst;
        Measurement gatewayCase;
        final List<String> notes = new ArrayList<>();
    }

    /** One read, through the gateway and direct to the community node. */
    private record ReadKind(String name, String note, Operation viaGateway, Operation direct) {
    }

    /** The nodes' {@code gridlink.stats.busy-share} (their default): after a round of roll-ups, a rest as long. */
    static final double BUSY_SHARE = 0.5;

    /** The node's argument that pauses its roll-up publisher: its first look for changes an hour away. */
    static final String PAUSE_ROLLUPS = "--gridlink.stats.poll-interval=1h";

    /**
     * Loads the community node with {@code --records} records ({@link BulkLoad}); measures the queue's first page and
     * the case page right after the commit, while the node computes its first round of roll-ups over them; waits for
     * those to reach the city; restarts the node with its publisher paused ({@link #PAUSE_ROLLUPS}) and measures a
     * community's roll-up on its own, takes the query plans ({@link QueryPlans}, written to {@code plansFile}), then
     * all four reads. Gateway and direct alternate in rounds.
     */
    private Reads millionReads(Path plansFile) throws IOException {
        Reads out = new Reads();
        String gw = platform.gatewayUrl();
        String direct = platform.nodeUrl("community");
        String unit = communities.get(0);
        int units = communities.size();
        BulkLoad loader = new BulkLoad(plan.records, city.cellsByCommunity(), Instant.now());
        BenchPlatform.say("bulk load: " + plan.records + " records with their timeline entries into gridlink_community");
        BulkLoad.Result loaded;
        List<BigNodeReads.Loaded> sample;
        try (Connection db = platform.connect("gridlink_community")) {
            loaded = loader.load(db, BenchPlatform::say);
            sample = BigNodeReads.sample(db, loaded.firstSeq(), loaded.lastSeq(), 2_000, batchSeed);
        } catch (SQLException e) {
            throw new IllegalStateException("bulk load: " + e.getMessage(), e);
        }

        BigNodeReads reads = new BigNodeReads(api, communities, sample);
        String at = " at " + Formats.number(plan.records) + " records";
        ReadKind first = new ReadKind("queue first page", "GET /api/units/{c}/cases?limit=" + BigNodeReads.PAGE
                + ", the communities in turn", reads.firstPage(gw), reads.firstPage(direct));
        ReadKind keyset = new ReadKind("queue keyset pages", "…&cursor=<the page before's nextCursor>: each client a"
                + " supervisor paging down a community's queue", reads.keysetPages(gw), reads.keysetPages(direct));
        ReadKind status = new ReadKind("queue status=" + BigNodeReads.STATUS, "GET …/cases?status="
                + BigNodeReads.STATUS + "&limit=" + BigNodeReads.PAGE, reads.statusPage(gw), reads.statusPage(direct));
        ReadKind casePage = new ReadKind("case page", "GET /api/units/{c}/cases/{id} of " + sample.size()
                + " random loaded records", reads.casePage(gw), reads.casePage(direct));

        // right after the commit: the community node's publisher works through its first round over the loaded
        // records, one community's roll-up after another (paced nodes rest after a round, so later it may not)
        long busyFrom = System.nanoTime();
        List<Measurement[]> busy = readPass(List.of(first, casePage), at + ", roll-ups running", plan.warmup);
        Duration busyFor = Duration.ofNanos(System.nanoTime() - loaded.committedNanos());
        Duration busyPass = Duration.ofNanos(System.nanoTime() - busyFrom);
        out.busyGatewayFirst = busy.get(0)[0];
        plot.add("queue first page 1M via gateway, roll-ups on", busy.get(0)[0].latencyMicros());
        BenchPlatform.say("waiting for the city's figures to count the loaded records (the nodes' roll-ups)");
        Optional<Duration> inCity = awaitCityCountsEveryReport(loaded.committedNanos(), Duration.ofMinutes(5));

        // a community's figures read as its supervisors read them, the publisher running (a read goes on from what
        // the unit's last report kept, Rollups.ownNow), and its assessment of a month (its grid cells computed from
        // the month's first day on): this month's, and the window's first month's, which is computed from the
        // window's first day, as every month's was before
        BenchPlatform.say("a community's figures and assessment, one read at a time, the publisher running");
        Histogram statsRead = oneAtATime(units - 1, c -> api.stats(direct, c, ""));
        results.row(Row.of(new Measurement("a community's figures read" + at, "1 at a time, publisher running",
                        statsRead, units - 1 - statsRead.getTotalCount(), statsRead.getMean() * statsRead.getTotalCount() / 1e6),
                "GET /api/units/{c}/stats at the node, each community once: its own figures go on from what its last "
                        + "report kept (the settle before it, or a changed case's first day), its figures now computed"));
        LocalDate today = LocalDate.now(QueryPlans.STATS_ZONE);
        YearMonth thisMonth = YearMonth.from(today);
        YearMonth firstMonth = YearMonth.from(today.minusDays(QueryPlans.WINDOW_DAYS - 1L));
        Histogram assessed = oneAtATime(5, c -> api.assessment(direct, c, thisMonth.toString()));
        Histogram assessedFirst = oneAtATime(3, c -> api.assessment(direct, c, firstMonth.toString()));
        results.row(Row.of(new Measurement("a community's assessment of " + thisMonth + at, "1 at a time",
                        assessed, 5 - assessed.getTotalCount(), assessed.getMean() * assessed.getTotalCount() / 1e6),
                "GET /api/units/{c}/assessment?period=" + thisMonth + " at the node: its 3 grid cells' figures from "
                        + thisMonth.atDay(1) + " on"));
        results.row(Row.of(new Measurement("a community's assessment of " + firstMonth + at, "1 at a time",
                        assessedFirst, 3 - assessedFirst.getTotalCount(), assessedFirst.getMean() * assessedFirst.getTotalCount() / 1e6),
                "the window's first month: its cells' figures from the window's first day on, as every month's were "
                        + "computed before"));
        out.notes.add("A community's figures read with its node's publisher running (GET …/stats at the node, each "
                + "community once, one at a time) took p50 " + Formats.millis(statsRead.getValueAtPercentile(50))
                + ", p99 " + Formats.millis(statsRead.getValueAtPercentile(99)) + " (its own figures go on from what its"
                + " last report kept, Rollups.ownNow; the whole window of a community, below, is what a read computed"
                + " before). A community's assessment of " + thisMonth + " took p50 "
                + Formats.millis(assessed.getValueAtPercentile(50)) + ", of " + firstMonth + " (computed from the "
                + "window's first day, as every month was before) p50 "
                + Formats.millis(assessedFirst.getValueAtPercentile(50)) + ".");

        // what keeping the loaded records' roll-ups costs with nothing asked: each unit's report every heartbeat, from
        // what the last kept, and its whole window every gridlink.stats.whole-interval (the units spread over it)
        Duration rest = Duration.ofSeconds(120);
        BenchPlatform.say("the platform at rest for " + rest.toSeconds() + " s" + at + ", the publisher running");
        Watch resting = atRest(rest);
        String restCpu = resting.cpu();
        out.notes.add("**The platform at rest" + at + "** (" + rest.toSeconds() + " s with no request, after the"
                + " reads above, the community node's publisher running: each unit reported every heartbeat from what"
                + " its last report kept, its whole window computed every gridlink.stats.whole-interval, the units"
                + " spread over it), share of the machine's cores: " + restCpu + ". The roll-ups meanwhile: "
                + String.join("; ", resting.nodes(RollupRounds.Scrape::describe)) + ".");

        BenchPlatform.say("restarting the community node with its roll-up publisher paused (" + PAUSE_ROLLUPS + ")");
        platform.restartNode("community", "rollups-paused", List.of(PAUSE_ROLLUPS));
        Histogram rollup = rollupCost(direct);
        results.row(Row.of(new Measurement("a community's own roll-up" + at, "1 at a time, publisher paused", rollup, 0,
                        rollup.getTotalCount() == 0 ? 0 : rollup.getMean() * rollup.getTotalCount() / 1e6),
                "GET /api/units/{c}/stats at the node: a community's whole 400-day window, what its publisher "
                        + "computes for every unit at start-up and each unit every gridlink.stats.whole-interval (1 h, the "
                + "units spread over it; 5 min before the publisher kept the gaps in the timeline's numbers)"));
        List<QueryPlans.Plan> plans;
        try (Connection db = platform.connect("gridlink_community")) {
            long deep;
            UUID caseId;
            try (PreparedStatement p = db.prepareStatement("select percentile_disc(0.5) within group (order by seq),"
                    + " (select case_id from case_record where unit_code = ? and seq >= ? order by seq limit 1)"
                    + " from case_record where unit_code = ?")) {
                p.setString(1, unit);
                p.setLong(2, loaded.firstSeq());
                p.setString(3, unit);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    deep = rs.getLong(1);
                    caseId = rs.getObject(2, UUID.class);
                }
            }
            plans = QueryPlans.explain(db, QueryPlans.queries(unit, deep, caseId, RARE_CATEGORY, Instant.now()));
        } catch (SQLException e) {
            throw new IllegalStateException("query plans: " + e.getMessage(), e);
        }
        QueryPlans.write(plansFile, "Query plans at " + plan.records + " records, unit " + unit + " ("
                + LocalDate.now() + ")", plans);
        BenchPlatform.say("query plans: " + plansFile);

        // the read path on its own: the restarted node is cold again, hence the longer warm-up
        settleJit("the reads at " + Formats.number(plan.records) + " records", List.of(first.viaGateway(),
                first.direct(), casePage.viaGateway(), casePage.direct()));
        JitActivity.Snapshot jit = JitActivity.take(platform.processes());
        long from = System.nanoTime();
        List<Measurement[]> quiet = readPass(List.of(first, keyset, status, casePage), at,
                plan.warmup.multipliedBy(2));
        out.gatewayFirst = quiet.get(0)[0];
        out.directFirst = quiet.get(0)[1];
        out.gatewayKeyset = quiet.get(1)[0];
        out.gatewayCase = quiet.get(3)[0];
        plot.add("queue first page at 1M via gateway", quiet.get(0)[0].latencyMicros());
        plot.add("case page at 1M via gateway", quiet.get(3)[0].latencyMicros());
        // a closed loop at saturation measures its queue as much as the read: the page's own latency at half the rate
        // (or at the rate --reads-open-rate asks, to compare two builds at one rate)
        double openRate = plan.readsOpenRate(quiet.get(0)[0].throughput());
        // the community node's and the gateway's loops and every process's wait for a core over the open loop, its
        // warm-up and measurement: whether its tail is their loops running late, or the cores' queue. Scraped before the
        // loop starts: a scrape of the node costs it tens of milliseconds of CPU, enough at this load to set off a
        // collapse of a second or two (2026-12-07-only-reads-1m-3). Scraped a third of the warm-up before the
        // measurement, as until 2026-12-08, one on a slower host (2026-12-08-only-reads-1m-3: p99 0.54-1.29 s for three
        // seconds) still had aftershocks 1.6 to 2.7 s into the measurement, 61 of its 190 slow requests. Then
        // two idle seconds, so that what the closed loops and the scrape left running does not meet the loop's start
        OpenLoopStart start = new OpenLoopStart(LoopDelays.scrape(platform.nodeUrl("community")),
                LoopDelays.scrape(platform.gatewayUrl()), new Watch(false), Instant.now());
        idle(OPEN_LOOP_IDLE_START, "before the queue page's open loop");
        // the kernel's memory monitor's bursts beside the loop's slow requests, where the machine runs one
        Optional<MonitorBursts> monitor = MonitorBursts.start(home.resolve("bench/target/" + MONITOR_BURSTS));
        String openName = "queue first page" + at + " via gateway, open loop";
        Instant openStarted = Instant.now();
        out.openGatewayFirst = driver.openLoop(openName, openRate, plan.warmup, plan.measure, first.viaGateway());
        Instant openEnded = Instant.now();
        monitor.ifPresent(MonitorBursts::closeQuietly);
        String openWaits = start.watch().waits();
        String openCpu = start.watch().cpu();
        LoopDelays loopsDuring = LoopDelays.scrape(platform.nodeUrl("community")).minus(start.node());
        LoopDelays gatewayLoopsDuring = LoopDelays.scrape(platform.gatewayUrl()).minus(start.gateway());
        results.row(Row.of(out.openGatewayFirst, plan.readsOpenRateLabel() + (plan.readsOpenRate > 0 ? "" : " just"
                + " measured") + "; latency from the intended send time" + sentLate(out.openGatewayFirst)));
        out.notes.add("**The queue page's open loop** (" + Formats.number(openRate) + "/s, over its "
                + plan.warmup.toSeconds() + " s of warm-up and its measurement; the node and the gateway scraped "
                + OPEN_LOOP_IDLE_START.toSeconds() + " s before it began, the platform idle between): the community"
                + " node's event loops ran a task given to them (each loop probed every 100 ms, gridlink.eventloop.delay)"
                + " late by: " + loopsDuring.describe() + "; the gateway's: "
                + gatewayLoopsDuring.describe() + ". Share of the machine's"
                + " cores: " + openCpu + ". How long each process's threads waited for a core, in percent of the time"
                + " (100: one thread waiting all the time; from /proc/<pid>/task/*/schedstat): " + openWaits + ". How"
                + " fast a core ran the same hashing each second, by the hashing thread's own CPU (core-speed.csv: a"
                + " host that slows the cores lowers it, the platform's load does not): "
                + coreSpeed.describe(start.at(), openEnded) + ".");
        monitor.ifPresent(m -> {
            Instant measureFrom = openStarted.plus(plan.warmup);
            Instant measureTo = measureFrom.plusNanos(Math.round(out.openGatewayFirst.seconds() * 1e9));
            MonitorBursts.Around around = MonitorBursts.around(m.bursts(), SlowRequests.measured(
                    home.resolve("bench/target/slow.csv"), openName), measureFrom, measureTo,
                    out.openGatewayFirst.count() + out.openGatewayFirst.errors());
            out.notes.add("**The open loop's slow requests beside the kernel's memory monitor** (" + MONITOR_BURSTS
                    + ": the bursts of its kdamond thread's CPU, read every " + MonitorBursts.POLL.toMillis()
                    + " ms over the loop; the poll took " + String.format(Locale.ROOT, "%.1f", m.pollerCpu().toNanos()
                    / 1e6 / Duration.between(openStarted, openEnded).toMillis() * 1000) + " ms of CPU a second): over"
                    + " the measurement " + MonitorBursts.describe(m.bursts(), measureFrom, measureTo) + "; "
                    + around.describe(SLOW_REQUEST) + ".");
        });
        plot.add("queue first page at 1M via gateway, open loop at " + (plan.readsOpenRate > 0
                ? Formats.number(openRate) + "/s" : "half"), out.openGatewayFirst.latencyMicros());
        jitDuring("the reads at " + Formats.number(plan.records) + " records (after the restart)", jit, from);

        double cycle = rollup.getTotalCount() == 0 ? Double.NaN : rollup.getValueAtPercentile(50) / 1e6 * units;
        out.notes.add("**Reads at " + Formats.number(plan.records) + " records**: BulkLoad (bench) put " + plan.records
                + " case_record rows, each with its REPORT entry in timeline_entry (and a closed one its CLOSE), into the community node's own "
                + "database, round robin over its " + units + " communities (about " + plan.records / units + " each),"
                + " their grid cells, the batch's categories and sources, created over the last 365 days; "
                + BulkLoad.BATCH + " rows per insert … select from generate_series, one transaction: "
                + BulkLoad.seconds(loaded.insert().toNanos()) + ", then vacuum (analyze) "
                + BulkLoad.seconds(loaded.vacuum().toNanos()) + " (" + loaded.vacuums() + "×, until at least "
                + Math.round(BulkLoad.SETTLED * 100) + "% of case_record's pages were all-visible, or "
                + BulkLoad.VACUUMS + " tries: " + Math.round(loaded.allVisible() * 100) + "%; "
                + BulkLoad.seconds(loaded.total().toNanos())
                + " in all, with no other load on the platform). Statuses: " + loaded.statuses() + ". The open ones are the"
                + " newest 3% (about the last 11 days), their deadlines 30 to 60 days ahead: none is overdue (the load "
                + "checks it), so the overdue scan tells nobody; a flood of overdue notices up three tiers would be "
                + "another benchmark. Loaded after the other scenarios, so that their numbers are not on a node holding "
                + "them; their own cases (lower seq) sit below the loaded ones in the queues.");
        out.notes.add("Each loaded record has its REPORT entry, and each closed or rejected one its CLOSE or REJECT "
                + "entry (so the roll-ups count it in status.CLOSED or status.REJECTED, as a real node's); a real year's "
                + "record has several more (accept, handle, verify), so the case page's timeline and the roll-up's scans "
                + "are lighter here than on a real node with as many records.");
        out.notes.add("A community's own roll-up over its whole window (GET …/stats at the node with its publisher "
                + "paused, one at a time) took p50 " + Formats.millis(rollup.getTotalCount() == 0 ? Double.NaN
                : rollup.getValueAtPercentile(50)) + " at about " + plan.records / units + " records per community: it "
                + "reads every figure of the 400-day window from the unit's records and timeline (RollupCalculator). "
                + "The publisher computes the whole window of its units together at start-up and each unit again at "
                + "least every hour (gridlink.stats.whole-interval; the units spread over it; every 5 min until the "
                + "publisher kept the gaps in the timeline's numbers), " + units
                + " communities being about " + (Double.isNaN(cycle)
                ? "n/a" : Formats.significant(cycle) + " s") + " of such work if a batch costs what its units cost one by "
                + "one (not measured); in between each unit only from the earliest time that can have changed, and after a "
                + "round it rests as long as the round took (gridlink.stats.busy-share " + BUSY_SHARE + "). "
                + inCity.map(d -> "After the load the city's figures counted every loaded report "
                        + BulkLoad.seconds(d.toNanos()) + " after its commit.")
                .orElse("After the load the city's figures did **not** count every loaded report within 5 minutes of "
                        + "its commit."));
        out.notes.add("The reads were measured twice. First right after the load's commit (rows 'roll-ups running': "
                + "the queue's first page and the case page, " + BulkLoad.seconds(busyPass.toNanos()) + ", ending "
                + BulkLoad.seconds(busyFor.toNanos()) + " after the commit), while the community node's publisher "
                + "worked through its first round over the loaded records (about " + (Double.isNaN(cycle) ? "n/a"
                : Formats.significant(cycle) + " s") + " by the roll-up's time below" + (busyFor.toSeconds() > cycle
                ? "; the pass outlasted it, so part of it ran on a resting node" : "") + "). Then after restarting the "
                + "community node with " + PAUSE_ROLLUPS + " (its roll-up publisher does not run; nothing else changed, "
                + "the overdue scan included), which measures the read path itself (the other rows, and the ratio).");
        double pageMillis = QueryPlans.named(plans, "queue: first page").map(QueryPlans.Plan::executionMillis)
                .orElse(Double.NaN);
        double caseMillis = QueryPlans.named(plans, "case page: the record with its timeline")
                .map(QueryPlans.Plan::executionMillis).orElse(Double.NaN);
        out.notes.add("PostgreSQL runs a queue page in " + Formats.millis(pageMillis * 1000) + " and the case page's"
                + " query in " + Formats.millis(caseMillis * 1000) + " at this size (the plans below): the rest of "
                + "each read's time is HTTP, security, JSON, the node and the gateway, on " + Runtime.getRuntime()
                .availableProcessors() + " cores shared with everything else (see the load average). In a full run "
                + "the case page is also read in the gateway overhead scenario, on the same node before the load: "
                + "the ratio of the two is what the million costs.");
        List<QueryPlans.Plan> slow = plans.stream().filter(p -> p.executionMillis() > 20).toList();
        if (!slow.isEmpty()) {
            out.notes.add("**Slow at this size** (over 20 ms in PostgreSQL alone): " + QueryPlans.summary(slow)
                    + " (a Seq Scan reads the whole table, a search for a word in none the unit's whole queue; the "
                    + "roll-up's scans read every record and entry of the unit).");
        }
        out.notes.add("Query plans on the loaded database, publisher paused (explain analyze, unit " + unit + "; all in "
                + plansFile.getFileName() + "): " + QueryPlans.summary(plans) + ".");
        out.notes.add("The keyset pages went down to page " + reads.deepestPage() + " of a community's queue.");
        return out;
    }

    /**
     * Each read through the gateway and direct, {@code plan.rounds} alternated rounds (ABBA) after one warm-up over
     * all of them; per read, {gateway, direct}, each written as a row.
     */
    private List<Measurement[]> readPass(List<ReadKind> kinds, String suffix, Duration warmup) {
        List<Operation> all = new ArrayList<>();
        kinds.forEach(k -> {
            all.add(k.viaGateway());
            all.add(k.direct());
        });
        AtomicLong i = new AtomicLong();
        driver.closedLoop("reads warm-up", plan.clients, Duration.ZERO, warmup,
                () -> all.get((int) (i.getAndIncrement() % all.size())).start());
        String load = "closed loop, " + plan.clients + " clients, " + plan.rounds + " rounds alternated";
        List<Measurement[]> measured = new ArrayList<>();
        for (ReadKind k : kinds) {
            Measurement g = null;
            Measurement d = null;
            for (int round = 0; round < plan.rounds; round++) {
                for (boolean viaGateway : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                    Measurement m = driver.closedLoop(k.name() + (viaGateway ? " via gateway" : " direct") + " r"
                            + (round + 1), plan.clients, plan.phaseWarmup, plan.phase,
                            viaGateway ? k.viaGateway() : k.direct());
                    if (viaGateway) {
                        g = g == null ? m : g.plus(m);
                    } else {
                        d = d == null ? m : d.plus(m);
                    }
                }
            }
            g = g.named(k.name() + suffix + ", via gateway", load);
            d = d.named(k.name() + suffix + ", direct", load);
            results.row(Row.of(g, k.note())).row(Row.of(d, "the community node, same token"));
            measured.add(new Measurement[] {g, d});
        }
        return measured;
    }

    /** A community's own roll-up, as its node's publisher computes it: one warm-up, then five, one at a time (µs). */
    private Histogram rollupCost(String node) {
        return oneAtATime(5, c -> api.stats(node, c, ""));
    }

    /**
     * One warm-up read, then {@code n} (fewer than the communities), one at a time, each of another community than the
     * reads before (no read shares another's computation within the read TTL): their latencies (µs) of those answered
     * 200.
     */
    private Histogram oneAtATime(int n, Function<String, CompletableFuture<CaseApi.Reply>> read) {
        Histogram h = Measurement.newHistogram();
        for (int k = 0; k <= n; k++) {
            String c = communities.get(k % communities.size());
            long start = System.nanoTime();
            CaseApi.Reply r = read.apply(c).join();
            long micros = (System.nanoTime() - start) / 1_000;
            if (k > 0 && CaseApi.ok(r)) {
                h.recordValue(Math.max(1, micros));
            } else if (!CaseApi.ok(r)) {
                BenchPlatform.say("a read of " + c + " was not answered 200: " + r);
            }
        }
        return h;
    }

    /**
     * Waits until the city's figures (its GET …/stats over the whole window of the reports) count every report the
     * four databases hold; how long after {@code sinceNanos} that was, empty if not within {@code timeout}.
     */
    private Optional<Duration> awaitCityCountsEveryReport(long sinceNanos, Duration timeout) {
        LocalDate first = LocalDate.now(QueryPlans.STATS_ZONE).minusDays(QueryPlans.WINDOW_DAYS - 1L);
        long reports = 0;
        for (String tier : BenchPlatform.TIERS) {
            try (Connection db = platform.connect("gridlink_" + tier);
                 PreparedStatement p = db.prepareStatement("select count(*) from timeline_entry where action = 'REPORT'"
                         + " and entry_unit = unit_code and at >= ?")) {
                p.setObject(1, first.atStartOfDay(QueryPlans.STATS_ZONE).toOffsetDateTime());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    reports += rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("counting the reports in gridlink_" + tier + ": " + e.getMessage(), e);
            }
        }
        String cityCode = communities.get(0).substring(0, 4) + "00000000";
        long deadline = System.nanoTime() + timeout.toNanos();
        long shown = -1;
        while (System.nanoTime() < deadline) {
            CaseApi.Reply r = api.stats(platform.gatewayUrl(), cityCode, "from=" + first).join();
            if (CaseApi.ok(r)) {
                shown = CaseApi.json(r).path("figures").path("counts").path("reported").asLong();
                if (shown >= reports) {
                    return Optional.of(Duration.ofNanos(System.nanoTime() - sinceNanos));
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        BenchPlatform.say("the city's figures show " + shown + " reports of " + reports + " after " + timeout);
        return Optional.empty();
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
    /** The database of the node that serves a unit. */
    static String databaseOf(String unit) {
        return "gridlink_" + tierOf(unit);
    }

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
