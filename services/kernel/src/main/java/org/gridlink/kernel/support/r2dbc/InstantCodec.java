package org.gridlink.kernel.support.r2dbc;

import io.netty.buffer.ByteBuf;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.CodecMetadata;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import io.r2dbc.postgresql.message.Format;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import reactor.core.publisher.Mono;

/**
 * Reads a {@code timestamptz} sent in binary as an {@link Instant}, straight from its microseconds since
 * 2000-01-01 UTC. The driver's own codecs (r2dbc-postgresql 1.1) turn every such value into an {@code OffsetDateTime}
 * at the offset of {@code OffsetDateTime.now()} first, for an {@code Instant} too: a clock read, the default time zone
 * cloned and new zone rules per value — 15% of a community node's garbage when it served the queue page at a
 * million records (issue 8's profile, 2026-12-03).
 * <p>
 * Only the binary format ({@code forceBinary}, which the nodes set), only for a column read as {@code Instant.class}:
 * other reads stay with the driver's codecs, this one registered first by {@link #registrar()}. It declares itself the
 * codec of {@code Instant} ({@link CodecMetadata}), as the driver's own codecs do: the driver looks a codec up in a
 * cache it fills from those declarations, where one without would never be asked. So instants bound as parameters
 * come here too, and go on to the driver's codec that wrote them before, unchanged. PostgreSQL's {@code infinity} and
 * {@code -infinity} become {@link Instant#MAX} and {@link Instant#MIN}. The calendar is the proleptic Gregorian one
 * of both PostgreSQL and {@code java.time} (the driver's reads a date before 1582 on Julian days).
 */
public final class InstantCodec implements Codec<Instant>, CodecMetadata {

    private static final int TIMESTAMPTZ = PostgresqlObjectId.TIMESTAMPTZ.getObjectId();

    /** Seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 (UTC). */
    private static final long POSTGRES_EPOCH = 946_684_800L;

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final Codec<?> writer;

    /** @param writer the codec that writes an {@code Instant} parameter: the driver's */
    InstantCodec(Codec<?> writer) {
        this.writer = writer;
    }

    /** The extension that puts this codec before the driver's own on every new connection. */
    public static CodecRegistrar registrar() {
        return (connection, allocator, registry) -> Mono.fromRunnable(() -> {
            Codec<?> drivers = StreamSupport.stream(registry.spliterator(), false)
                    .filter(c -> c.canEncode(Instant.EPOCH)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the driver has no codec that writes an Instant"));
            registry.addFirst(new InstantCodec(drivers));
        });
    }

    /** The instant of a binary {@code timestamptz}: PostgreSQL's microseconds since 2000-01-01 UTC. */
    static Instant fromPostgresMicros(long micros) {
        if (micros == Long.MAX_VALUE) {
            return Instant.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return Instant.MIN;
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND) + POSTGRES_EPOCH,
                Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L);
    }

    @Override
    public Class<?> type() {
        return Instant.class;
    }

    @Override
    public Iterable<Format> getFormats() {
        return List.of(Format.FORMAT_BINARY);
    }

    @Override
    public Iterable<PostgresqlObjectId> getDataTypes() {
        return List.of(PostgresqlObjectId.TIMESTAMPTZ);
    }

    @Override
    public boolean canDecode(int dataType, Format format, Class<?> type) {
        return dataType == TIMESTAMPTZ && format == Format.FORMAT_BINARY && type == Instant.class;
    }

    @Override
    public Instant decode(ByteBuf buffer, int dataType, Format format, Class<? extends Instant> type) {
        return buffer == null ? null : fromPostgresMicros(buffer.readLong());
    }

    @Override
    public boolean canEncode(Object value) {
        return writer.canEncode(value);
    }

    @Override
    public boolean canEncodeNull(Class<?> type) {
        return writer.canEncodeNull(type);
    }

    @Override
    public EncodedParameter encode(Object value) {
        return writer.encode(value);
    }

    @Override
    public EncodedParameter encode(Object value, int dataType) {
        return writer.encode(value, dataType);
    }

    @Override
    public EncodedParameter encodeNull() {
        return writer.encodeNull();
    }
}
