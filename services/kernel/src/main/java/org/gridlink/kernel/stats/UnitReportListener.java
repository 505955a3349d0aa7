package org.gridlink.kernel.stats;

import static org.gridlink.kernel.support.events.EventTimers.since;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.events.MalformedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the compacted unit-reports topic and keeps the latest report of every child of a unit this node serves;
 * reports of other units are skipped. Keeping is idempotent by the sending database's sequence: a redelivered or older
 * report changes nothing. A newer one marks the parent changed, so its own report goes up in turn.
 */
public class UnitReportListener {

    private static final Logger log = LoggerFactory.getLogger(UnitReportListener.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final UnitReportStore store;
    private final UnitReportPublisher publisher;
    private final NodeUnits node;
    private final ObjectMapper json;
    private final Clock clock;
    private final Timer lag;
    private final Timer delivery;

    public UnitReportListener(UnitReportStore store, UnitReportPublisher publisher, NodeUnits node, ObjectMapper json,
                              Clock clock, MeterRegistry meters) {
        this.store = store;
        this.publisher = publisher;
        this.node = node;
        this.json = json;
        this.clock = clock;
        this.lag = Timer.builder("gridlink.stats.report.lag")
                .description("from a child's report that changed its subtree figures being computed (its reportedAt, "
                        + "on the child node's clock) to its keeping here: the outbox, the relay, the broker and this "
                        + "consumer")
                .register(meters);
        this.delivery = Timer.builder("gridlink.stats.report.delivery")
                .description("from a child's report's Kafka timestamp (handed to the child node's producer) until this "
                        + "listener has it: the broker and this consumer's poll")
                .register(meters);
    }

    public String topic() {
        return UnitReport.TOPIC;
    }

    public String groupId() {
        return "gridlink-" + node.tier().id() + "-reports";
    }

    /**
     * A poll's reports, kept one by one; the parents whose subtree changed are marked once the poll's reports are all
     * kept, so that two children's reports that arrive together go up in one report of their parent instead of the
     * second waiting a relay interval. A report that cannot be kept stops the poll there (the error handler retries
     * it, then sends it to the dead-letter topic); the parents of those kept before it are marked.
     */
    @KafkaListener(id = "gridlink-unit-reports", topics = "#{__listener.topic()}", groupId = "#{__listener.groupId()}",
            containerFactory = "batchListenerContainerFactory")
    public void onMessages(List<ConsumerRecord<String, byte[]>> records) {
        Instant received = clock.instant();
        Set<String> changed = new LinkedHashSet<>();
        try {
            for (int i = 0; i < records.size(); i++) {
                try {
                    String parent = keep(records.get(i), received);
                    if (parent != null) {
                        changed.add(parent);
                    }
                } catch (RuntimeException e) {
                    ConsumerRecord<String, byte[]> record = records.get(i);
                    throw new BatchListenerFailedException("cannot keep " + record.topic() + "-" + record.partition()
                            + "@" + record.offset() + ": " + e.getMessage(), e, i);
                }
            }
        } finally {
            changed.forEach(publisher::markChanged);
        }
    }

    /**
     * One report kept if newer; the parent whose subtree figures it changed, or null. A report addressed here is timed
     * from its Kafka timestamp to {@code received}, when this listener had its poll.
     */
    String keep(ConsumerRecord<String, byte[]> record, Instant received) {
        if (record.value() == null || record.key() == null || !UnitCode.isValid(record.key())) {
            return null; // a tombstone, or not a unit's report
        }
        UnitCode child = UnitCode.of(record.key());
        if (child.parent().isEmpty() || !node.serves(child.parent().get())) {
            return null; // reported to a unit another node serves
        }
        since(delivery, Instant.ofEpochMilli(record.timestamp()), received);
        CloudEvent event = CloudEvent.from(record.key(), record.headers(), record.value());
        if (!UnitReport.TYPE.equals(event.type())) {
            log.debug("ignoring {} on {}", event.type(), record.topic());
            return null;
        }
        UnitReport report;
        try {
            report = json.readValue(event.data(), UnitReport.class);
        } catch (JacksonException e) {
            throw new MalformedEventException("cannot read " + event.type() + " " + event.id() + ": " + e.getOriginalMessage(), e);
        }
        if (report.unit() == null || !report.unit().equals(record.key()) || report.reportedAt() == null
                || report.subtree() == null || report.own() == null) {
            throw new MalformedEventException("report " + event.id() + " lacks unit, reportedAt, own or subtree");
        }
        UnitReport normalised = new UnitReport(report.unit(), child.parent().get().value(), report.reportedAt(),
                report.sequence(), report.zone(), report.own(), report.subtree(), report.children());
        Boolean kept = store.keepIfNewer(normalised).block(APPLY_TIMEOUT);
        if (!Boolean.TRUE.equals(kept)) {
            return null;
        }
        since(lag, report.reportedAt(), clock.instant()); // a child's clock ahead of this one's tells nothing
        return normalised.parentUnit();
    }
}
