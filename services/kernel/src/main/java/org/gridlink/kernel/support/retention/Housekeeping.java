package org.gridlink.kernel.support.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.gridlink.kernel.config.GridlinkProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Deletes the bookkeeping that only serves to recognise a repeat, once the repeat can no longer come: the inbox's rows
 * (a consumed event's id) older than {@code gridlink.retention.inbox}, and the actions taken under an
 * {@code Idempotency-Key} ({@code keyed_action}) older than {@code gridlink.retention.keyed-actions}; and the outbox
 * rows an earlier release marked published instead of deleting them, once {@code gridlink.outbox.keep-published} has
 * passed (this release's relay deletes what it publishes; a replica still running the earlier one during a rolling
 * upgrade may mark some). Every {@code gridlink.retention.every}, the first time at a random point within the first
 * such interval (a node's instances, started together, take their turns apart); in batches of a bounded size, each its
 * own statement, so no delete holds many rows' locks for long or competes with the node's requests for more than a
 * batch. Every instance of a node runs it: a row is deleted once, whichever instance gets to it. Without it the inbox
 * and the keyed actions grow by a row per event and per keyed action for as long as the node runs (README, the inbox;
 * docs/state-machine.md, "An action sent again"). It also deletes the leaders' instructions kept on records closed or
 * rejected elsewhere, which wait on nobody. At start it warns when the inbox keeps its ids no longer than Kafka
 * keeps the inbox topic's records.
 */
public class Housekeeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final DatabaseClient db;
    private final GridlinkProperties.Retention retention;
    private final int batchSize;
    private final Counter inboxDeleted;
    private final Counter keyedDeleted;
    private final Counter outboxDeleted;
    private final Counter instructionsDeleted;
    private final Counter failed;
    private final Duration keepPublished;
    private final Mono<Duration> inboxTopicRetention;
    private volatile Disposable running;
    private volatile Disposable checking;

    /**
     * @param inboxTopicRetention how long Kafka keeps the records of the node's inbox topic (negative: for ever), looked
     *                            at once at start and compared with the inbox's ({@link #whyTheInboxMayNotOutlast})
     */
    public Housekeeping(DatabaseClient db, GridlinkProperties.Retention retention, Duration keepPublished, int batchSize,
                        Mono<Duration> inboxTopicRetention, MeterRegistry meters) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch of " + batchSize + " rows deletes nothing");
        }
        this.db = db;
        this.retention = retention;
        this.batchSize = batchSize;
        this.inboxTopicRetention = inboxTopicRetention;
        this.inboxDeleted = deleted("inbox", meters);
        this.keyedDeleted = deleted("keyed_action", meters);
        this.outboxDeleted = deleted("outbox", meters);
        this.instructionsDeleted = deleted("case_instruction", meters);
        this.failed = Counter.builder("gridlink.retention.failed").description("housekeeping rounds that failed")
                .register(meters);
        this.keepPublished = keepPublished;
    }

    private static Counter deleted(String table, MeterRegistry meters) {
        return Counter.builder("gridlink.retention.deleted").tag("table", table)
                .description("rows deleted by the housekeeping once their retention passed").register(meters);
    }

    /** Deletes the inbox's rows received more than {@code age} ago; how many. */
    public Mono<Long> purgeInbox(Duration age) {
        return inBatches("delete from inbox where event_id in (select event_id from inbox"
                + " where received_at < now() - make_interval(secs => :secs) limit :batch)", age)
                .doOnNext(inboxDeleted::increment);
    }

    /** Deletes the actions taken under a key more than {@code age} ago; how many. */
    public Mono<Long> purgeKeyedActions(Duration age) {
        return inBatches("delete from keyed_action where id in (select id from keyed_action"
                + " where applied_at < now() - make_interval(secs => :secs) limit :batch)", age)
                .doOnNext(keyedDeleted::increment);
    }

    /** Deletes the outbox rows an earlier release marked published more than {@code age} ago; how many. */
    public Mono<Long> purgePublished(Duration age) {
        return inBatches("delete from outbox where id in (select id from outbox"
                + " where published_at < now() - make_interval(secs => :secs) limit :batch)", age)
                .doOnNext(outboxDeleted::increment);
    }

    /**
     * Deletes the leaders' instructions (领导批示, V28) kept on records that are final: closed or rejected at another unit
     * of the chain (the unit's own closing action answered its instruction), they wait on nobody; how many.
     */
    public Mono<Long> purgeInstructionsOfFinalRecords() {
        return inBatches("delete from case_instruction where (unit_code, case_id) in (select i.unit_code, i.case_id"
                + " from case_instruction i join case_record r on r.unit_code = i.unit_code and r.case_id = i.case_id"
                + " where r.status in ('CLOSED', 'REJECTED') limit :batch)", null)
                .doOnNext(instructionsDeleted::increment);
    }

    /** One round: the three tables, each by its own retention, and the instructions of final records; how many rows went. */
    public Mono<Long> purge() {
        return Mono.zip(purgeInbox(retention.inbox()), purgeKeyedActions(retention.keyedActions()),
                purgePublished(keepPublished), purgeInstructionsOfFinalRecords()).map(n -> {
            long all = n.getT1() + n.getT2() + n.getT3() + n.getT4();
            if (all > 0) {
                log.info("housekeeping: deleted inbox rows: {} (older than {}), keyed actions: {} (older than {}), outbox"
                                + " rows marked published: {} (more than {} ago), instructions of final records: {}",
                        n.getT1(), retention.inbox(), n.getT2(), retention.keyedActions(), n.getT3(), keepPublished,
                        n.getT4());
            }
            return all;
        });
    }

    // a full batch may have left more behind: another, until one comes back short; age null: the statement takes none
    private Mono<Long> inBatches(String sql, Duration age) {
        Mono<Long> batch = Mono.defer(() -> {
            DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("batch", batchSize);
            return (age == null ? spec : spec.bind("secs", (double) age.toSeconds())).fetch().rowsUpdated();
        });
        return batch.expand(n -> n == batchSize ? batch : Mono.empty()).reduce(0L, Long::sum);
    }

    /**
     * Why the inbox's retention does not outlast the topic's, if it does not: a copy of an event Kafka still holds
     * (delivered again after a consumer group's offsets were reset, or replayed) would find no inbox row and be applied
     * again.
     */
    public static Optional<String> whyTheInboxMayNotOutlast(Duration inbox, Duration topic) {
        if (topic.isNegative()) {
            return Optional.of("the inbox topic keeps its records for ever (retention.ms -1), the inbox its ids "
                    + inbox + " (gridlink.retention.inbox): a copy delivered later than that would be applied again");
        }
        if (topic.compareTo(inbox) >= 0) {
            return Optional.of("the inbox topic keeps its records " + topic + " (retention.ms), the inbox its ids only "
                    + inbox + " (gridlink.retention.inbox): a copy delivered later than that would be applied again;"
                    + " keep the inbox's longer");
        }
        return Optional.empty();
    }

    /** How long Kafka keeps the records of {@code topic}, from its {@code retention.ms} (negative: for ever). */
    public static Mono<Duration> topicRetention(Map<String, Object> adminSettings, String topic) {
        return Mono.fromCallable(() -> {
            try (Admin admin = Admin.create(adminSettings)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                return Duration.ofMillis(Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value()));
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public void start() {
        checking = inboxTopicRetention.subscribe(topic -> whyTheInboxMayNotOutlast(retention.inbox(), topic).ifPresent(log::warn),
                e -> log.info("housekeeping: the inbox topic's retention could not be read ({}); keep"
                        + " gridlink.retention.inbox ({}) longer than it", e.toString(), retention.inbox()));
        running = Flux.interval(firstRound(retention.every()), retention.every())
                .onBackpressureDrop()
                .concatMap(i -> purge().onErrorResume(e -> {
                    failed.increment();
                    log.warn("housekeeping: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    public static Duration firstRound(Duration every) {
        return Duration.ofMillis(1 + ThreadLocalRandom.current().nextLong(every.toMillis()));
    }

    @Override
    public void stop() {
        if (checking != null) {
            checking.dispose();
        }
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    @Override
    public int getPhase() {
        // after the database beans are up, stopped before them
        return Integer.MAX_VALUE - 100;
    }
}
