package org.gridlink.kernel.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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
    // when each unit last reported, in System.nanoTime(): the pacing must not follow the clock, which may jump (a
    // clock set ahead and back would otherwise silence a unit until the wrong time came round)
    private final Map<String, Long> lastPublished = new ConcurrentHashMap<>();
    private final Map<String, Long> lastChangePublished = new ConcurrentHashMap<>();
    private final AtomicLong lastSeq = new AtomicLong(-1);
    private final Counter published;
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
    }

    /** A child's newer report arrived: the parent's subtree changed. */
    public void markChanged(String unit) {
        if (served.containsKey(unit)) {
            dirty.add(unit);
        }
    }

    /**
     * One round: find what changed, then report every changed unit whose last report for a change is at least a
     * publish interval old, and every unit that has not reported for a heartbeat interval. Heartbeats do not delay
     * a change's report, so a quiet unit's change goes up at once.
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
            return Flux.fromIterable(due).concatMap(u -> publish(u, dirty.contains(u))).then();
        }));
    }

    private Mono<Void> findChangedUnits() {
        return db.sql("select unit_code, max(seq) as seq from timeline_entry where seq > :last group by unit_code")
                .bind("last", lastSeq.get())
                .map(row -> {
                    String unit = row.get("unit_code", String.class);
                    long seq = row.get("seq", Long.class);
                    markChanged(unit);
                    lastSeq.accumulateAndGet(seq, Math::max);
                    return unit;
                }).all().then();
    }

    /** Writes the unit's report to the outbox now. */
    Mono<Void> publish(String code, boolean forChange) {
        Unit unit = served.get(code);
        dirty.remove(code);
        return rollups.report(unit)
                .flatMap(report -> {
                    CloudEvent event = new CloudEvent(UUID.randomUUID(), UnitReport.TYPE, "/units/" + code, code,
                            report.reportedAt(), UnitReport.SCHEMA, code, json.writeValueAsBytes(report));
                    return tx.transactional(outbox.append(event, UnitReport.TOPIC))
                            .then(Mono.fromRunnable(() -> {
                                long at = System.nanoTime();
                                lastPublished.put(code, at);
                                if (forChange) {
                                    lastChangePublished.put(code, at);
                                }
                                published.increment();
                            }));
                })
                .onErrorResume(e -> {
                    dirty.add(code);
                    log.warn("cannot report unit {}: {}", code, e.toString());
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
                    .then(Mono.defer(() -> Mono.delay(props.pauseAfter(Duration.ofNanos(System.nanoTime() - started)),
                            scheduler)))
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
