package org.gridlink.kernel.stats;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.support.inbox.DeadLetterSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The unit reports this node set aside ({@code gridlink.unit-reports.dlt}, which the nodes of every tier share): a
 * child's report to a unit this node serves, an administrator's of the child and the units above it. It waits until
 * this node keeps a report of the child as new or newer (its sequence), so a report the child sent since has overtaken
 * it. It goes again to this node's own listener of the reports, not to the compacted topic, where it would stand as the
 * child's latest in place of a newer one.
 */
public class UnitReportDeadLetters implements DeadLetterSource {

    private final UnitReportListener listener;
    private final UnitReportStore store;
    private final NodeUnits node;
    private final ObjectMapper json;

    public UnitReportDeadLetters(UnitReportListener listener, UnitReportStore store, NodeUnits node, ObjectMapper json) {
        this.listener = listener;
        this.store = store;
        this.node = node;
        this.json = json;
    }

    @Override
    public String topic() {
        return UnitReport.TOPIC;
    }

    @Override
    public UnitCode unit(ConsumerRecord<String, byte[]> letter) {
        return letter.key() != null && UnitCode.isValid(letter.key()) ? UnitCode.of(letter.key()) : null;
    }

    @Override
    public boolean concerns(UnitCode unit, ConsumerRecord<String, byte[]> letter) {
        // set aside by the node that serves its parent, as this node's listener keeps only those
        return here(letter) && unit.contains(unit(letter));
    }

    @Override
    public boolean here(ConsumerRecord<String, byte[]> letter) {
        UnitCode child = unit(letter);
        return child != null && child.parent().map(node::serves).orElse(false);
    }

    @Override
    public Mono<List<ConsumerRecord<String, byte[]>>> pending(List<ConsumerRecord<String, byte[]>> letters) {
        return store.sequences(letters.stream().map(ConsumerRecord::key).distinct().toList())
                .map(kept -> letters.stream()
                        .filter(r -> sequence(r).map(s -> s > kept.getOrDefault(r.key(), -1L)).orElse(true))
                        .toList());
    }

    @Override
    public Mono<Void> again(ConsumerRecord<String, byte[]> letter) {
        return DeadLetterSource.toListener(listener::onMessages, letter);
    }

    /** The report's sequence, if it can be read. */
    private Optional<Long> sequence(ConsumerRecord<String, byte[]> letter) {
        try {
            JsonNode sequence = letter.value() == null ? null : json.readTree(letter.value()).get("sequence");
            return sequence != null && sequence.isIntegralNumber() ? Optional.of(sequence.asLong()) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
