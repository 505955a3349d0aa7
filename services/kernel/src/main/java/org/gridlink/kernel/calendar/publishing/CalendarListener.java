package org.gridlink.kernel.calendar.publishing;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * Reads the compacted {@code gridlink.calendar} topic, every node of every tier in a group of its own tier (the
 * replicas of a node share its database, and take up what one of them kept at their next refresh): each year's
 * publication is kept when it is newer than the one kept ({@link CalendarPublishing#apply}), so a redelivered or older
 * one changes nothing. A node started later reads the topic from its start. One that cannot be read goes to the
 * dead-letter topic, after the retries when it could be read but not kept.
 */
public class CalendarListener {

    private static final Logger log = LoggerFactory.getLogger(CalendarListener.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final CalendarPublishing publishing;
    private final CalendarEvents events;
    private final NodeUnits node;

    public CalendarListener(CalendarPublishing publishing, CalendarEvents events, NodeUnits node) {
        this.publishing = publishing;
        this.events = events;
        this.node = node;
    }

    public String topic() {
        return CalendarEvents.TOPIC;
    }

    public String groupId() {
        return "gridlink-" + node.tier().id() + "-calendar";
    }

    @KafkaListener(id = "gridlink-calendar", topics = "#{__listener.topic()}", groupId = "#{__listener.groupId()}",
            containerFactory = "batchListenerContainerFactory")
    public void onMessages(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                keep(record);
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("cannot keep " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": " + e.getMessage(), e, i);
            }
        }
    }

    void keep(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone
        }
        CloudEvent event = CloudEvent.from(record.key(), record.headers(), record.value());
        if (!CalendarEvents.PUBLISHED.equals(event.type())) {
            log.debug("ignoring {} on {}", event.type(), record.topic());
            return;
        }
        CalendarEvents.Published p = events.read(event);
        if (!Integer.toString(p.year()).equals(record.key())) {
            throw new MalformedEventException(event.type() + " " + event.id() + " of year " + p.year()
                    + " is keyed " + record.key());
        }
        publishing.apply(p).block(APPLY_TIMEOUT);
    }
}
