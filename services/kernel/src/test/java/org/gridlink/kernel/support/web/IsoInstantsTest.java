package org.gridlink.kernel.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

class IsoInstantsTest {

    static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    static String written(Instant instant) {
        char[] text = new char[IsoInstants.MAX_LENGTH];
        int length = IsoInstants.write(instant, text);
        return length < 0 ? null : new String(text, 0, length);
    }

    @Test
    void aHundredThousandInstantsOverTenThousandYearsAreWrittenAsInstantToStringWritesThem() {
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(FIRST, LAST + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(written(instant)).as("epoch second %d, nano %d", second, nanos).isEqualTo(instant.toString());
        }
    }

    @Test
    void theEdgesOfTheYearsMonthsAndDaysAreWrittenAsInstantToStringWritesThem() {
        List<String> edges = List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z", "1900-02-28T23:59:59Z",
                "1900-03-01T00:00:00Z", "2100-02-28T00:00:00.000001Z", "2024-02-29T00:00:00Z", "2026-12-31T23:59:59.100Z",
                "1600-02-29T00:00:00Z", "0004-02-29T00:00:00Z", "0400-03-01T00:00:00.010Z", "1582-10-04T00:00:00Z");
        for (String edge : edges) {
            Instant instant = Instant.parse(edge);
            assertThat(written(instant)).as(edge).isEqualTo(instant.toString());
        }
    }

    @Test
    void yearsOutsideZeroToNineThousandNineHundredNinetyNineAreLeftToJackson() {
        assertThat(written(Instant.MAX)).isNull();
        assertThat(written(Instant.MIN)).isNull();
        assertThat(written(Instant.ofEpochSecond(FIRST - 1))).isNull();
        assertThat(written(Instant.ofEpochSecond(LAST + 1))).isNull();
    }

    record Times(Instant at, Instant due, @JsonFormat(shape = JsonFormat.Shape.NUMBER) Instant stamped) {
    }

    @Test
    void aJsonMapperWithTheModuleWritesWhatJacksonsOwnWrites() {
        JsonMapper plain = JsonMapper.builder().build();
        JsonMapper ours = JsonMapper.builder().addModule(IsoInstants.module()).build();
        List<Times> values = List.of(
                new Times(Instant.parse("2026-12-07T06:38:56.788858Z"), null, Instant.parse("2026-12-07T06:38:56Z")),
                new Times(Instant.parse("+10000-01-01T00:00:00Z"), Instant.EPOCH, Instant.EPOCH),
                new Times(Instant.parse("2026-12-09T09:30:00Z"), Instant.parse("2026-12-07T08:38:56.120Z"), null));
        for (Times times : values) {
            assertThat(ours.writeValueAsString(times)).isEqualTo(plain.writeValueAsString(times));
            assertThat(ours.writeValueAsString(times.at())).isEqualTo(plain.writeValueAsString(times.at()));
        }
        assertThat(ours.writeValueAsString(values.get(0)))
                .isEqualTo("{\"at\":\"2026-12-07T06:38:56.788858Z\",\"due\":null,\"stamped\":1796625536.000000000}");

        JsonMapper stamps = ours.rebuild().enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        JsonMapper plainStamps = plain.rebuild().enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        assertThat(stamps.writeValueAsString(values.get(0))).isEqualTo(plainStamps.writeValueAsString(values.get(0)));
    }

    @Test
    void theModuleIsTheOneThatWrites() {
        JsonMapper ours = JsonMapper.builder().addModule(IsoInstants.module()).build();
        assertThat(ours.writerFor(Instant.class)).isNotNull();
        assertThat(ours._serializationContext().findValueSerializer(Instant.class)).isInstanceOf(IsoInstants.class);
    }
}
