package org.gridlink.kernel.support.r2dbc;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * A connection pool whose every acquire is bounded: a connection not had within the bound is an
 * {@link R2dbcTimeoutException} ("Connection acquisition timed out after …", what the pool's own {@code maxAcquireTime}
 * says), and a connection that arrives after it is given back to the pool.
 * <p>
 * The pool's own bound is a {@code Mono.timeout} on Reactor's parallel scheduler, one timer per acquire: a
 * {@code ScheduledThreadPoolExecutor} wakes its thread whenever a new task becomes its earliest, so with about one
 * acquire open at a time nearly every acquire woke a parallel thread, once to add its timer and again to take it off.
 * Issue 8 counted 204–247 such wake-ups a second in a community node taking ~400 reports a second (2026-12-05), as the
 * gateway's two timers per call had cost it about 15% of its CPU. This one times every acquire on one
 * {@link HashedWheelTimer} per JVM: adding and cancelling a timeout only puts it on a queue that the timer's thread
 * reads when it next ticks (every 100 ms, whatever the load), so an acquire wakes no thread.
 * <p>
 * The pool under it must have no {@code maxAcquireTime} of its own (two timers for one bound). It stays what Spring Boot
 * binds its metrics to: {@link #unwrap()} gives it.
 */
public final class BoundedAcquire implements ConnectionFactory, Wrapped<ConnectionFactory>, Closeable {

    /** Reactor's context key for a value that arrives after its subscriber stopped wanting it (Hooks' own). */
    private static final String ON_NEXT_DROPPED = "reactor.onNextDropped.local";

    private static final HashedWheelTimer TIMER = new HashedWheelTimer(
            new DefaultThreadFactory("r2dbc-acquire-timer", true), 100, TimeUnit.MILLISECONDS, 128);

    private final ConnectionPool pool;
    private final long boundNanos;
    private final String timedOut;

    private BoundedAcquire(ConnectionPool pool, Duration bound) {
        this.pool = pool;
        this.boundNanos = bound.toNanos();
        this.timedOut = "Connection acquisition timed out after " + bound.toMillis() + "ms";
    }

    /**
     * @param pool  a pool without a {@code maxAcquireTime} of its own
     * @param bound how long an acquire may take, positive
     */
    public static BoundedAcquire of(ConnectionPool pool, Duration bound) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("an acquire's bound must be positive, not " + bound);
        }
        return new BoundedAcquire(pool, bound);
    }

    @Override
    public Mono<Connection> create() {
        return pool.create()
                .timeout(afterBound())
                .contextWrite(BoundedAcquire::closeDropped)
                .onErrorMap(TimeoutException.class, e -> new R2dbcTimeoutException(timedOut, e));
    }

    /** A signal once the bound has passed since its subscription, unless cancelled first. */
    private Mono<Boolean> afterBound() {
        return Mono.create(sink -> {
            Timeout timeout = TIMER.newTimeout(t -> sink.success(Boolean.TRUE), boundNanos, TimeUnit.NANOSECONDS);
            sink.onCancel(timeout::cancel);
        });
    }

    /** A connection acquired just as its bound passed is closed (to the pool), besides any hook already there. */
    private static Context closeDropped(Context context) {
        Consumer<Object> close = dropped -> {
            if (dropped instanceof Connection connection) {
                Mono.from(connection.close()).subscribe();
            }
        };
        Consumer<Object> hook = context.<Consumer<Object>>getOrEmpty(ON_NEXT_DROPPED)
                .map(given -> close.andThen(given)).orElse(close);
        return context.put(ON_NEXT_DROPPED, hook);
    }

    /** How long an acquire may take. */
    public Duration bound() {
        return Duration.ofNanos(boundNanos);
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return pool.getMetadata();
    }

    /** The pool itself. */
    @Override
    public ConnectionPool unwrap() {
        return pool;
    }

    @Override
    public Mono<Void> close() {
        return pool.close();
    }

    @Override
    public String toString() {
        return "BoundedAcquire[" + pool + ", " + bound() + "]";
    }
}
