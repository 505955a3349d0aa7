package org.gridlink.kernel.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Publishes the outbox to Kafka in order per key. Woken by LISTEN/NOTIFY on {@code gridlink_outbox} with a
 * polling fallback. Safe with several instances: rows are claimed with {@code FOR UPDATE SKIP LOCKED}, and a
 * transaction-scoped advisory lock per key keeps a second instance off a key whose earlier rows are in
 * flight, so per-key order holds. A batch's rows are deleted in the transaction that claims them, which commits only
 * after the broker acknowledged them all; a crash in between rolls the deletion back, the rows are published again and
 * the receivers' inboxes drop the copy. That commit is asynchronous ({@link RelayConnections}): losing it in a database
 * crash only brings the rows back to be published again, the same way. Rows an earlier release marked published
 * instead are the housekeeping's ({@code Housekeeping}).
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    /**
     * The claim: the oldest unpublished rows, those of a key another relay has in flight left out, deleted as they are
     * read. The batch size is written into it: it goes in a simple query, which binds nothing.
     */
    private static final String CLAIM = """
            delete from outbox where id = any(array(
                select id from outbox
                where published_at is null and pg_try_advisory_xact_lock(hashtext(msg_key))
                order by id
                limit %d
                for update skip locked))
            returning id, event_id, event_type, topic, msg_key, headers::text as headers, payload, created_at
            """;

    private final DatabaseClient db;
    private final ConnectionFactory claims;
    private final String claim;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ConnectionFactory listenConnections;
    private final ObjectMapper json;
    private final OutboxRelayHook hook;
    private final Duration pollInterval;
    private final int batchSize;
    private final Sinks.Many<Long> wake = Sinks.many().multicast().directBestEffort();
    private final RelayWakes wakes;
    private final Scheduler scheduler = Schedulers.newSingle("outbox-relay", true);
    private final Counter published;
    private final Timer publishLatency;
    private final AtomicLong pending = new AtomicLong();
    private volatile Disposable running;
    private volatile Disposable listening;

    /** @param connections the relay's own: its claims commit asynchronously ({@link RelayConnections}) */
    public OutboxRelay(RelayConnections connections, KafkaTemplate<String, byte[]> kafka, ObjectMapper json,
                       OutboxRelayHook hook, Duration pollInterval, int batchSize, MeterRegistry meters) {
        this.db = connections.db();
        this.claims = connections.pool();
        this.claim = CLAIM.formatted(batchSize);
        this.kafka = kafka;
        this.listenConnections = connections.listen();
        this.json = json;
        this.hook = hook;
        this.pollInterval = pollInterval;
        this.batchSize = batchSize;
        this.wakes = new RelayWakes(Math.max(1024, batchSize * 4));
        this.published = Counter.builder("gridlink.outbox.published").description("events published from the outbox")
                .register(meters);
        this.publishLatency = Timer.builder("gridlink.outbox.lag")
                .description("from the start of the transaction that wrote an outbox row (its created_at) to the"
                        + " broker's ack")
                .publishPercentileHistogram().register(meters);
        Gauge.builder("gridlink.outbox.pending", pending, AtomicLong::get)
                .description("unpublished outbox rows seen at the last poll").register(meters);
    }

    @Override
    public void start() {
        running = Flux.merge(wake.asFlux(), Flux.interval(Duration.ZERO, pollInterval).map(i -> RelayWakes.POLL))
                .onBackpressureLatest()
                .concatMap(tick -> drain(tick).onErrorResume(e -> {
                    log.warn("outbox relay: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribeOn(scheduler)
                .subscribe();
        listening = Flux.usingWhen(listenConnections.create(), this::listen, Connection::close)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe(payload -> wake.tryEmitNext(RelayWakes.notified(payload)));
    }

    private Flux<String> listen(Connection connection) {
        PostgresqlConnection pg = (PostgresqlConnection) connection;
        return pg.createStatement("LISTEN gridlink_outbox").execute().flatMap(PostgresqlResult::getRowsUpdated)
                .thenMany(pg.getNotifications().map(n -> n.getParameter() == null ? "" : n.getParameter()));
    }

    /**
     * Publishes batches until the outbox is empty, when a wake calls for it ({@link RelayWakes}): a notification of a
     * row this relay has not published claims at once; one of a row it published already does nothing; a poll tick
     * first asks whether anything is unpublished, outside a transaction (one statement instead of three).
     */
    Mono<Void> drain(long wakeUp) {
        return switch (wakes.next(wakeUp)) {
            case NOTHING -> Mono.empty();
            case CLAIM -> publishAll();
            case LOOK -> anyUnpublished().flatMap(any -> any ? publishAll() : Mono.<Void>empty());
        };
    }

    private Mono<Void> publishAll() {
        return publishBatch().expand(n -> n >= batchSize ? publishBatch() : Mono.empty()).then();
    }

    private Mono<Boolean> anyUnpublished() {
        return db.sql("select exists (select 1 from outbox where published_at is null) as any")
                .map(row -> Boolean.TRUE.equals(row.get("any", Boolean.class))).one().defaultIfEmpty(false);
    }

    /**
     * Takes one batch out of the outbox and publishes it, in one transaction: the rows are deleted as they are claimed,
     * and the deletion commits only after the broker acknowledged every one of them. If the send fails, or the node
     * stops before the commit, the transaction rolls back and the rows are there again for the next batch (the
     * receivers' inboxes drop a copy). Returns how many rows it published.
     * <p>
     * The transaction begins in the claim's own round trip: {@code BEGIN} and the claim go to PostgreSQL as one query
     * ({@link #CLAIM}, a batch in the simple query protocol, whose values come back as text), and the transaction stays
     * open after it until this commits or rolls back. Issue 8: one round trip fewer between a change's commit and its
     * event's send.
     */
    Mono<Integer> publishBatch() {
        return Mono.usingWhen(claims.create(), connection -> Mono.usingWhen(Mono.just(connection),
                                this::claimAndPublish, Connection::commitTransaction,
                                (c, error) -> c.rollbackTransaction(), Connection::rollbackTransaction),
                        Connection::close)
                .doOnNext(batch -> {
                    // committed: these rows are gone; a notification that names one of them is nothing to do
                    wakes.published(batch.stream().map(OutboxMessage::id).toList());
                    published.increment(batch.size());
                })
                .map(List::size);
    }

    private Mono<List<OutboxMessage>> claimAndPublish(Connection connection) {
        return Flux.from(connection.createBatch().add("begin").add(claim).execute())
                .concatMap(result -> result.map(this::message))
                .collectSortedList(Comparator.comparingLong(OutboxMessage::id))
                .flatMap(batch -> batch.isEmpty() ? Mono.just(batch) : publish(batch).thenReturn(batch));
    }

    private OutboxMessage message(Readable row) {
        return new OutboxMessage(row.get("id", Long.class), row.get("event_id", UUID.class),
                row.get("event_type", String.class), row.get("topic", String.class), row.get("msg_key", String.class),
                json.readValue(row.get("headers", String.class), HEADERS), bytes(row.get("payload", ByteBuffer.class)),
                row.get("created_at", Instant.class));
    }

    private Mono<Void> publish(List<OutboxMessage> batch) {
        pending.set(batch.size());
        return Mono.fromCallable(() -> {
                    hook.beforePublish(batch);
                    List<CompletableFuture<?>> acks = new ArrayList<>(batch.size());
                    for (OutboxMessage m : batch) {
                        ProducerRecord<String, byte[]> record = new ProducerRecord<>(m.topic(), m.key(), m.payload());
                        m.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                        acks.add(kafka.send(record));
                    }
                    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::fromFuture)
                .then(Mono.fromRunnable(() -> {
                    Instant acked = Instant.now(); // every row of the batch acknowledged
                    batch.forEach(m -> publishLatency.record(Duration.between(m.createdAt(), acked)));
                    pending.set(0);
                }))
                .then(Mono.fromRunnable(() -> hook.afterPublish(batch)).subscribeOn(Schedulers.boundedElastic()))
                .then();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }

    @Override
    public void stop() {
        if (listening != null) {
            listening.dispose();
        }
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
        // after the database and Kafka beans are up, stopped before them
        return Integer.MAX_VALUE - 100;
    }
}
