package org.gridlink.kernel.support.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A CloudEvents 1.0 event in Kafka binary mode: the attributes travel as {@code ce_*} headers, the data is the
 * JSON body. {@code target} is the unit the event is addressed to; it is also the Kafka key. {@code traceparent} (null
 * for none) is the W3C trace context of the work that sent it, CloudEvents' distributed tracing extension
 * ({@link EventTracing}).
 */
public record CloudEvent(UUID id, String type, String source, String subject, Instant time, String dataSchema,
                         String target, byte[] data, String traceparent) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    /** An event that carries no trace. */
    public CloudEvent(UUID id, String type, String source, String subject, Instant time, String dataSchema,
                      String target, byte[] data) {
        this(id, type, source, subject, time, dataSchema, target, data, null);
    }

    /** This event, carrying the trace context {@code traceparent}. */
    public CloudEvent withTraceparent(String traceparent) {
        return new CloudEvent(id, type, source, subject, time, dataSchema, target, data, traceparent);
    }

    /** The headers this event carries on the wire, in a stable order. */
    public Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", SPEC_VERSION);
        h.put("ce_id", id.toString());
        h.put("ce_source", source);
        h.put("ce_type", type);
        if (subject != null) {
            h.put("ce_subject", subject);
        }
        h.put("ce_time", time.toString());
        if (dataSchema != null) {
            h.put("ce_dataschema", dataSchema);
        }
        if (traceparent != null) {
            h.put("ce_traceparent", traceparent);
        }
        h.put("content-type", CONTENT_TYPE);
        return h;
    }

    /** Reads an event from a consumed record; a missing or broken required attribute is a malformed event. */
    public static CloudEvent from(String key, Headers headers, byte[] body) {
        String spec = header(headers, "ce_specversion");
        if (!SPEC_VERSION.equals(spec)) {
            throw new MalformedEventException("ce_specversion must be 1.0, was " + spec);
        }
        String id = required(headers, "ce_id");
        String type = required(headers, "ce_type");
        String source = required(headers, "ce_source");
        String timeText = header(headers, "ce_time");
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("ce_id is not a UUID: " + id);
        }
        Instant time;
        try {
            time = timeText == null ? null : Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("ce_time is not an RFC 3339 time: " + timeText);
        }
        if (body == null || body.length == 0) {
            throw new MalformedEventException("event " + id + " has no data");
        }
        return new CloudEvent(uuid, type, source, header(headers, "ce_subject"), time,
                header(headers, "ce_dataschema"), key, body, header(headers, "ce_traceparent"));
    }

    private static String required(Headers headers, String name) {
        String v = header(headers, name);
        if (v == null || v.isBlank()) {
            throw new MalformedEventException("missing CloudEvents header " + name);
        }
        return v;
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
