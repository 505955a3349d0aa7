package org.gridlink.kernel.support.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An outbox row on its way to the broker; {@code createdAt} is the start of the transaction that wrote it. */
public record OutboxMessage(long id, UUID eventId, String type, String topic, String key, Map<String, String> headers,
                            byte[] payload, Instant createdAt) {
}
