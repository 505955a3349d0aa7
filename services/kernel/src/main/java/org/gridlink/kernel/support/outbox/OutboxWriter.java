package org.gridlink.kernel.support.outbox;

import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.support.events.CloudEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Appends an event to the outbox; callers run it in the transaction of the state change it reports. */
@Component
public class OutboxWriter {

    private final DatabaseClient db;
    private final ObjectMapper json;

    public OutboxWriter(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Void> append(CloudEvent event) {
        return append(event, UnitCode.of(event.target()).tier().inboxTopic());
    }

    /** Appends an event for a topic other than its target's inbox (the compacted unit-reports topic). */
    public Mono<Void> append(CloudEvent event, String topic) {
        return db.sql("""
                insert into outbox (event_id, event_type, topic, msg_key, headers, payload)
                values (:id, :type, :topic, :key, cast(:headers as jsonb), :payload)
                """)
                .bind("id", event.id()).bind("type", event.type()).bind("topic", topic).bind("key", event.target())
                .bind("headers", json.writeValueAsString(event.headers()))
                .bind("payload", java.nio.ByteBuffer.wrap(event.data()))
                .then();
    }
}
