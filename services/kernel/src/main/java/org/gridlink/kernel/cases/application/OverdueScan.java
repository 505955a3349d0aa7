package org.gridlink.kernel.cases.application;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.messaging.CaseEventMapper;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.support.outbox.OutboxWriter;
import org.gridlink.kernel.units.UnitDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The system's pass over the clocks, as of one instant:
 * <ol>
 *   <li>records whose running clock (acceptance, handling or verification) ran out: every unit above the record's
 *       unit is told ({@code gridlink.case.overdue.v1}, through the outbox, in the transaction that marks the record
 *       as told), once per clock;</li>
 *   <li>records told overdue that no longer are (accepted, handled, verified, extended, parked, given a new
 *       deadline): the units above are told to drop them from their overdue lists
 *       ({@code gridlink.case.overdue-cleared.v1});</li>
 *   <li>parked records whose review date came count again;</li>
 *   <li>records still overdue after their category's grace period ({@code autoEscalateAfter}) are escalated by the
 *       system.</li>
 * </ol>
 * Safe with several instances of a node: each record is locked by the instance that handles it and skipped by the
 * others (FOR UPDATE SKIP LOCKED).
 */
public class OverdueScan {

    private static final Logger log = LoggerFactory.getLogger(OverdueScan.class);

    private final CaseStore store;
    private final OutboxWriter outbox;
    private final CaseEventMapper events;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final int batchSize;
    private final CaseHandling handling;
    private final UnitDirectory directory;
    private final boolean autoEscalate;

    public OverdueScan(CaseStore store, OutboxWriter outbox, CaseEventMapper events, TransactionalOperator tx,
                       Clock clock, MeterRegistry meters, int batchSize) {
        this(store, outbox, events, tx, clock, meters, batchSize, null, null, false);
    }

    public OverdueScan(CaseStore store, OutboxWriter outbox, CaseEventMapper events, TransactionalOperator tx,
                       Clock clock, MeterRegistry meters, int batchSize, CaseHandling handling,
                       UnitDirectory directory, boolean autoEscalate) {
        this.handling = handling;
        this.directory = directory;
        this.autoEscalate = autoEscalate && handling != null && directory != null;
        this.store = store;
        this.outbox = outbox;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
        this.batchSize = batchSize;
    }

    @Scheduled(fixedDelayString = "${gridlink.overdue.scan-interval:60s}", initialDelayString = "${gridlink.overdue.scan-interval:60s}")
    public void scheduled() {
        try {
            scan(clock.instant()).block();
        } catch (RuntimeException e) {
            log.warn("overdue scan failed; the next one tries again: {}", e.toString());
        }
    }

    /** One pass as of {@code now}, batch by batch until nothing is left; the number of records told overdue. */
    public Mono<Integer> scan(Instant now) {
        return reviewParks(now)
                .then(drain(() -> batch(now)))
                .flatMap(told -> drain(() -> clearBatch(now))
                        .then(autoEscalate ? drain(() -> escalateBatch(now)) : Mono.just(0))
                        .thenReturn(told));
    }

    private Mono<Integer> drain(java.util.function.Supplier<Mono<Integer>> batch) {
        return batch.get().expand(n -> n < batchSize ? Mono.empty() : batch.get()).reduce(0, Integer::sum);
    }

    private Mono<Integer> reviewParks(Instant now) {
        if (handling == null) {
            return Mono.just(0);
        }
        return drain(() -> tx.transactional(rows(store.lockParkReviewsDue(now, batchSize))
                .concatMap(r -> handling.reviewPark(r, now).thenReturn(r)).count().map(Long::intValue)));
    }

    /** Tells the units above that records they were told about are no longer overdue. */
    private Mono<Integer> clearBatch(Instant now) {
        Mono<Integer> work = rows(store.lockNoLongerOverdue(now, batchSize))
                .concatMap(c -> clear(c, now))
                .count().map(Long::intValue);
        return tx.transactional(work);
    }

    private Mono<CaseRecord> clear(CaseStore.Cleared c, Instant now) {
        CaseRecord r = c.record();
        return Flux.fromIterable(c.clocks())
                .concatMap(clock -> store.markOverdueCleared(r.unit(), r.caseId(), clock)
                        .then(outbox.appendAll(ancestors(r.unit()).stream()
                                .map(a -> events.overdueCleared(r, clock, a, clearedBecause(r, clock, now), now))
                                .toList())))
                .then(Mono.just(r));
    }

    /**
     * Why a clock the units above were told ran out no longer does: the record is parked, the clock still runs with a
     * new deadline (extended, supervised), or the record moved on (its status: accepted, resolved, verified, …).
     */
    static String clearedBecause(CaseRecord r, CaseRecord.RunningClock clock, Instant now) {
        if (r.accountability().parkedAt(now)) {
            return "PARKED";
        }
        return r.runningClock() == clock ? "NEW_DEADLINE" : r.status().name();
    }

    /** Escalates the records still overdue after their category's grace period; the number escalated. */
    private Mono<Integer> escalateBatch(Instant now) {
        List<String> categories = directory.categories().stream()
                .filter(c -> directory.limits(c.code()).flatMap(l -> l.autoEscalation()).isPresent())
                .map(c -> c.code()).toList();
        Mono<Integer> work = rows(store.lockOverdue(now, categories, batchSize))
                .concatMap(r -> {
                    Instant due = r.stageDueAt();
                    var grace = directory.limits(r.details().categoryCode()).flatMap(l -> l.autoEscalation()).orElseThrow();
                    Instant escalateAt = grace.dueFrom(due, directory.calendar());
                    if (r.unit().parent().isEmpty() || !now.isAfter(escalateAt)) {
                        return Mono.just(false);
                    }
                    return handling.autoEscalate(r, "auto-escalated: the " + r.runningClock().name().toLowerCase()
                            + " time limit ran out at " + due + " and the grace period of " + grace + " passed at "
                            + escalateAt, now);
                })
                .filter(Boolean::booleanValue)
                .count().map(Long::intValue);
        // a batch in which nothing went up ends the pass: the rest are still within their grace periods
        return tx.transactional(work).map(n -> n == 0 ? 0 : batchSize);
    }

    /**
     * The locked rows, all read before any of them is worked on: the transaction's one connection cannot run the
     * work's statements while the locking query is still streaming rows (it would wait for them forever).
     */
    private static <T> Flux<T> rows(Flux<T> locked) {
        return locked.collectList().flatMapMany(Flux::fromIterable);
    }

    private static List<UnitCode> ancestors(UnitCode unit) {
        List<UnitCode> ancestors = new ArrayList<>();
        for (UnitCode u = unit.parent().orElse(null); u != null; u = u.parent().orElse(null)) {
            ancestors.add(u);
        }
        return ancestors;
    }

    private Mono<Integer> batch(Instant now) {
        Mono<Integer> work = rows(store.lockNewlyOverdue(now, batchSize))
                .concatMap(record -> tell(record, now))
                .count().map(Long::intValue);
        return tx.transactional(work)
                .doOnNext(n -> {
                    if (n > 0) {
                        meters.counter("gridlink.cases.overdue").increment(n);
                        log.info("{} record(s) overdue; the units above were told", n);
                    }
                });
    }

    private Mono<CaseRecord> tell(CaseRecord record, Instant now) {
        CaseRecord.RunningClock running = record.runningClock();
        Instant due = record.stageDueAt();
        return store.markOverdueTold(record.unit(), record.caseId(), running, now)
                .then(Mono.defer(() -> outbox.appendAll(ancestors(record.unit()).stream()
                        .map(a -> events.overdue(record, running, due, a, now)).toList())))
                .then(Mono.just(record));
    }
}
