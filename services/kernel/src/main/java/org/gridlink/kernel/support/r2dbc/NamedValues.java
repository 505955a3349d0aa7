package org.gridlink.kernel.support.r2dbc;

import io.r2dbc.spi.Parameters;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * A statement's named parameters gathered first and bound with one {@link GenericExecuteSpec#bindValues(Map)}.
 * DatabaseClient's spec is immutable: each {@code bind(…)} copies every binding made so far, so a record's forty-odd
 * parameters bound one by one copied about a thousand map entries per statement (issue 8's profile of the intake:
 * about 4% of the community node's CPU in those copies).
 */
public final class NamedValues {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** A value that is never null. */
    public NamedValues put(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("no value for :" + name + "; use nullable(…) for a column that may be null");
        }
        values.put(name, value);
        return this;
    }

    /** A value that may be null: SQL NULL of the given type then. */
    public <T> NamedValues nullable(String name, T value, Class<T> type) {
        values.put(name, value == null ? Parameters.in(type) : value);
        return this;
    }

    /** An instant as timestamptz (UTC), or NULL. */
    public NamedValues at(String name, Instant value) {
        return nullable(name, utc(value), OffsetDateTime.class);
    }

    /** An instant as the value of a timestamptz parameter (UTC), or null: for a statement bound one value at a time. */
    public static OffsetDateTime utc(Instant value) {
        return value == null ? null : value.atOffset(ZoneOffset.UTC);
    }

    public GenericExecuteSpec bindTo(GenericExecuteSpec spec) {
        return spec.bindValues(values);
    }
}
