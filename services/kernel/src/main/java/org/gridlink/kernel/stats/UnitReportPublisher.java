package org.gridlink.kernel.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends each served unit's roll-up up the tiers ({@code gridlink.unit.reported.v1} on the compacted
 * {@code gridlink.unit-reports} topic, through the outbox): when the unit's records change (found by the timeline's
 * identity column every poll interval) or a child's report changed its subtree, at most once per publish interval
 * per unit for changes (changes in between are coalesced into one report), and at least once per heartbeat interval
 * (so that a parent can tell a quiet child from a stopped one).
 */
public class UnitReportPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UnitReportPublisher.class);

    private final Rollups rollups;
    private final DatabaseClient db;
    private final OutboxWriter outbox;
    private final TransactionalOperator tx;
    private final ObjectMapper json;
    private final StatsProperties props;
    private final Map<String, Unit> served;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    // per changed unit, the first day of the cases whose timeline changed since its last report (Rollups.reports)
    private final Map<String, LocalDate> touched = new ConcurrentHashMap<>();
    // when each unit last reported, in System.nanoTime(): the pacing must not follow the clock, which may jump (a
    // clock set ahead and back would otherwise silence a unit until the wrong time came round)
    private final Map<String, Long> lastPublished = new ConcurrentHashMap<>();
    private final Map<String, Long> lastChangePublished = new ConcurrentHashMap<>();
    private final AtomicLong lastSeq = new AtomicLong(-1);
    private final Counter published;
    private final Timer rounds;
    private final DistributionSummary roundUnits;
    private final Scheduler scheduler = Schedulers.newSingle("unit-reports", true);
    private volatile Disposable running;

    public UnitReportPublisher(Rollups rollups, DatabaseClient db, OutboxWriter outbox, TransactionalOperator tx,
                               ObjectMapper json, StatsProperties props, MeterRegistry meters) {
        this.rollups = rollups;
        this.db = db;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.props = props;
        this.served = new ConcurrentHashMap<>();
        rollups.node().directory().ofTier(rollups.node().tier()).forEach(u -> served.put(u.code().value(), u));
        this.published = Counter.builder("gridlink.stats.reports.published")
                .description("unit roll-ups written to the outbox").register(meters);
        this.rounds = Timer.builder("gridlink.stats.round")
                .description("a round of roll-ups: finding the changed units, computing and writing their reports")
                .register(meters);
        this.roundUnits = DistributionSummary.builder("gridlink.stats.round.units")
                .description("units reported in a round").register(meters);
    }

    /** A child's newer report arrived: the parent's subtree changed. */
    public void markChanged(String unit) {
        if (served.containsKey(unit)) {
            dirty.add(unit);
        }
    }

    /**
     * One round: find what changed, then report every changed unit whose last report for a change is at least a
     * publish interval old, and every unit that has not reported for a heartbeat interval, all computed together
     * and written in one transaction. Heartbeats do not delay a change's report, so a quiet unit's change goes up at
     * once.
     */
    Mono<Void> tick() {
        return findChangedUnits().then(Mono.defer(() -> {
            long now = System.nanoTime();
            List<String> due = served.keySet().stream().sorted().filter(u -> {
                Long last = lastPublished.get(u);
                Long lastChange = lastChangePublished.get(u);
                boolean heartbeat = last == null || now - last >= props.heartbeatInterval().toNanos();
                boolean change = dirty.contains(u)
                        && (lastChange == null || now - lastChange >= props.publishInterval().toNanos());
                return heartbeat || change;
            }).toList();
            roundUnits.record(due.size());
            return due.isEmpty() ? Mono.<Void>empty() : publish(due);
        }));
    }

    /**
     * Marks the units whose timeline has entries this round has not seen, and for each the first day of the cases
     * those entries belong to (as far back as the unit's figures can have changed; each case's first entry is looked
     * up once, however many new entries it has). At the first round there is
     * nothing kept to compute from, so only the units are found.
     */
    private Mono<Void> findChangedUnits() {
        long last = lastSeq.get();
        String sql = last < 0
                ? "select unit_code, max(seq) as seq, null::timestamptz as first_at from timeline_entry group by unit_code"
                : """
                select n.unit_code, max(n.seq) as seq, min(f.at) as first_at
                from (select unit_code, case_id, max(seq) as seq from timeline_entry where seq > :last
                      group by unit_code, case_id) n
                cross join lateral (select f.at from timeline_entry f where f.unit_code = n.unit_code
                                    and f.case_id = n.case_id order by f.at, f.seq limit 1) f
                group by n.unit_code""";
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
        if (last >= 0) {
            spec = spec.bind("last", last);
        }
        return spec.map(row -> {
                    String unit = row.get("unit_code", String.class);
                    long seq = row.get("seq", Long.class);
                    OffsetDateTime firstAt = row.get("first_at", OffsetDateTime.class);
                    markChanged(unit);
                    if (firstAt != null && served.containsKey(unit)) {
                        touched.merge(unit, rollups.today(firstAt.toInstant()), (a, b) -> a.isBefore(b) ? a : b);
                    }
                    lastSeq.accumulateAndGet(seq, Math::max);
                    return unit;
                }).all().then();
    }

    /** Writes the reports of {@code codes} to the outbox now, in one transaction. */
    Mono<Void> publish(List<String> codes) {
        Set<String> forChange = new HashSet<>();
        Map<String, LocalDate> since = new HashMap<>();
        for (String code : codes) {
            if (dirty.remove(code)) {
                forChange.add(code);
            }
            LocalDate day = touched.remove(code);
            if (day != null) {
                since.put(code, day);
            }
        }
        List<Unit> units = codes.stream().map(served::get).toList();
        return rollups.reports(units, since)
                .flatMap(reports -> tx.transactional(Flux.fromIterable(reports).concatMap(report -> {
                    CloudEvent event = new CloudEvent(UUID.randomUUID(), UnitReport.TYPE, "/units/" + report.unit(),
                            report.unit(), report.reportedAt(), UnitReport.SCHEMA, report.unit(),
                            json.writeValueAsBytes(report));
                    return outbox.append(event, UnitReport.TOPIC);
                }).then()))
                .then(Mono.fromRunnable(() -> {
                    long at = System.nanoTime();
                    for (String code : codes) {
                        lastPublished.put(code, at);
                        if (forChange.contains(code)) {
                            lastChangePublished.put(code, at);
                        }
                    }
                    published.increment(codes.size());
                }))
                .onErrorResume(e -> {
                    dirty.addAll(forChange);
                    since.forEach((code, day) -> touched.merge(code, day, (a, b) -> a.isBefore(b) ? a : b));
                    log.warn("cannot report units {}: {}", codes, e.toString());
                    return Mono.empty();
                }).then();
    }

    @Override
    public void start() {
        // rounds paced by their own cost (gridlink.stats.busy-share), at least a poll interval apart
        Mono<Void> round = Mono.defer(() -> {
            long started = System.nanoTime();
            return tick().onErrorResume(e -> {
                        log.warn("unit reports: {}", e.toString());
                        return Mono.empty();
                    })
                    .then(Mono.defer(() -> {
                        Duration spent = Duration.ofNanos(System.nanoTime() - started);
                        rounds.record(spent);
                        return Mono.delay(props.pauseAfter(spent), scheduler);
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
