package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.DefaultCodecs;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.message.Format;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class InstantCodecTest {

    static final int TIMESTAMPTZ = PostgresqlObjectId.TIMESTAMPTZ.getObjectId();

    /** The driver's codec that writes an Instant. */
    final Codec<?> driver = StreamSupport.stream(new DefaultCodecs(ByteBufAllocator.DEFAULT).spliterator(), false)
            .filter(c -> c.canEncode(Instant.EPOCH)).findFirst().orElseThrow();

    final InstantCodec codec = new InstantCodec(driver);

    @Test
    void microsecondsAreCountedFromTheStartOf2000InUtc() {
        assertThat(InstantCodec.fromPostgresMicros(0)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(InstantCodec.fromPostgresMicros(1)).isEqualTo(Instant.parse("2000-01-01T00:00:00.000001Z"));
        assertThat(InstantCodec.fromPostgresMicros(-1)).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
        assertThat(InstantCodec.fromPostgresMicros(-946_684_800_000_000L)).isEqualTo(Instant.EPOCH);
        assertThat(InstantCodec.fromPostgresMicros(-946_684_800_000_001L))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(InstantCodec.fromPostgresMicros(849_660_304_123_456L))
                .isEqualTo(Instant.parse("2026-12-04T00:45:04.123456Z"));
    }

    @Test
    void infinityIsTheLastAndFirstInstant() {
        assertThat(InstantCodec.fromPostgresMicros(Long.MAX_VALUE)).isEqualTo(Instant.MAX);
        assertThat(InstantCodec.fromPostgresMicros(Long.MIN_VALUE)).isEqualTo(Instant.MIN);
    }

    @Test
    void decodesOnlyABinaryTimestamptzAskedForAsAnInstant() {
        assertThat(codec.canDecode(TIMESTAMPTZ, Format.FORMAT_BINARY, Instant.class)).isTrue();
        assertThat(codec.canDecode(TIMESTAMPTZ, Format.FORMAT_TEXT, Instant.class)).isFalse();
        assertThat(codec.canDecode(TIMESTAMPTZ, Format.FORMAT_BINARY, OffsetDateTime.class)).isFalse();
        assertThat(codec.canDecode(TIMESTAMPTZ, Format.FORMAT_BINARY, Object.class)).isFalse();
        assertThat(codec.canDecode(PostgresqlObjectId.TIMESTAMP.getObjectId(), Format.FORMAT_BINARY, Instant.class))
                .isFalse();
        assertThat(codec.type()).isEqualTo(Instant.class);
        assertThat(codec.getFormats()).containsExactly(Format.FORMAT_BINARY);
        assertThat(codec.getDataTypes()).containsExactly(PostgresqlObjectId.TIMESTAMPTZ);
    }

    @Test
    void writesThroughTheDriversCodec() {
        EncodedParameter written = new EncodedParameter(Format.FORMAT_TEXT, TIMESTAMPTZ, Flux.empty());
        EncodedParameter nothing = new EncodedParameter(Format.FORMAT_TEXT, TIMESTAMPTZ, Flux.empty());
        InstantCodec writing = new InstantCodec(new Writer(written, nothing));
        assertThat(writing.canEncode(Instant.EPOCH)).isTrue();
        assertThat(writing.canEncode("2000-01-01")).isFalse();
        assertThat(writing.canEncodeNull(Instant.class)).isTrue();
        assertThat(writing.encode(Instant.EPOCH)).isSameAs(written);
        assertThat(writing.encode(Instant.EPOCH, TIMESTAMPTZ)).isSameAs(written);
        assertThat(writing.encodeNull()).isSameAs(nothing);
    }

    /** A codec that writes instants only, each as the same parameter. */
    record Writer(EncodedParameter written, EncodedParameter nothing) implements Codec<Instant> {

        @Override
        public boolean canDecode(int dataType, Format format, Class<?> type) {
            return false;
        }

        @Override
        public boolean canEncode(Object value) {
            return value instanceof Instant;
        }

        @Override
        public boolean canEncodeNull(Class<?> type) {
            return type == Instant.class;
        }

        @Override
        public Instant decode(ByteBuf buffer, int dataType, Format format, Class<? extends Instant> type) {
            throw new UnsupportedOperationException("writes only: canDecode answers no");
        }

        @Override
        public EncodedParameter encode(Object value) {
            return written;
        }

        @Override
        public EncodedParameter encode(Object value, int dataType) {
            return written;
        }

        @Override
        public EncodedParameter encodeNull() {
            return nothing;
        }
    }

    @Test
    void readsTheValuesEightBytes() {
        ByteBuf value = Unpooled.buffer().writeLong(1_000_000L);
        assertThat(codec.decode(value, TIMESTAMPTZ, Format.FORMAT_BINARY, Instant.class))
                .isEqualTo(Instant.parse("2000-01-01T00:00:01Z"));
        assertThat(value.readableBytes()).isZero();
        assertThat(codec.decode(null, TIMESTAMPTZ, Format.FORMAT_BINARY, Instant.class)).isNull();
    }
}
