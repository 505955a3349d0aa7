package org.gridlink.kernel.support.inbox;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.gridlink.contracts.UnitCode;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The inbox's messages set aside ({@code gridlink.<tier>.inbox.dlt}), keyed by the unit they are for: each is an
 * administrator's of that unit and the units above it, waits until the inbox has applied its event, and goes again to
 * the inbox topic as it came (its key, its value, its {@code ce_*} headers): the inbox drops a copy it has applied, and
 * one that fails again is set aside again.
 */
public class InboxDeadLetters implements DeadLetterSource {

    private final String inboxTopic;
    private final KafkaTemplate<String, byte[]> kafka;
    private final DatabaseClient db;
    private final Predicate<UnitCode> served;

    /** {@code served}: whether this node serves a unit. */
    public InboxDeadLetters(String inboxTopic, KafkaTemplate<String, byte[]> kafka, DatabaseClient db,
                            Predicate<UnitCode> served) {
        this.inboxTopic = inboxTopic;
        this.kafka = kafka;
        this.db = db;
        this.served = served;
    }

    @Override
    public String topic() {
        return inboxTopic;
    }

    @Override
    public UnitCode unit(ConsumerRecord<String, byte[]> letter) {
        return DeadLetters.unitOrNull(letter.key());
    }

    @Override
    public boolean concerns(UnitCode unit, ConsumerRecord<String, byte[]> letter) {
        UnitCode its = unit(letter);
        return its != null && unit.contains(its);
    }

    @Override
    public boolean here(ConsumerRecord<String, byte[]> letter) {
        UnitCode its = unit(letter);
        return its != null && served.test(its);
    }

    @Override
    public Mono<List<ConsumerRecord<String, byte[]>>> pending(List<ConsumerRecord<String, byte[]>> letters) {
        Set<UUID> ids = letters.stream().map(DeadLetters::eventId).filter(id -> id != null).collect(Collectors.toSet());
        Mono<Set<UUID>> applied = ids.isEmpty() ? Mono.just(Set.of())
                : db.sql("select event_id from inbox where event_id in (:ids)").bind("ids", ids)
                .map(row -> row.get("event_id", UUID.class)).all().collect(Collectors.toSet());
        return applied.map(done -> letters.stream().filter(r -> !done.contains(DeadLetters.eventId(r))).toList());
    }

    @Override
    public Mono<Void> again(ConsumerRecord<String, byte[]> letter) {
        ProducerRecord<String, byte[]> again = new ProducerRecord<>(inboxTopic, letter.key(), letter.value());
        for (Header h : letter.headers()) {
            if (!DeadLetters.addedWhenSetAside(h.key())) {
                again.headers().add(h.key(), h.value());
            }
        }
        // KafkaProducer.send blocks until it has the topic's metadata (up to max.block.ms while the broker is away): off
        // the event loop, as the outbox relay sends (the pending look above answers on a database connection's loop)
        return Mono.fromFuture(() -> kafka.send(again)).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
