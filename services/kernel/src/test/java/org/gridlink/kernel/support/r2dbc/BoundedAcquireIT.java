package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@link BoundedAcquire} over a real pool of connections to the shared PostgreSQL. */
class BoundedAcquireIT {

    private static final String HOOK = "bounded-acquire-it";

    private final ConnectionFactory postgres = ConnectionFactories.get(ConnectionFactoryOptions
            .parse("r2dbc:postgresql://127.0.0.1:" + TestInfrastructure.postgres().getPort() + "/postgres").mutate()
            .option(ConnectionFactoryOptions.USER, "postgres").build());

    private ConnectionPool pool;

    @AfterEach
    void close() {
        Schedulers.resetOnScheduleHook(HOOK);
        if (pool != null) {
            pool.dispose();
        }
    }

    @Test
    void anAcquireThatWaitsPastItsBoundIsRefusedAndThePoolKeepsNothingOfIt() {
        pool = pool(1, null);
        BoundedAcquire bounded = BoundedAcquire.of(pool, Duration.ofMillis(300));
        Connection held = Mono.from(bounded.create()).block(Duration.ofSeconds(10));

        long start = System.nanoTime();
        assertThatThrownBy(() -> Mono.from(bounded.create()).block(Duration.ofSeconds(10)))
                .isInstanceOf(R2dbcTimeoutException.class)
                .hasMessage("Connection acquisition timed out after 300ms");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        // the wheel ticks every 100 ms: never early, and late by a tick or two at most (a loaded machine: a few more)
        assertThat(waitedMillis).isBetween(300L, 3_000L);
        assertThat(pool.getMetrics().orElseThrow().pendingAcquireSize()).as("waiting acquires").isZero();

        // the refused acquire left no claim on the pool: the one connection, given back, is had at once
        Mono.from(held.close()).block(Duration.ofSeconds(10));
        Connection again = Mono.from(bounded.create()).block(Duration.ofSeconds(10));
        assertThat(Mono.from(again.createStatement("select 1").execute()).flatMap(r -> Mono.from(
                r.map((row, meta) -> row.get(0, Integer.class)))).block(Duration.ofSeconds(10))).isEqualTo(1);
        Mono.from(again.close()).block(Duration.ofSeconds(10));
        assertThat(pool.getMetrics().orElseThrow().acquiredSize()).isZero();
        assertThat(pool.getMetrics().orElseThrow().idleSize()).isEqualTo(1);
    }

    @Test
    void anAcquireThatWaitsLessThanItsBoundGetsItsConnection() {
        pool = pool(1, null);
        BoundedAcquire bounded = BoundedAcquire.of(pool, Duration.ofSeconds(5));
        Connection held = Mono.from(bounded.create()).block(Duration.ofSeconds(10));
        Mono<Connection> waiting = Mono.from(bounded.create()).cache();
        waiting.subscribe();
        Mono.delay(Duration.ofMillis(200)).then(Mono.from(held.close())).subscribe();
        Connection had = waiting.block(Duration.ofSeconds(10));
        assertThat(had).isNotNull();
        Mono.from(had.close()).block(Duration.ofSeconds(10));
        assertThat(pool.getMetrics().orElseThrow().acquiredSize()).isZero();
    }

    /**
     * What it is for: the pool's own bound puts a timer on Reactor's parallel scheduler for every acquire and takes it
     * off again unrun (waking the scheduler's thread, see the class); this one puts none there. Both hop, once an
     * acquire, onto the connection's own event loop (r2dbc-pool hands it the connection there): a task that runs.
     */
    @Test
    void itsAcquiresLeaveNoTimerOnReactorsSchedulersWhereThePoolsOwnBoundLeftOneEach() {
        AtomicInteger scheduled = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Schedulers.onScheduleHook(HOOK, task -> {
            scheduled.incrementAndGet();
            return () -> {
                ran.incrementAndGet();
                task.run();
            };
        });

        pool = pool(2, Duration.ofSeconds(10));
        acquireAndRelease(pool, 100);
        assertThat(scheduled.get() - ran.get()).as("tasks taken off unrun, 100 acquires with the pool's own bound")
                .isGreaterThanOrEqualTo(100);
        pool.dispose();

        pool = pool(2, null);
        BoundedAcquire bounded = BoundedAcquire.of(pool, Duration.ofSeconds(10));
        scheduled.set(0);
        ran.set(0);
        acquireAndRelease(bounded, 100);
        assertThat(scheduled.get() - ran.get()).as("tasks taken off unrun, 100 bounded acquires").isZero();
        assertThat(ran.get()).as("tasks run, 100 bounded acquires: the hops").isGreaterThanOrEqualTo(100);
    }

    @Test
    void itsBoundMustBePositive() {
        pool = pool(1, null);
        assertThatThrownBy(() -> BoundedAcquire.of(pool, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BoundedAcquire.of(pool, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BoundedAcquire.of(pool, Duration.ofSeconds(1)).unwrap()).isSameAs(pool);
    }

    /** A pool of {@code size} connections, opened before it is used (opening one schedules on Reactor's single). */
    private ConnectionPool pool(int size, Duration ownBound) {
        ConnectionPoolConfiguration.Builder config = ConnectionPoolConfiguration.builder(postgres)
                .initialSize(size).maxSize(size);
        if (ownBound != null) {
            config.maxAcquireTime(ownBound);
        }
        ConnectionPool created = new ConnectionPool(config.build());
        created.warmup().block(Duration.ofSeconds(30));
        return created;
    }

    /** One at a time, each given back before the next, as a node's requests mostly take them. */
    private static void acquireAndRelease(ConnectionFactory connections, int times) {
        Flux.range(0, times).concatMap(i -> Mono.from(connections.create()).flatMap(c -> Mono.from(c.close())))
                .blockLast(Duration.ofSeconds(30));
    }
}
