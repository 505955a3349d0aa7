package org.gridlink.kernel.support.inbox;

import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.contracts.UnitCode;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A topic a node reads, whose messages the node's error handler sets aside on {@code topic() + ".dlt"} when it cannot
 * read them or cannot apply them after its retries (KernelConfiguration's {@code inboxErrorHandler}): whose business
 * each one is, whether it still waits here, and how it goes again. {@link DeadLetters} lists and sends them for every
 * source a node has: its inbox, the unit reports, the city's calendar.
 */
public interface DeadLetterSource {

    /** The topic the messages came from. */
    String topic();

    /** Where the node set them aside. */
    default String deadLetterTopic() {
        return topic() + ".dlt";
    }

    /** The unit a message set aside is for, as it names it; null if it names none this node can tell. */
    UnitCode unit(ConsumerRecord<String, byte[]> letter);

    /** Whether a message set aside is the business of the administrators of {@code unit} (a unit this node serves). */
    boolean concerns(UnitCode unit, ConsumerRecord<String, byte[]> letter);

    /** Whether a message set aside is for this node: for a unit it serves, whichever (counted, {@link DeadLetters#waitingHere}). */
    boolean here(ConsumerRecord<String, byte[]> letter);

    /** Of these messages set aside (each one of this source's, the latest copy), those not applied nor overtaken since. */
    Mono<List<ConsumerRecord<String, byte[]>>> pending(List<ConsumerRecord<String, byte[]>> letters);

    /**
     * The message goes again: to its topic, or to this node's own listener of it. Completes once it has gone; errors
     * if it failed at once here (it stays set aside, and listed).
     */
    Mono<Void> again(ConsumerRecord<String, byte[]> letter);

    /**
     * {@link #again} for a message handed to one of this node's own listeners (which applies a poll's messages and
     * blocks until they are kept): off the caller's thread, failing as the listener fails.
     */
    static Mono<Void> toListener(Consumer<List<ConsumerRecord<String, byte[]>>> listener,
                                 ConsumerRecord<String, byte[]> letter) {
        return Mono.fromRunnable(() -> listener.accept(List.of(letter))).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
