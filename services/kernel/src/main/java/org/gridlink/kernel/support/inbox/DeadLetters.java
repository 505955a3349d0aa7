package org.gridlink.kernel.support.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.gridlink.contracts.UnitCode;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The messages a node's inbox set aside on its dead-letter topic ({@code gridlink.<tier>.inbox.dlt}: unreadable, or
 * failed after the retries), and sending them again. What such a message carried did not happen here; once its cause
 * is mended (a fix deployed, a unit added to the seeds), sending it again to the inbox topic, as it came (its key, its
 * value, its {@code ce_*} headers), lets the node apply it. Only those the inbox has not applied since are listed or
 * sent: the inbox drops a copy anyway, and a message that fails again is set aside again, once more.
 *
 * <p>The topic is read from its start to its end as the call finds it, by a consumer of its own that joins no group and
 * commits nothing; a message dead-lettered more than once is listed once, its latest copy.
 */
public class DeadLetters {

    /**
     * One message set aside: its event, the unit it was for, and why (the class of the exception that caused it, and
     * the listener's message).
     */
    public record DeadLetter(UUID eventId, String type, String source, String unit, String reason, String message,
                             Instant recordedAt, int partition, long offset) {
    }

    private static final String DLT_HEADERS = "kafka_dlt-";
    static final String WHY_CLASS = "gridlink_dlt-cause-class";
    static final String WHY_MESSAGE = "gridlink_dlt-cause-message";
    private static final Duration READ_FOR_AT_MOST = Duration.ofSeconds(30);

    private final ConsumerFactory<String, byte[]> consumers;
    private final KafkaTemplate<String, byte[]> kafka;
    private final DatabaseClient db;
    private final String inboxTopic;

    public DeadLetters(ConsumerFactory<String, byte[]> consumers, KafkaTemplate<String, byte[]> kafka, DatabaseClient db,
                       String inboxTopic) {
        this.consumers = consumers;
        this.kafka = kafka;
        this.db = db;
        this.inboxTopic = inboxTopic;
    }

    public String topic() {
        return inboxTopic + ".dlt";
    }

    /** The dead letters for {@code unit} and the units under it that the inbox has not applied since, oldest first. */
    public Mono<List<DeadLetter>> pending(UnitCode unit) {
        return waiting(unit).map(records -> records.stream().map(DeadLetters::view).toList());
    }

    /** Sends each pending dead letter of {@code unit} and the units under it to the inbox topic again; which. */
    public Mono<List<DeadLetter>> sendAgain(UnitCode unit) {
        return waiting(unit).flatMap(records -> Flux.fromIterable(records)
                .concatMap(record -> Mono.fromFuture(() -> kafka.send(again(record))).thenReturn(view(record)))
                .collectList());
    }

    private Mono<List<ConsumerRecord<String, byte[]>>> waiting(UnitCode unit) {
        return Mono.fromCallable(() -> read(unit)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(records -> {
                    Set<UUID> ids = records.stream().map(DeadLetters::eventId).filter(id -> id != null)
                            .collect(Collectors.toSet());
                    Mono<Set<UUID>> applied = ids.isEmpty() ? Mono.just(Set.of())
                            : db.sql("select event_id from inbox where event_id in (:ids)").bind("ids", ids)
                            .map(row -> row.get("event_id", UUID.class)).all().collect(Collectors.toSet());
                    return applied.map(done -> records.stream().filter(r -> !done.contains(eventId(r))).toList());
                });
    }

    private List<ConsumerRecord<String, byte[]>> read(UnitCode unit) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // keyed by event (a later copy replaces an earlier one), or by place for a message without an event id
        Map<Object, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "gridlink-dead-letters", null,
                settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic(), READ_FOR_AT_MOST).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_FOR_AT_MOST);
            long deadline = System.nanoTime() + READ_FOR_AT_MOST.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_FOR_AT_MOST) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic() + " to its end within "
                            + READ_FOR_AT_MOST.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && within(unit, record.key())) {
                        UUID id = eventId(record);
                        Object key = id != null ? id : record.partition() + "@" + record.offset();
                        found.put(key, record);
                    }
                }
            }
        }
        List<ConsumerRecord<String, byte[]>> oldestFirst = new ArrayList<>(found.values());
        oldestFirst.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return oldestFirst;
    }

    private static boolean within(UnitCode unit, String key) {
        try {
            return key != null && unit.contains(UnitCode.of(key));
        } catch (IllegalArgumentException notAUnit) {
            return false;
        }
    }

    private ProducerRecord<String, byte[]> again(ConsumerRecord<String, byte[]> record) {
        ProducerRecord<String, byte[]> again = new ProducerRecord<>(inboxTopic, record.key(), record.value());
        for (Header h : record.headers()) {
            if (!h.key().startsWith(DLT_HEADERS) && !h.key().startsWith("gridlink_dlt-")) {
                again.headers().add(h.key(), h.value());
            }
        }
        return again;
    }

    private static DeadLetter view(ConsumerRecord<String, byte[]> record) {
        // the innermost cause, as the node wrote it when it set the message aside ({@link #why}); else Spring's
        String cause = header(record, WHY_CLASS);
        return new DeadLetter(eventId(record), header(record, "ce_type"), header(record, "ce_source"), record.key(),
                cause != null ? cause : header(record, DLT_HEADERS + "exception-fqcn"),
                cause != null ? header(record, WHY_MESSAGE) : header(record, DLT_HEADERS + "exception-message"),
                Instant.ofEpochMilli(record.timestamp()), record.partition(), record.offset());
    }

    /**
     * The headers a node adds to a message it sets aside: the class and message of the exception's innermost cause
     * (a parse error, a constraint), which the listener's own exceptions wrap.
     */
    public static Headers why(Exception failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        Headers headers = new RecordHeaders();
        headers.add(WHY_CLASS, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
        if (cause.getMessage() != null) {
            headers.add(WHY_MESSAGE, cause.getMessage().getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static UUID eventId(ConsumerRecord<String, byte[]> record) {
        String id = header(record, "ce_id");
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
