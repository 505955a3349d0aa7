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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds the records whose running clock ran out and tells every unit above the record's unit
 * ({@code gridlink.case.overdue.v1}, through the outbox, in the transaction that marks the record as told), once
 * per clock. Safe with several instances of a node: each record is locked by the instance that tells about it and
 * skipped by the others.
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

    public OverdueScan(CaseStore store, OutboxWriter outbox, CaseEventMapper events, TransactionalOperator tx,
                       Clock clock, MeterRegistry meters, int batchSize) {
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

    /** One pass as of {@code now}, batch by batch until nothing is left; the number of records told about. */
    public Mono<Integer> scan(Instant now) {
        return batch(now).expand(told -> told < batchSize ? Mono.empty() : batch(now))
                .reduce(0, Integer::sum);
    }

    private Mono<Integer> batch(Instant now) {
        Mono<Integer> work = store.lockNewlyOverdue(now, batchSize)
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
        List<UnitCode> ancestors = new ArrayList<>();
        for (UnitCode u = record.unit().parent().orElse(null); u != null; u = u.parent().orElse(null)) {
            ancestors.add(u);
        }
        return store.markOverdueTold(record.unit(), record.caseId(), running, now)
                .thenMany(Flux.fromIterable(ancestors)
                        .concatMap(a -> outbox.append(events.overdue(record, running, due, a, now))))
                .then(Mono.just(record));
    }
}
