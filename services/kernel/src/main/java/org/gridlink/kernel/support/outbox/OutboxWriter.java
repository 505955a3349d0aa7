package org.gridlink.kernel.support.outbox;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.support.events.CloudEvent;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.gridlink.kernel.support.r2dbc.InsertRows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends events to the outbox; callers run it in the transaction of the state change it reports, or write the rows in
 * the change's own statement ({@link #rows}). Each event goes to its target's inbox topic unless a topic is named.
 */
@Component
public class OutboxWriter {

    private final DatabaseClient db;
    private final ObjectMapper json;

    public OutboxWriter(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Void> append(CloudEvent event) {
        return appendAll(List.of(event));
    }

    /** Appends the events in one statement, in their order. */
    public Mono<Void> appendAll(List<CloudEvent> events) {
        return write(events, OutboxWriter::inboxTopic);
    }

    /** Appends the events, all for {@code topic} (the compacted unit-reports topic), in one statement, in their order. */
    public Mono<Void> appendAll(List<CloudEvent> events, String topic) {
        return write(events, event -> topic);
    }

    /**
     * The insert of the events' rows, in their order, to end the statement of the change that sends them: the change
     * and its outbox rows then commit in one round trip. Its values are named :outId0, :outType0, … :outPayload0,
     * :outId1, ….
     */
    public InsertRows rows(List<CloudEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events: a statement needs at least one outbox row");
        }
        return insert(events, OutboxWriter::inboxTopic);
    }

    private Mono<Void> write(List<CloudEvent> events, Function<CloudEvent, String> topic) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            NamedValues values = new NamedValues();
            return values.bindTo(db.sql(insert(events, topic).sql(values))).then();
        });
    }

    private InsertRows insert(List<CloudEvent> events, Function<CloudEvent, String> topic) {
        return InsertRows.into("outbox (event_id, event_type, topic, msg_key, headers, payload)", values -> {
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                CloudEvent event = events.get(i);
                sql.append(i == 0 ? "" : ", ").append("(:outId").append(i).append(", :outType").append(i)
                        .append(", :outTopic").append(i).append(", :outKey").append(i)
                        .append(", cast(:outHeaders").append(i).append(" as jsonb), :outPayload").append(i).append(")");
                values.put("outId" + i, event.id()).put("outType" + i, event.type())
                        .put("outTopic" + i, topic.apply(event)).put("outKey" + i, event.target())
                        .put("outHeaders" + i, json.writeValueAsString(event.headers()))
                        .put("outPayload" + i, ByteBuffer.wrap(event.data()));
            }
            return sql.toString();
        });
    }

    private static String inboxTopic(CloudEvent event) {
        return UnitCode.of(event.target()).tier().inboxTopic();
    }
}
