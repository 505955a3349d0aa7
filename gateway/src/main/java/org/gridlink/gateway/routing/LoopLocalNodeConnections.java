package org.gridlink.gateway.routing;

import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * The gateway's connections to the nodes, a pool for each of the HTTP server's event loops: a request the gateway
 * serves on one loop is sent on to its node, answered and written back to its client on that one thread.
 * <p>
 * Reactor Netty's pool is one for all the loops. A connection it makes for a request lives on the request's loop (the
 * client's loops colocate), but an idle one is handed to whichever loop asks next, first in first out: a request
 * served on one loop was sent on another's connection and its answer came back, a wake-up of the other loop's thread
 * each way. On issue 8's two cores, shared by every process of the platform, each such wake-up waits for a core; the
 * nodes did the same with their database connections until {@code LoopLocalConnections} (kernel). Here each loop asks
 * its own pool, whose connections it made itself. A call from any other thread takes the shared pool: a request whose
 * work went on on another thread, as one may when the identity provider's keys were just fetched.
 * <p>
 * Every pool has the settings of the shared one ({@code spring.cloud.gateway.server.webflux.httpclient.pool.*}),
 * under its name with the loop's number after it; a bounded pool's {@code max-connections} are divided among the
 * loops (at least one each). A pool that is turned off (a new connection each call) stays the only one.
 */
public final class LoopLocalNodeConnections implements ConnectionProvider {

    private final ConnectionProvider shared;
    private final List<EventExecutor> loops;
    private final List<ConnectionProvider> pools;

    private LoopLocalNodeConnections(ConnectionProvider shared, List<EventExecutor> loops,
                                     List<ConnectionProvider> pools) {
        this.shared = shared;
        this.loops = loops;
        this.pools = pools;
    }

    /**
     * The shared pool alone when there are no loops or it cannot be copied (no pool: a new connection each call),
     * otherwise it and a pool for each of {@code httpLoops} with a copy of its settings, named for the loop, with the
     * loop's share of its connections.
     */
    public static ConnectionProvider of(ConnectionProvider shared, Iterable<EventExecutor> httpLoops) {
        List<EventExecutor> loops = new ArrayList<>();
        httpLoops.forEach(loops::add);
        if (loops.isEmpty() || shared.mutate() == null) {
            return shared;
        }
        int total = shared.maxConnections();
        int each = total == Integer.MAX_VALUE ? total : Math.max(1, total / loops.size());
        List<ConnectionProvider> pools = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            pools.add(shared.mutate().name(shared.name() + "-" + (i + 1)).maxConnections(each).build());
        }
        return new LoopLocalNodeConnections(shared, List.copyOf(loops), List.copyOf(pools));
    }

    /** The calling loop's pool, on any other thread the shared one. */
    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
                                             Supplier<? extends SocketAddress> remoteAddress,
                                             AddressResolverGroup<?> resolverGroup) {
        return current().acquire(config, observer, remoteAddress, resolverGroup);
    }

    ConnectionProvider current() {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i).inEventLoop()) {
                return pools.get(i);
            }
        }
        return shared;
    }

    /** Each loop's pool, in the loops' order. */
    List<ConnectionProvider> loopPools() {
        return pools;
    }

    @Override
    public void disposeWhen(SocketAddress address) {
        pools.forEach(pool -> pool.disposeWhen(address));
        shared.disposeWhen(address);
    }

    @Override
    public Mono<Void> disposeLater() {
        List<Mono<Void>> all = new ArrayList<>();
        pools.forEach(pool -> all.add(pool.disposeLater()));
        all.add(shared.disposeLater());
        return Mono.when(all);
    }

    @Override
    public boolean isDisposed() {
        return shared.isDisposed() && pools.stream().allMatch(ConnectionProvider::isDisposed);
    }

    /** The shared pool's, which the loops' pools divide among them. */
    @Override
    public int maxConnections() {
        return shared.maxConnections();
    }

    @Override
    public Map<SocketAddress, Integer> maxConnectionsPerHost() {
        return shared.maxConnectionsPerHost();
    }

    @Override
    public String name() {
        return shared.name();
    }
}
