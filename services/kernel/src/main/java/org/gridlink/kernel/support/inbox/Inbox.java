package org.gridlink.kernel.support.inbox;

import java.util.UUID;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.r2dbc.InsertRows;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The idempotent inbox: records each consumed event id inside the transaction that applies the event, so
 * a redelivered event is recognised and changes nothing (the row and the change commit or fail together).
 */
@Component
public class Inbox {

    private static final String INTO = "inbox (event_id, event_type, source)";

    private final DatabaseClient db;

    public Inbox(DatabaseClient db) {
        this.db = db;
    }

    /** True the first time this event id is seen; false for a redelivery. Must run inside the applying transaction. */
    public Mono<Boolean> firstDelivery(UUID eventId, String type, String source) {
        NamedValues values = new NamedValues();
        return values.bindTo(db.sql(row(eventId, type, source).sql(values))).fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * The event's inbox row as a part of another statement (nothing if the inbox has it: a copy). That statement applies
     * the event only if this row was written, and so commits it with the change (issue 8: an escalation that creates
     * its record here is applied in one statement, without a transaction around it). Its values are :inboxId,
     * :inboxType and :inboxSource.
     */
    public InsertRows row(CloudEvent event) {
        return row(event.id(), event.type(), event.source());
    }

    private static InsertRows row(UUID eventId, String type, String source) {
        return InsertRows.into(INTO, values -> {
            values.put("inboxId", eventId).put("inboxType", type).put("inboxSource", source == null ? "" : source);
            return "(:inboxId, :inboxType, :inboxSource)";
        }).onConflictDoNothing();
    }
}
