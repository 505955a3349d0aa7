package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.context.ContextRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Wrapped;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * {@link ContextFreeConnections} against the shared PostgreSQL: the driver no longer restores the caller's
 * thread-locals for each message from the server, and Spring's transactions, which live in the caller's context above
 * the driver, still hold.
 */
class ContextFreeConnectionsIT {

    /** A thread-local Reactor restores from the context, as it does the request's observation, counting each time. */
    static final String KEY = "gridlink.test.restored";
    static final ThreadLocal<String> RESTORED = new ThreadLocal<>();
    static final AtomicInteger restorations = new AtomicInteger();

    static ConnectionFactory driver;
    static ConnectionPool pool;
    static DatabaseClient db;
    static TransactionalOperator tx;

    @BeforeAll
    static void connect() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, RESTORED::get, value -> {
            restorations.incrementAndGet();
            RESTORED.set(value);
        }, RESTORED::remove);
        driver = ConnectionFactories.get(ConnectionFactoryOptions.parse("r2dbc:postgresql://127.0.0.1:"
                        + TestInfrastructure.postgres().getPort() + "/" + TestInfrastructure.database("context_free"))
                .mutate().option(ConnectionFactoryOptions.USER, "postgres").build());
        pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ContextFreeConnections.of(driver))
                .initialSize(1).maxSize(2).build());
        db = DatabaseClient.create(pool);
        tx = TransactionalOperator.create(new R2dbcTransactionManager(pool));
        db.sql("create table if not exists kept (id int primary key)").then().block();
    }

    @AfterAll
    static void close() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
        pool.dispose();
    }

    @Test
    void rowsReadThroughTheDriverRestoreNoThreadLocalOfTheCaller() {
        String sql = "select i from generate_series(1, 50) i where $1";
        restorations.set(0);
        List<Integer> bare = Flux.usingWhen(driver.create(), c -> rows(c, sql), Connection::close)
                .contextWrite(Context.of(KEY, "the request")).collectList().block();
        assertThat(bare).hasSize(50);
        assertThat(restorations.get()).as("the driver's own restorations, per message: what this class saves")
                .isGreaterThanOrEqualTo(50);

        restorations.set(0);
        List<Integer> free = Flux.usingWhen(ContextFreeConnections.of(driver).create(), c -> rows(c, sql),
                Connection::close).contextWrite(Context.of(KEY, "the request")).collectList().block();
        assertThat(free).isEqualTo(bare);
        assertThat(restorations.get()).isZero();

        // through the pool and Spring's DatabaseClient, which restore a few times a query of their own: none a row
        restorations.set(0);
        List<Integer> pooled = db.sql(sql).bind("$1", true).map(row -> row.get(0, Integer.class)).all()
                .contextWrite(Context.of(KEY, "the request")).collectList().block();
        assertThat(pooled).isEqualTo(bare);
        int forFifty = restorations.getAndSet(0);
        assertThat(db.sql("select 1 where $1").bind("$1", true).map(row -> row.get(0, Integer.class)).all()
                .contextWrite(Context.of(KEY, "the request")).collectList().block()).containsExactly(1);
        assertThat(forFifty).as("restorations for 50 rows against one").isEqualTo(restorations.get()).isLessThan(10);
    }

    @Test
    void aTransactionSeesItsOwnWritesAndARollbackLeavesNone() {
        Mono<Long> seenInside = db.sql("insert into kept values (1)").then()
                .then(db.sql("select count(*) from kept where id = 1").map(row -> row.get(0, Long.class)).one())
                .as(tx::transactional);
        assertThat(seenInside.block()).isEqualTo(1L);

        Mono<Void> failing = db.sql("insert into kept values (2)").then()
                .then(Mono.<Void>error(new IllegalStateException("the handling failed after the insert")))
                .as(tx::transactional);
        assertThatThrownBy(failing::block).hasMessageContaining("failed after the insert");

        assertThat(db.sql("select id from kept order by id").map(row -> row.get(0, Integer.class)).all()
                .collectList().block()).containsExactly(1);
    }

    @Test
    void theDriversOwnConnectionIsUnwrapped() {
        Connection connection = Mono.from(ContextFreeConnections.of(driver).create()).block();
        try {
            assertThat(connection).isInstanceOf(Wrapped.class).isNotInstanceOf(PostgresqlConnection.class);
            assertThat(((Wrapped<?>) connection).unwrap()).isInstanceOf(PostgresqlConnection.class);
            ConnectionFactory once = ContextFreeConnections.of(driver);
            assertThat(ContextFreeConnections.of(once)).as("not wrapped twice").isSameAs(once);
        } finally {
            Mono.from(connection.close()).block();
        }
    }

    private static Flux<Integer> rows(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).bind("$1", true).execute())
                .flatMap(result -> result.map((row, meta) -> row.get(0, Integer.class)));
    }
}
