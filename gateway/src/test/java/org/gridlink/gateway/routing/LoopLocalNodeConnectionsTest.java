package org.gridlink.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

/** Which pool {@link LoopLocalNodeConnections} gives a caller, and how its loops' pools are made. No network. */
class LoopLocalNodeConnectionsTest {

    final DefaultEventLoop first = new DefaultEventLoop();
    final DefaultEventLoop second = new DefaultEventLoop();

    @AfterEach
    void stop() throws InterruptedException {
        first.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        second.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void eachLoopHasItsOwnPoolAndAnyOtherThreadTheSharedOne() throws Exception {
        ConnectionProvider shared = ConnectionProvider.builder("proxy").maxConnections(9).build();
        LoopLocalNodeConnections connections = (LoopLocalNodeConnections) LoopLocalNodeConnections.of(shared,
                List.<EventExecutor>of(first, second));
        try {
            List<ConnectionProvider> pools = connections.loopPools();
            assertThat(pools).extracting(ConnectionProvider::name).containsExactly("proxy-1", "proxy-2");
            // the shared pool's nine divided between the two loops
            assertThat(pools).extracting(ConnectionProvider::maxConnections).containsExactly(4, 4);
            assertThat(first.submit(connections::current).get(5, TimeUnit.SECONDS)).isSameAs(pools.get(0));
            assertThat(second.submit(connections::current).get(5, TimeUnit.SECONDS)).isSameAs(pools.get(1));
            assertThat(connections.current()).isSameAs(shared);
            assertThat(connections.name()).isEqualTo("proxy");
            assertThat(connections.maxConnections()).isEqualTo(9);
        } finally {
            connections.disposeLater().block();
        }
        assertThat(shared.isDisposed()).isTrue();
        assertThat(connections.loopPools()).allMatch(ConnectionProvider::isDisposed);
    }

    @Test
    void anUnboundedPoolStaysUnboundedOnEachLoop() {
        ConnectionProvider shared = ConnectionProvider.builder("proxy").maxConnections(Integer.MAX_VALUE).build();
        LoopLocalNodeConnections connections = (LoopLocalNodeConnections) LoopLocalNodeConnections.of(shared,
                List.<EventExecutor>of(first, second));
        try {
            assertThat(connections.loopPools()).extracting(ConnectionProvider::maxConnections)
                    .containsExactly(Integer.MAX_VALUE, Integer.MAX_VALUE);
        } finally {
            connections.dispose();
        }
    }

    @Test
    void withoutLoopsOrWithoutAPoolTheSharedProviderIsUsedAsItIs() {
        ConnectionProvider shared = ConnectionProvider.builder("proxy").maxConnections(4).build();
        try {
            assertThat(LoopLocalNodeConnections.of(shared, List.of())).isSameAs(shared);
        } finally {
            shared.dispose();
        }
        ConnectionProvider none = ConnectionProvider.newConnection();
        assertThat(LoopLocalNodeConnections.of(none, List.<EventExecutor>of(first, second))).isSameAs(none);
    }
}
