package org.gridlink.kernel.support.r2dbc;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * A node's database connections, those for its HTTP requests on the requests' own event loops.
 * <p>
 * Each of the HTTP server's event loops has a pool of its own, whose connections live on that loop: a query asked for
 * from a request's loop is written, answered, decoded and turned into the request's answer on that one thread, which
 * also writes the answer. Every other caller (the Kafka listeners, the schedulers, a test's thread) gets a connection of
 * the shared pool, whose connections live on the node's database loops ({@link ConnectionLoops}). With one pool for all,
 * a request's query left its loop for a database loop, and the answer came back: two wake-ups of another thread for each
 * query, which on issue 8's two cores, shared by every process of the platform, meant waiting for a core twice (the
 * community node's threads waited for a core 73% of the time at 24% of the machine, serving queue pages at a million
 * records in an open loop).
 * <p>
 * A connection is the loop's for its whole life (its channel is registered on that loop, see {@link #on}), so the
 * loops' pools never share one, and a transaction keeps the connection it began with wherever its work goes on.
 */
public final class LoopLocalConnections implements ConnectionFactory, Wrapped<ConnectionFactory> {

    private final ConnectionFactory shared;
    private final List<EventExecutor> loops;
    private final List<ConnectionPool> pools;

    private LoopLocalConnections(ConnectionFactory shared, List<EventExecutor> loops, List<ConnectionPool> pools) {
        this.shared = shared;
        this.loops = loops;
        this.pools = pools;
    }

    /**
     * The shared pool, and one pool for each loop of {@code httpLoops} (none for none), made by {@code poolOn} from the
     * loop resources of that loop alone ({@link #on}).
     */
    public static LoopLocalConnections of(ConnectionFactory shared, Iterable<EventExecutor> httpLoops,
                                          Function<LoopResources, ConnectionPool> poolOn) {
        List<EventExecutor> loops = new ArrayList<>();
        List<ConnectionPool> pools = new ArrayList<>();
        for (EventExecutor loop : httpLoops) {
            if (!(loop instanceof EventLoop eventLoop)) {
                throw new IllegalArgumentException(loop + " is not an event loop");
            }
            loops.add(loop);
            pools.add(poolOn.apply(on(eventLoop)));
        }
        return new LoopLocalConnections(shared, List.copyOf(loops), List.copyOf(pools));
    }

    /** The loop's pool when called on one of the HTTP loops, the shared pool otherwise. */
    @Override
    public Publisher<? extends Connection> create() {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i).inEventLoop()) {
                return pools.get(i).create();
            }
        }
        return shared.create();
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return shared.getMetadata();
    }

    /** The shared pool (Spring Boot's pool metrics and health look at it through this). */
    @Override
    public ConnectionFactory unwrap() {
        return shared;
    }

    /** Each loop's pool by a name for its metrics: {@code <prefix>-1}, {@code <prefix>-2}, ... in the loops' order. */
    public Map<String, ConnectionPool> loopPools(String prefix) {
        Map<String, ConnectionPool> named = new LinkedHashMap<>();
        for (int i = 0; i < pools.size(); i++) {
            named.put(prefix + "-" + (i + 1), pools.get(i));
        }
        return named;
    }

    /** Closes the loops' pools and then the shared one (when it can be disposed). */
    public void dispose() {
        Mono.when(pools.stream().map(ConnectionPool::close).toList()).block(Duration.ofSeconds(30));
        if (shared instanceof ConnectionPool pool) {
            pool.dispose();
        }
    }

    /**
     * The loop resources of one event loop that another owns (the HTTP server here): every connection made with them is
     * registered on that loop, whichever thread asks, and disposing them leaves the loop running.
     */
    static LoopResources on(EventLoop loop) {
        return new LoopResources() {
            @Override
            public EventLoopGroup onClient(boolean useNative) {
                return loop;
            }

            @Override
            public EventLoopGroup onServer(boolean useNative) {
                return loop;
            }

            @Override
            public boolean daemon() {
                return true;
            }

            @Override
            public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
                return Mono.empty();
            }

            @Override
            public boolean isDisposed() {
                return loop.isShuttingDown();
            }

            @Override
            public String toString() {
                return "LoopResources(" + loop + ")";
            }
        };
    }
}
