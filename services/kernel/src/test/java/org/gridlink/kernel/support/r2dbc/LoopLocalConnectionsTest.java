package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/** Which pool a connection comes from, by the thread that asks; and one loop's resources leave the loop running. */
class LoopLocalConnectionsTest {

    final DefaultEventLoopGroup httpLoops = new DefaultEventLoopGroup(3);
    final DefaultEventLoopGroup otherLoops = new DefaultEventLoopGroup(1);
    final List<LoopResources> given = new ArrayList<>();

    @AfterEach
    void stop() {
        httpLoops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        otherLoops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aConnectionAskedForOnAnHttpLoopIsThatLoopsPoolsAndAnywhereElseTheSharedPools() {
        AtomicInteger made = new AtomicInteger();
        LoopLocalConnections connections = LoopLocalConnections.of(pool(new Named("shared")), httpLoops, loop -> {
            given.add(loop);
            return pool(new Named("loop-" + made.incrementAndGet()));
        });
        List<EventExecutor> loops = new ArrayList<>();
        httpLoops.forEach(loops::add);
        for (int i = 0; i < loops.size(); i++) {
            // the pool made from the loop's own resources, twice over (an idle connection again, or a new one)
            for (int twice = 0; twice < 2; twice++) {
                assertThat(nameOf(connections, loops.get(i))).isEqualTo("loop-" + (i + 1));
            }
            assertThat(given.get(i).onClient(true)).isSameAs(loops.get(i));
            assertThat(given.get(i).onServer(true)).isSameAs(loops.get(i));
        }
        assertThat(nameOf(connections, otherLoops.next())).isEqualTo("shared");
        assertThat(Mono.from(connections.create()).flatMap(LoopLocalConnectionsTest::nameAndClose)
                .block(Duration.ofSeconds(5))).as("on the test's thread").isEqualTo("shared");
        assertThat(connections.loopPools("http")).containsOnlyKeys("http-1", "http-2", "http-3");
        connections.dispose();
    }

    @Test
    void noHttpLoopsMeansTheSharedPoolAlone() {
        LoopLocalConnections connections = LoopLocalConnections.of(pool(new Named("shared")), List.of(), loop -> {
            throw new AssertionError("no loop, no pool");
        });
        assertThat(nameOf(connections, httpLoops.next())).isEqualTo("shared");
        assertThat(connections.loopPools("http")).isEmpty();
        assertThat(connections.unwrap()).isInstanceOf(ConnectionPool.class);
        connections.dispose();
    }

    @Test
    void oneLoopsResourcesLeaveTheLoopRunningWhenDisposed() {
        EventLoop loop = httpLoops.next();
        LoopResources resources = LoopLocalConnections.on(loop);
        resources.disposeLater().block(Duration.ofSeconds(5));
        assertThat(loop.isShuttingDown()).isFalse();
        assertThat(resources.isDisposed()).isFalse();
        assertThat(resources.daemon()).isTrue();
    }

    private static String nameOf(LoopLocalConnections connections, EventExecutor on) {
        return Mono.defer(() -> Mono.from(connections.create())).flatMap(LoopLocalConnectionsTest::nameAndClose)
                .subscribeOn(Schedulers.fromExecutor(on)).block(Duration.ofSeconds(5));
    }

    private static Mono<String> nameAndClose(Connection pooled) {
        @SuppressWarnings("unchecked")
        String name = ((Wrapped<Connection>) pooled).unwrap().toString();
        return Mono.from(pooled.close()).thenReturn(name);
    }

    private static ConnectionPool pool(ConnectionFactory factory) {
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory).initialSize(0).maxSize(2).build());
    }

    /** A driver whose connections do nothing but close, each named after it. */
    private record Named(String name) implements ConnectionFactory {

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.fromSupplier(() -> (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "toString" -> name;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "validate" -> Mono.just(true);
                        case "isAutoCommit" -> true;
                        default -> Publisher.class.isAssignableFrom(method.getReturnType()) ? Mono.empty() : null;
                    }));
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return () -> "test";
        }
    }
}
