package org.gridlink.kernel.calendar.publishing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.inbox.DeadLetterSource;
import reactor.core.publisher.Mono;

/**
 * The city's publications of a year of the working calendar that a node set aside ({@code gridlink.calendar.dlt},
 * which the nodes of every tier share). The calendar is every unit's on the node, so each is the business of the
 * administrators of every unit the node serves. It waits until this node keeps its year at its revision or a later one:
 * a node that kept it (another node set it aside) or a later one does not list it. It goes again to this node's own
 * listener of the calendar, not to the compacted topic, where it would stand as its year's latest in place of a newer
 * revision, and every other node would read it again.
 */
public class CalendarDeadLetters implements DeadLetterSource {

    private final CalendarListener listener;
    private final CalendarStore store;
    private final CalendarEvents events;

    public CalendarDeadLetters(CalendarListener listener, CalendarStore store, CalendarEvents events) {
        this.listener = listener;
        this.store = store;
        this.events = events;
    }

    @Override
    public String topic() {
        return CalendarEvents.TOPIC;
    }

    /** The city that published it, as its CloudEvents source names it ({@code /units/<city>}). */
    @Override
    public UnitCode unit(ConsumerRecord<String, byte[]> letter) {
        Header source = letter.headers().lastHeader("ce_source");
        String text = source == null || source.value() == null ? "" : new String(source.value(), UTF_8);
        String code = text.startsWith("/units/") ? text.substring("/units/".length()) : "";
        return UnitCode.isValid(code) ? UnitCode.of(code) : null;
    }

    @Override
    public boolean concerns(UnitCode unit, ConsumerRecord<String, byte[]> letter) {
        return true; // the node's calendar is every unit's it serves; the caller asks for one of those
    }

    @Override
    public boolean here(ConsumerRecord<String, byte[]> letter) {
        return true; // every node keeps the calendar
    }

    @Override
    public Mono<List<ConsumerRecord<String, byte[]>>> pending(List<ConsumerRecord<String, byte[]>> letters) {
        return store.all().collectMap(CalendarEvents.Published::year, CalendarEvents.Published::revision)
                .map(kept -> letters.stream().filter(r -> waits(r, kept)).toList());
    }

    private boolean waits(ConsumerRecord<String, byte[]> letter, Map<Integer, Integer> kept) {
        return publication(letter).map(p -> p.revision() > kept.getOrDefault(p.year(), 0)).orElse(true);
    }

    @Override
    public Mono<Void> again(ConsumerRecord<String, byte[]> letter) {
        return DeadLetterSource.toListener(listener::onMessages, letter);
    }

    /** The publication it carries, if it can be read. */
    private Optional<CalendarEvents.Published> publication(ConsumerRecord<String, byte[]> letter) {
        try {
            return Optional.of(events.read(CloudEvent.from(letter.key(), letter.headers(), letter.value())));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
