package org.gridlink.kernel.cases.messaging;

import static org.gridlink.kernel.support.events.EventTimers.since;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.support.events.CloudEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * Consumes this tier's inbox topic, a poll's records at a time. The records of one poll are applied through the inbox
 * in one transaction, in their order, so a node that fell behind catches up with one commit per poll instead of one
 * per event; when they are few (one, at an ordinary pace) this is the same as applying each in its own.
 * <p>
 * If the batch fails, nothing of it was applied: its records are then applied one by one, each in its own
 * transaction, and the first that fails is named to the container's error handler by its index
 * ({@link BatchListenerFailedException}). The records before it stay applied and their offsets are committed; that
 * record is retried a bounded number of times and then goes to the dead-letter topic; the rest are delivered again.
 * So one bad message never blocks its partition, and nothing is applied twice (the inbox) or lost.
 * <p>
 * Two timers say where an event's way from another node took its time: {@code gridlink.inbox.lag}, from the event's
 * {@code time} (the sender's change, the same instant as its outbox row) until it is applied and committed here; and
 * {@code gridlink.inbox.delivery}, from the record's Kafka timestamp (the sender's producer handing it to the client)
 * until this listener has it. The sender's {@code gridlink.outbox.lag} runs from the start of the transaction that
 * wrote the outbox row to the broker's ack.
 */
public class CaseEventListener {

    private static final Logger log = LoggerFactory.getLogger(CaseEventListener.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final CaseHandling handling;
    private final String topic;
    private final String groupId;
    private final String concurrency;
    private final DistributionSummary batchSize;
    private final Counter oneByOne;
    private final Timer lag;
    private final Timer delivery;
    private final Clock clock;

    public CaseEventListener(CaseHandling handling, String topic, String groupId, int concurrency,
                             Clock clock, MeterRegistry meters) {
        this.handling = handling;
        this.clock = clock;
        this.topic = topic;
        this.groupId = groupId;
        this.concurrency = Integer.toString(concurrency);
        this.batchSize = DistributionSummary.builder("gridlink.inbox.batch.size")
                .description("events applied in one transaction (one poll's records)").baseUnit("events")
                .register(meters);
        this.oneByOne = Counter.builder("gridlink.inbox.batch.failed")
                .description("batches that failed and were applied one event at a time").register(meters);
        this.lag = Timer.builder("gridlink.inbox.lag")
                .description("an event's time (the sender's change) until it is applied and committed here")
                .publishPercentileHistogram().register(meters);
        this.delivery = Timer.builder("gridlink.inbox.delivery")
                .description("a record's Kafka timestamp (handed to the sender's producer) until this listener has it")
                .publishPercentileHistogram().register(meters);
    }

    public String topic() {
        return topic;
    }

    public String groupId() {
        return groupId;
    }

    public String concurrency() {
        return concurrency;
    }

    @KafkaListener(id = "gridlink-inbox", topics = "#{__listener.topic()}", groupId = "#{__listener.groupId()}",
            concurrency = "#{__listener.concurrency()}", containerFactory = "batchListenerContainerFactory")
    public void onMessages(List<ConsumerRecord<String, byte[]>> records) {
        Instant received = clock.instant();
        for (ConsumerRecord<String, byte[]> record : records) {
            since(delivery, Instant.ofEpochMilli(record.timestamp()), received);
        }
        if (records.size() > 1 && appliedTogether(records)) {
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                CloudEvent event = event(record);
                Boolean applied = handling.handle(event).block(APPLY_TIMEOUT);
                if (Boolean.FALSE.equals(applied)) {
                    log.debug("event {} ({}) was delivered again and changed nothing", event.id(), event.type());
                } else {
                    since(lag, event.time(), clock.instant());
                }
                batchSize.record(1);
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("cannot apply " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": " + e.getMessage(), e, i);
            }
        }
    }

    /** All the records in one transaction; false (and nothing applied) if that failed. */
    private boolean appliedTogether(List<ConsumerRecord<String, byte[]>> records) {
        try {
            List<CloudEvent> events = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                events.add(event(record));
            }
            Integer applied = handling.handleAll(events).block(APPLY_TIMEOUT);
            if (applied != null && applied == events.size()) {
                Instant committed = clock.instant();
                events.forEach(event -> since(lag, event.time(), committed));
            } else if (applied != null) {
                // which of them were copies is not known here; a copy's lag would be its redelivery's, so none is timed
                log.debug("{} of {} events were delivered again and changed nothing", events.size() - applied,
                        events.size());
            }
            batchSize.record(records.size());
            return true;
        } catch (RuntimeException e) {
            oneByOne.increment();
            log.info("a batch of {} events failed as a whole ({}); applying them one by one", records.size(),
                    e.toString());
            return false;
        }
    }

    private static CloudEvent event(ConsumerRecord<String, byte[]> record) {
        return CloudEvent.from(record.key(), record.headers(), record.value());
    }
}
