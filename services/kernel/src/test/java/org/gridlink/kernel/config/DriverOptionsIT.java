package org.gridlink.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The options every database connection of a node gets ({@link KernelConfiguration#driverOptions}), against the
 * shared PostgreSQL: a {@code timestamptz} read as an {@code Instant} is the instant PostgreSQL itself counts, in
 * seconds since 1970 ({@code extract(epoch …)}), through the node's codec where the driver's own would be wrong.
 */
class DriverOptionsIT {

    static LoopResources loops;
    static ConnectionFactory node;
    static ConnectionFactory driverOnly;

    @BeforeAll
    static void connect() {
        loops = LoopResources.create("driver-options-it", 1, 1, true, false);
        ConnectionFactoryOptions url = ConnectionFactoryOptions.parse("r2dbc:postgresql://127.0.0.1:"
                + TestInfrastructure.postgres().getPort() + "/postgres?forceBinary=true").mutate()
                .option(ConnectionFactoryOptions.USER, "postgres").build();
        node = ConnectionFactories.get(KernelConfiguration.driverOptions(url.mutate(), loops).build());
        driverOnly = ConnectionFactories.get(url);
    }

    @AfterAll
    static void close() {
        loops.dispose();
    }

    @Test
    void instantsAreTheOnesPostgresqlCounts() {
        String values = "('2026-12-04 08:45:04.123456+08'::timestamptz), ('2000-01-01 00:00:00+00'),"
                + " ('1999-12-31 23:59:59.999999+00'),"
                + " ('1969-12-31 23:59:59.000001+00'), ('1970-01-01 00:00:00+00'), ('9999-12-31 23:59:59.999999+00'),"
                + " ('1000-06-15 12:00:00+00'), ('0044-03-15 12:00:00+00')";
        List<Map.Entry<Instant, BigDecimal>> read = query(node, "select v, extract(epoch from v) as s"
                + " from (values " + values + ") t(v) where $1", Instant.class);
        assertThat(read).hasSize(8).allSatisfy(row -> assertThat(row.getKey()).isEqualTo(instant(row.getValue())));
    }

    @Test
    void aThousandInstantsOverNearlyThreeCenturiesToTheMicrosecond() {
        // steps of about 102 days and a varying fraction of a second (below 2^53 µs: exact as interval * float8)
        List<Map.Entry<Instant, BigDecimal>> read = query(node, "select v, extract(epoch from v) as s from"
                + " (select timestamptz '1900-01-01 00:00:00+00' + (i * 8845931262979) * interval '1 microsecond' as v"
                + " from generate_series(1, 1000) i) t where $1", Instant.class);
        assertThat(read).hasSize(1000).allSatisfy(row -> assertThat(row.getKey()).isEqualTo(instant(row.getValue())));
        assertThat(read).anySatisfy(row -> assertThat(row.getKey().getNano() % 1000_000).isNotZero());
    }

    @Test
    void infinityIsTheLastAndFirstInstantAndNullIsNull() {
        assertThat(single(node, "select 'infinity'::timestamptz where $1")).isEqualTo(Instant.MAX);
        assertThat(single(node, "select '-infinity'::timestamptz where $1")).isEqualTo(Instant.MIN);
        assertThat(single(node, "select null::timestamptz where $1")).isNull();
    }

    /** Why the node has its own: the driver's codec reads a date before 1582 on Julian days, and infinity as a date. */
    @Test
    void theDriversOwnCodecIsNotTheOneUsed() {
        String sql = "select '1000-06-15 12:00:00+00'::timestamptz where $1";
        Instant expected = Instant.parse("1000-06-15T12:00:00Z");
        assertThat(single(node, sql)).isEqualTo(expected);
        assertThat(single(driverOnly, sql)).isNotEqualTo(expected);
        assertThat(single(driverOnly, "select 'infinity'::timestamptz where $1")).isNotEqualTo(Instant.MAX);
    }

    @Test
    void otherTypesAndTextResultsStayWithTheDriver() {
        OffsetDateTime asked = Mono.usingWhen(node.create(), c -> Mono.from(c.createStatement(
                        "select '2026-12-04 08:45:04.5+08'::timestamptz where $1").bind("$1", true).execute())
                .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, OffsetDateTime.class)))), Connection::close)
                .block();
        assertThat(asked.toInstant()).isEqualTo(Instant.parse("2026-12-04T00:45:04.5Z"));
        // no parameter: the simple query protocol, results in text, read by the driver's codec
        Instant text = Mono.usingWhen(node.create(), c -> Mono.from(c.createStatement(
                        "select '2026-12-04 08:45:04.5+08'::timestamptz").execute())
                .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Instant.class)))), Connection::close)
                .block();
        assertThat(text).isEqualTo(Instant.parse("2026-12-04T00:45:04.5Z"));
    }

    @Test
    void instantsBoundAsParametersAreWrittenAsBefore() {
        Instant bound = Instant.parse("2026-12-04T00:45:04.123456Z");
        Instant read = Mono.usingWhen(node.create(), c -> Mono.from(c.createStatement("select $1::timestamptz")
                        .bind("$1", bound).execute())
                .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Instant.class)))), Connection::close).block();
        assertThat(read).isEqualTo(bound);
        Instant none = Mono.usingWhen(node.create(), c -> Mono.from(c.createStatement("select $1::timestamptz")
                        .bindNull("$1", Instant.class).execute())
                .flatMap(r -> Flux.from(r.map((row, meta) -> Optional.ofNullable(row.get(0, Instant.class)))).next()),
                Connection::close).block().orElse(null);
        assertThat(none).isNull();
    }

    static Instant instant(BigDecimal epochSeconds) {
        BigDecimal seconds = epochSeconds.setScale(0, java.math.RoundingMode.FLOOR);
        return Instant.ofEpochSecond(seconds.longValueExact(),
                epochSeconds.subtract(seconds).movePointRight(9).longValueExact());
    }

    static Instant single(ConnectionFactory factory, String sql) {
        return Mono.usingWhen(factory.create(), c -> Mono.from(c.createStatement(sql).bind("$1", true).execute())
                .flatMap(r -> Mono.from(r.map((row, meta) -> Optional.ofNullable(row.get(0, Instant.class))))),
                Connection::close).block().orElse(null);
    }

    static <T> List<Map.Entry<T, BigDecimal>> query(ConnectionFactory factory, String sql, Class<T> type) {
        Function<Connection, Flux<Map.Entry<T, BigDecimal>>> rows = c -> Flux.from(c.createStatement(sql)
                .bind("$1", true).execute()).flatMap(r -> r.map((row, meta) ->
                Map.entry(row.get("v", type), row.get("s", BigDecimal.class))));
        return Flux.usingWhen(factory.create(), rows, Connection::close).collectList().block();
    }
}
