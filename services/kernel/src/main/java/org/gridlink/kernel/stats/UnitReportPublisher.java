package org.gridlink.kernel.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends each served unit's roll-up up the tiers ({@code gridlink.unit.reported.v1} on the compacted
 * {@code gridlink.unit-reports} topic, through the outbox): when the unit's records change (found by the timeline's
 * identity column every poll interval), when a child's report changed its subtree, and at least once per heartbeat
 * interval (so that a parent can tell a quiet child from a stopped one); {@link ReportPacing} says how often for each.
 */
public class UnitReportPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UnitReportPublisher.class);

    private final Rollups rollups;
    private final DatabaseClient db;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final StatsProperties props;
    private final Map<String, Unit> served;
    private final ReportPacing pacing;
    // per changed unit, the earliest first entry of the cases whose timeline changed since its own figures were last
    // computed (Rollups.reports)
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();
    private final AtomicLong lastSeq = new AtomicLong(-1);
    // the numbers below lastSeq whose entries the looks have not seen, while they can still fill
    private final UnseenEntries unseen = new UnseenEntries();
    // when the previous look at the timeline was sent (the clock's time: entries are dated by it)
    private final AtomicReference<Instant> lastLook = new AtomicReference<>();
    // a child's report that may go up at once ends the rest between two rounds early (a new one for every rest)
    private final AtomicReference<Sinks.Empty<Void>> wake = new AtomicReference<>(Sinks.empty());
    private final Counter published;
    private final Timer rounds;
    private final DistributionSummary roundUnits;
    private final Timer ownWaits;
    private final Timer subtreeWaits;
    private final Timer late;
    private final Scheduler scheduler = Schedulers.newSingle("unit-reports", true);
    private volatile Disposable running;

    public UnitReportPublisher(Rollups rollups, DatabaseClient db, OutboxWriter outbox, ObjectMapper json,
                               StatsProperties props, MeterRegistry meters) {
        this.rollups = rollups;
        this.db = db;
        this.outbox = outbox;
        this.json = json;
        this.props = props;
        this.served = new ConcurrentHashMap<>();
        rollups.node().directory().ofTier(rollups.node().tier()).forEach(u -> served.put(u.code().value(), u));
        this.pacing = new ReportPacing(props, System::nanoTime, Set.copyOf(served.keySet()));
        this.published = Counter.builder("gridlink.stats.reports.published")
                .description("unit roll-ups written to the outbox").register(meters);
        this.rounds = Timer.builder("gridlink.stats.round")
                .description("a round of roll-ups: finding the changed units, computing and writing their reports")
                .register(meters);
        this.roundUnits = DistributionSummary.builder("gridlink.stats.round.units")
                .description("units reported in a round").register(meters);
        this.ownWaits = waits("own", meters);
        this.subtreeWaits = waits("subtree", meters);
        this.late = Timer.builder("gridlink.stats.commit.late")
                .description("how long before the previous look at the timeline the oldest entry new to a look was "
                        + "dated: its transaction committed at least that late (the settle widens to twice the latest)")
                .register(meters);
        Gauge.builder("gridlink.stats.timeline.gaps", unseen, UnseenEntries::numbers)
                .description("numbers of the timeline below the highest the publisher's looks have seen whose entries "
                        + "they have not seen, while those can still commit (UnseenEntries)")
                .register(meters);
        Gauge.builder("gridlink.stats.settle", rollups.settle(), s -> s.current().toNanos() / 1e9)
                .description("how far back a computation of a unit's own figures counts again what it counted before")
                .baseUnit("seconds").register(meters);
    }

    private static Timer waits(String change, MeterRegistry meters) {
        return Timer.builder("gridlink.stats.change.wait").tag("change", change)
                .description("from a unit's change (own: its records, subtree: a child's newer report) being seen to "
                        + "the report that carries it written to the outbox")
                .register(meters);
    }

    /**
     * A child's newer report arrived: the parent's subtree changed. A round starts as soon as its report may go up
     * (at once, or when its relay interval has passed), not at the next poll.
     */
    public void markChanged(String unit) {
        Duration left = pacing.subtreeChanged(unit);
        if (left == null) {
            return;
        }
        if (left.isZero()) {
            wake.get().tryEmitEmpty();
        } else {
            Mono.delay(left, scheduler).subscribe(x -> wake.get().tryEmitEmpty());
        }
    }

    /**
     * One round: find what changed, then report the units due ({@link ReportPacing}), all computed together and
     * written in one transaction.
     */
    Mono<Void> tick() {
        return findChangedUnits().then(Mono.defer(() -> {
            ReportPacing.Round round = pacing.due();
            roundUnits.record(round.due().size());
            return round.isEmpty() ? Mono.<Void>empty() : publish(round);
        }));
    }

    /**
     * Marks the units whose timeline has entries this round has not seen, and for each the first day of the cases
     * those entries belong to (as far back as the unit's figures can have changed; each case's first entry is looked
     * up once, however many new entries it has). An entry not seen is one numbered above the last a look saw, or in
     * one of the gaps below it that can still fill ({@link UnseenEntries}: an entry whose transaction committed after
     * a later one had been seen). At the first round there is nothing kept to compute from, so only the units are
     * found (and the gaps among the last {@value #FIRST_GAPS} numbers). An entry the unit made itself (the only ones
     * its figures count), new to this look but dated before the previous one, committed late: the settle widens for
     * it ({@link Settle}). A copy of another unit's entry (a case's history coming up or down the tiers) is dated when
     * that unit made it, and says nothing of this node's commits.
     */
    private Mono<Void> findChangedUnits() {
        long last = lastSeq.get();
        Instant previous = lastLook.get();
        Instant look = rollups.now();
        TimelineSeen seen = unseen.seen(last);
        DatabaseClient.GenericExecuteSpec spec = last < 0 ? db.sql(FIRST_LOOK).bind("window", FIRST_GAPS)
                : db.sql(LOOK).bind("last", last).bind("from", seen.fromBound()).bind("to", seen.toBound());
        // what the look read is taken only once the statement has answered whole: a look that fails part way takes
        // nothing (its numbers and gaps are looked at again by the next)
        List<Changed> changed = new ArrayList<>();
        List<long[]> filled = new ArrayList<>();
        List<long[]> found = new ArrayList<>();
        long[] snapshot = new long[2];
        return spec.map(row -> {
                    String kind = row.get("kind", String.class);
                    if ("unit".equals(kind)) {
                        changed.add(new Changed(row.get("unit_code", String.class), row.get("seq", Long.class),
                                row.get("first_at", Instant.class), row.get("oldest", Instant.class)));
                    } else {
                        long[] pair = {row.get("a", Long.class), row.get("b", Long.class)};
                        switch (kind) {
                            case "gap" -> found.add(pair);
                            case "filled" -> filled.add(pair);
                            default -> System.arraycopy(pair, 0, snapshot, 0, 2);
                        }
                    }
                    return kind;
                }).all().then(Mono.fromRunnable(() -> {
                    for (Changed c : changed) {
                        if (c.oldest() != null && previous != null && c.oldest().isBefore(previous)) {
                            Duration lag = Duration.between(c.oldest(), previous);
                            late.record(lag);
                            rollups.settle().late(lag);
                        }
                        pacing.ownChanged(c.unit());
                        if (c.firstAt() != null && served.containsKey(c.unit())) {
                            touched.merge(c.unit(), c.firstAt(), UnitReportPublisher::earlier);
                        }
                        lastSeq.accumulateAndGet(c.seq(), Math::max);
                    }
                    unseen.looked(filled, found, snapshot[0], snapshot[1]);
                    lastLook.set(look);
                }));
    }

    /**
     * A unit whose timeline has entries a look had not seen: the highest number of them, the first entry at the unit
     * of their cases, and the oldest of them the unit made itself.
     */
    private record Changed(String unit, long seq, Instant firstAt, Instant oldest) {
    }

    /** How many of the last numbers the first look looks for gaps among. */
    static final int FIRST_GAPS = 10_000;

    /** Rows of a look besides the changed units': the gaps, those filled, and the look's snapshot (as a and b). */
    private static final String LOOK_ROWS = """
            union all
            select 'gap', null, null, null, null, g.a, g.b
            from (select lag(seq, 1, cast(:last as bigint)) over (order by seq) + 1 as a, seq - 1 as b
                  from n where seq > :last) g where g.b >= g.a
            union all
            select 'filled', null, null, null, null, min(seq), max(seq)
            from (select seq, seq - row_number() over (order by seq) as run from n where seq <= :last) f group by run
            union all
            select 'snapshot', null, null, null, null, pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint""";

    /**
     * A look at the timeline after the first: the entries numbered above the last seen or in a gap kept
     * ({@code :from}, {@code :to}), per unit; the gaps among the new numbers; the runs of the gaps' numbers read;
     * the statement's snapshot, so that all of them are of one moment.
     */
    static final String LOOK = """
            with n as materialized (
                select seq, unit_code, case_id, at, entry_unit from timeline_entry where seq > :last
                union all
                select t.seq, t.unit_code, t.case_id, t.at, t.entry_unit
                from unnest(cast(:from as bigint[]), cast(:to as bigint[])) g(a, b)
                join timeline_entry t on t.seq between g.a and g.b),
            c as (select unit_code, case_id, max(seq) as seq, min(at) filter (where entry_unit = unit_code) as at
                  from n group by unit_code, case_id)
            select 'unit' as kind, c.unit_code, max(c.seq) as seq, min(f.at) as first_at, min(c.at) as oldest,
                   null::bigint as a, null::bigint as b
            from c cross join lateral (select f.at from timeline_entry f where f.unit_code = c.unit_code
                                       and f.case_id = c.case_id order by f.at, f.seq limit 1) f
            group by c.unit_code
            """ + LOOK_ROWS;

    /** The first look: each unit's last number, and the gaps among the last {@link #FIRST_GAPS} numbers. */
    static final String FIRST_LOOK = """
            with m as (select coalesce(max(seq), 0) as top from timeline_entry),
            n as materialized (select seq from timeline_entry where seq > (select top from m) - :window)
            select 'unit' as kind, unit_code, max(seq) as seq, null::timestamptz as first_at,
                   null::timestamptz as oldest, null::bigint as a, null::bigint as b
            from timeline_entry group by unit_code
            union all
            select 'gap', null, null, null, null, g.a, g.b
            from (select lag(seq, 1, (select greatest(top - :window, 0) from m)) over (order by seq) + 1 as a,
                         seq - 1 as b from n) g where g.b >= g.a
            union all
            select 'snapshot', null, null, null, null, pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint""";

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Writes the reports of the round's units to the outbox now, in one statement (which commits them together). */
    Mono<Void> publish(ReportPacing.Round round) {
        ReportPacing.Taken taken = pacing.take(round);
        Map<String, Instant> since = new HashMap<>();
        for (String code : round.due()) {
            // a unit reported for its subtree alone keeps its touched cases for the computation of its own figures
            Instant at = round.subtreeOnly().contains(code) ? touched.get(code) : touched.remove(code);
            if (at != null) {
                since.put(code, at);
            }
        }
        List<Unit> units = round.due().stream().map(served::get).toList();
        return rollups.reports(units, since, round.subtreeOnly(), unseen.seen(lastSeq.get()))
                .flatMap(reports -> outbox.appendAll(reports.stream().map(report -> new CloudEvent(UUID.randomUUID(),
                        UnitReport.TYPE, "/units/" + report.unit(), report.unit(), report.reportedAt(),
                        UnitReport.SCHEMA, report.unit(), json.writeValueAsBytes(report))).toList(), UnitReport.TOPIC))
                .then(Mono.fromRunnable(() -> {
                    ReportPacing.Waited waited = pacing.reported(taken);
                    waited.own().forEach(n -> ownWaits.record(n, TimeUnit.NANOSECONDS));
                    waited.subtree().forEach(n -> subtreeWaits.record(n, TimeUnit.NANOSECONDS));
                    published.increment(round.due().size());
                }))
                .onErrorResume(e -> {
                    pacing.failed(taken);
                    since.forEach((code, at) -> touched.merge(code, at, UnitReportPublisher::earlier));
                    log.warn("cannot report units {}: {}", round.due(), e.toString());
                    return Mono.empty();
                }).then();
    }

    @Override
    public void start() {
        // rounds paced by their own cost (gridlink.stats.busy-share), a poll interval apart unless a child's report
        // that may go up at once ends the rest early
        Mono<Void> round = Mono.defer(() -> {
            Sinks.Empty<Void> woken = Sinks.empty();
            wake.set(woken);
            long started = System.nanoTime();
            return tick().onErrorResume(e -> {
                        log.warn("unit reports: {}", e.toString());
                        return Mono.empty();
                    })
                    .then(Mono.defer(() -> {
                        Duration spent = Duration.ofNanos(System.nanoTime() - started);
                        rounds.record(spent);
                        Duration rest = props.restAfter(spent);
                        Duration poll = props.pauseAfter(spent);
                        return Mono.delay(rest, scheduler).then(Mono.firstWithSignal(
                                Mono.delay(poll.minus(rest), scheduler).then(), woken.asMono()));
                    }))
                    .then();
        });
        running = Mono.delay(props.pollInterval(), scheduler).then(round.repeat().then()).subscribe();
    }

    @Override
    public void stop() {
        if (running != null) {
            running.dispose();
        }
        scheduler.dispose();
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
