package org.gridlink.kernel.support.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.gridlink.contracts.UnitCode;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.ConsumerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The messages a node set aside on the dead-letter topics of what it reads ({@link DeadLetterSource}: its inbox's
 * {@code gridlink.<tier>.inbox.dlt}, the unit reports' and the city calendar's), unreadable or failed after the
 * retries, and sending them again. What such a message carried did not happen here; once its cause is mended (a fix
 * deployed, a unit added to the seeds, a database back), sending it again lets the node apply it. Only those this node
 * has not applied nor overtaken since are listed or sent: a copy applied is dropped anyway, and one that fails again is
 * set aside again, or (handed to the node's own listener) reported as failing.
 *
 * <p>The topics are read from their start to their end as the call finds them, by a consumer of its own that joins no
 * group and commits nothing; a message set aside more than once is listed once, its latest copy.
 */
public class DeadLetters {

    /**
     * One message set aside: the topic it came from, its event, the unit it was for, and why (the class of the
     * exception that caused it, and its message).
     */
    public record DeadLetter(String topic, UUID eventId, String type, String source, String unit, String reason,
                             String message, Instant recordedAt, int partition, long offset) {

        DeadLetter failedAgain(Throwable failure) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            return new DeadLetter(topic, eventId, type, source, unit, cause.getClass().getName(), cause.getMessage(),
                    recordedAt, partition, offset);
        }
    }

    /** The messages sent again (or applied here), and those that failed again at once, each saying why. */
    public record Replayed(List<DeadLetter> sent, List<DeadLetter> failed) {
    }

    private static final String DLT_HEADERS = "kafka_dlt-";
    static final String WHY_CLASS = "gridlink_dlt-cause-class";
    static final String WHY_MESSAGE = "gridlink_dlt-cause-message";
    private static final Duration READ_FOR_AT_MOST = Duration.ofSeconds(30);

    private final ConsumerFactory<String, byte[]> consumers;
    private final Map<String, DeadLetterSource> sources = new LinkedHashMap<>();

    public DeadLetters(ConsumerFactory<String, byte[]> consumers, List<DeadLetterSource> sources) {
        this.consumers = consumers;
        sources.forEach(s -> this.sources.put(s.deadLetterTopic(), s));
    }

    /** The topics whose messages this node sets aside, one per source. */
    public List<String> sourceTopics() {
        return sources.values().stream().map(DeadLetterSource::topic).toList();
    }

    /**
     * How many dead letters wait on this node, whichever unit of its each is for, by the topic they came from (every
     * source's, 0 for none).
     */
    public Mono<Map<String, Integer>> waitingHere() {
        return waiting(DeadLetterSource::here).map(letters -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            sources.values().forEach(s -> counts.put(s.topic(), 0));
            letters.forEach(l -> counts.merge(sources.get(l.topic()).topic(), 1, Integer::sum));
            return counts;
        });
    }

    /** The dead letters for {@code unit} and the units under it that this node has not applied since, oldest first. */
    public Mono<List<DeadLetter>> pending(UnitCode unit) {
        return waiting(unit).map(letters -> letters.stream().map(this::view).toList());
    }

    /**
     * Sends each pending dead letter of {@code unit} and the units under it again, oldest first, or only the one of
     * event {@code only} when it is given; which, and how. Empty when {@code only} is not among them.
     */
    public Mono<Replayed> sendAgain(UnitCode unit, UUID only) {
        return waiting(unit)
                .map(letters -> only == null ? letters : letters.stream().filter(l -> only.equals(eventId(l))).toList())
                .filter(letters -> only == null || !letters.isEmpty())
                .flatMap(letters -> Flux.fromIterable(letters)
                .concatMap(letter -> sources.get(letter.topic()).again(letter)
                        .thenReturn(Map.entry(true, view(letter)))
                        .onErrorResume(failure -> Mono.just(Map.entry(false, view(letter).failedAgain(failure)))))
                .collectList()
                .map(outcomes -> new Replayed(
                        outcomes.stream().filter(Map.Entry::getKey).map(Map.Entry::getValue).toList(),
                        outcomes.stream().filter(o -> !o.getKey()).map(Map.Entry::getValue).toList())));
    }

    private Mono<List<ConsumerRecord<String, byte[]>>> waiting(UnitCode unit) {
        return waiting((source, letter) -> source.concerns(unit, letter));
    }

    private Mono<List<ConsumerRecord<String, byte[]>>> waiting(
            BiPredicate<DeadLetterSource, ConsumerRecord<String, byte[]>> wanted) {
        return Mono.fromCallable(() -> read(wanted)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(byTopic -> Flux.fromIterable(byTopic.entrySet())
                        .concatMap(e -> e.getValue().isEmpty() ? Mono.just(List.<ConsumerRecord<String, byte[]>>of())
                                : sources.get(e.getKey()).pending(e.getValue()))
                        .flatMapIterable(letters -> letters)
                        .collectSortedList(Comparator.comparingLong(ConsumerRecord::timestamp)));
    }

    /** Each dead-letter topic's messages {@code wanted}, the latest copy of each. */
    private Map<String, List<ConsumerRecord<String, byte[]>>> read(
            BiPredicate<DeadLetterSource, ConsumerRecord<String, byte[]>> wanted) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // by topic, then by event (a later copy replaces an earlier one), or by place for a message without an event id
        Map<String, Map<Object, ConsumerRecord<String, byte[]>>> found = new LinkedHashMap<>();
        sources.keySet().forEach(topic -> found.put(topic, new HashMap<>()));
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "gridlink-dead-letters", null,
                settings)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : sources.keySet()) {
                consumer.partitionsFor(topic, READ_FOR_AT_MOST)
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_FOR_AT_MOST);
            long deadline = System.nanoTime() + READ_FOR_AT_MOST.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_FOR_AT_MOST) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + sources.keySet() + " to their end within "
                            + READ_FOR_AT_MOST.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    DeadLetterSource source = sources.get(record.topic());
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && wanted.test(source, record)) {
                        UUID id = eventId(record);
                        Object key = id != null ? id : record.partition() + "@" + record.offset();
                        found.get(record.topic()).put(key, record);
                    }
                }
            }
        }
        Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new LinkedHashMap<>();
        found.forEach((topic, letters) -> byTopic.put(topic, new ArrayList<>(letters.values())));
        return byTopic;
    }

    /** The unit a code names, or null for none (a malformed code, a year). */
    static UnitCode unitOrNull(String code) {
        try {
            return code == null ? null : UnitCode.of(code);
        } catch (IllegalArgumentException notAUnit) {
            return null;
        }
    }

    /** Whether a header is one the node added when it set the message aside (not sent again with it). */
    static boolean addedWhenSetAside(String header) {
        return header.startsWith(DLT_HEADERS) || header.startsWith("gridlink_dlt-");
    }

    private DeadLetter view(ConsumerRecord<String, byte[]> record) {
        DeadLetterSource source = sources.get(record.topic());
        UnitCode unit = source.unit(record);
        // the innermost cause, as the node wrote it when it set the message aside ({@link #why}); else Spring's
        String cause = header(record, WHY_CLASS);
        return new DeadLetter(source.topic(), eventId(record), header(record, "ce_type"), header(record, "ce_source"),
                unit == null ? null : unit.value(),
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

    static UUID eventId(ConsumerRecord<String, byte[]> record) {
        String id = header(record, "ce_id");
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
