package org.gridlink.kernel.support.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

/**
 * How many dead letters wait on this node, by the topic they came from: the gauge {@code gridlink.dead-letters.pending}
 * (the alert {@code GridlinkDeadLettersWaiting}). The counter {@code gridlink.inbox.dead-lettered} says when a message
 * is set aside, and its alert resolves a while later; this says that one still waits, not applied nor overtaken since
 * and not sent again successfully, for as long as it does. Counted every {@code gridlink.dead-letters.count-interval}
 * (5 min; the first a minute after the start), reading the dead-letter topics as an administrator's list does, off the
 * scheduler's thread; 0 until the first count.
 */
public class DeadLetterCount {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterCount.class);

    private final DeadLetters deadLetters;
    private final Map<String, AtomicInteger> pending = new LinkedHashMap<>();

    public DeadLetterCount(DeadLetters deadLetters, MeterRegistry meters) {
        this.deadLetters = deadLetters;
        for (String topic : deadLetters.sourceTopics()) {
            // at zero from the start, so that an alert on their increase sees the first
            setAside(meters, topic, "unreadable");
            setAside(meters, topic, "failed");
            AtomicInteger n = new AtomicInteger();
            pending.put(topic, n);
            Gauge.builder("gridlink.dead-letters.pending", n, AtomicInteger::get)
                    .description("dead letters waiting on this node (not applied nor overtaken since), by the topic they"
                            + " came from; counted every gridlink.dead-letters.count-interval")
                    .tag("topic", topic).register(meters);
        }
    }

    /**
     * The counter {@code gridlink.inbox.dead-lettered} of the messages from {@code topic} the error handler set aside
     * (KernelConfiguration's {@code inboxErrorHandler}), by why: {@code unreadable}, or {@code failed} after the
     * retries.
     */
    public static Counter setAside(MeterRegistry meters, String topic, String reason) {
        return Counter.builder("gridlink.inbox.dead-lettered")
                .description("messages sent to a dead-letter topic, by the topic they came from and why")
                .tag("topic", topic).tag("reason", reason).register(meters);
    }

    /** Counts them now; the counts by topic. */
    public Mono<Map<String, Integer>> count() {
        return deadLetters.waitingHere().doOnNext(counts -> counts.forEach((topic, n) -> {
            AtomicInteger gauge = pending.get(topic);
            if (gauge != null) {
                gauge.set(n);
            }
        }));
    }

    @Scheduled(initialDelayString = "${gridlink.dead-letters.count-first:1m}",
            fixedDelayString = "${gridlink.dead-letters.count-interval:5m}")
    public void countNow() {
        count().subscribe(counts -> log.debug("dead letters waiting: {}", counts),
                e -> log.warn("could not count the dead letters waiting: {}", e.getMessage()));
    }
}
