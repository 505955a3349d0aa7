package org.gridlink.kernel.support.inbox;

import java.time.Instant;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.support.events.CloudEvent;
import reactor.core.publisher.Mono;

/**
 * Event types of a tier's inbox that are not about a case (a notice, 通知): the case engine's listener hands such an
 * event to the bean that {@link #applies} to its type, inside the transaction that writes the event's inbox row, so
 * that it is applied once however often it is delivered, in its order among the unit's other events.
 */
public interface InboxEvents {

    boolean applies(String type);

    /** The event's change at {@code target}, a unit this node serves; a malformed event fails (its dead letter). */
    Mono<Void> apply(CloudEvent event, UnitCode target, Instant now);
}
