package org.gridlink.kernel.support.inbox;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The idempotent inbox: records each consumed event id inside the transaction that applies the event, so
 * a redelivered event is recognised and changes nothing (the row and the change commit or fail together).
 */
@Component
public class Inbox {

    private final DatabaseClient db;

    public Inbox(DatabaseClient db) {
        this.db = db;
    }

    /** True the first time this event id is seen; false for a redelivery. Must run inside the applying transaction. */
    public Mono<Boolean> firstDelivery(UUID eventId, String type, String source) {
        return db.sql("insert into inbox (event_id, event_type, source) values (:id, :type, :source) on conflict do nothing")
                .bind("id", eventId).bind("type", type).bind("source", source == null ? "" : source)
                .fetch().rowsUpdated().map(n -> n > 0);
    }
}
