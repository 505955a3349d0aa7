package org.gridlink.kernel.cases.messaging;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.kernel.cases.application.CaseHandling;
import org.gridlink.kernel.support.events.CloudEvent;
import org.springframework.kafka.annotation.KafkaListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes this tier's inbox topic. Each record is applied through the inbox in one transaction; a failure is
 * retried a bounded number of times and then goes to the dead-letter topic (see the container's error handler),
 * so one bad message never blocks its partition.
 */
public class CaseEventListener {

    private static final Logger log = LoggerFactory.getLogger(CaseEventListener.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final CaseHandling handling;
    private final String topic;
    private final String groupId;
    private final String concurrency;

    public CaseEventListener(CaseHandling handling, String topic, String groupId, int concurrency) {
        this.handling = handling;
        this.topic = topic;
        this.groupId = groupId;
        this.concurrency = Integer.toString(concurrency);
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
            concurrency = "#{__listener.concurrency()}")
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = CloudEvent.from(record.key(), record.headers(), record.value());
        Boolean applied = handling.handle(event).block(APPLY_TIMEOUT);
        if (Boolean.FALSE.equals(applied)) {
            log.debug("event {} ({}) was delivered again and changed nothing", event.id(), event.type());
        }
    }
}
