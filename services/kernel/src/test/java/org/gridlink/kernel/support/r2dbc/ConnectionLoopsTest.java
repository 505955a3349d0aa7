package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * New connections over real TCP on the loopback, opened the way the database driver opens them (a {@code TcpClient}
 * on a new-connection provider, run on the given loops, to an unresolved address).
 */
class ConnectionLoopsTest {

    private static ServerSocket server;
    private static final ConcurrentLinkedQueue<Socket> accepted = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "connection-loops-test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void newConnectionsGoRoundEveryLoopInTurn() {
        for (int count : new int[] {1, 2, 3, 4}) {
            ConnectionLoops loops = ConnectionLoops.create("loops-test-" + count, count);
            try {
                List<EventLoop> used = connect(loops, 4 * count);
                assertThat(loops.count()).isEqualTo(count);
                assertThat(timesEach(used)).as("connections per loop, %d loops", count)
                        .hasSize(count).allSatisfy((loop, times) -> assertThat(times).isEqualTo(4));
            } finally {
                loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Why ConnectionLoops exists: Reactor Netty's own loops that never colocate put every new connection on one of two
     * loops, each connection taking two turns of the round robin (Reactor Netty 1.3.8, Netty 4.2.18). When this fails,
     * they no longer do, and the node could go back to them.
     */
    @Test
    void reactorNettysOwnLoopsPutEveryConnectionOnOneOfTwo() {
        LoopResources reactorNetty = LoopResources.create("reactor-netty-loops-test", 1, 2, true, false);
        try {
            assertThat(timesEach(connect(reactorNetty, 6))).hasSize(1);
        } finally {
            reactorNetty.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    @Test
    void theLoopsAreDaemonThreadsNamedAfterThePrefix() throws Exception {
        ConnectionLoops loops = ConnectionLoops.create("loops-test-names", 2);
        try {
            List<String> names = new ArrayList<>();
            for (EventLoop loop : connect(loops, 2)) {
                names.add(loop.submit(() -> Thread.currentThread().getName()
                        + (Thread.currentThread().isDaemon() ? " daemon" : "")).get());
            }
            assertThat(names).containsExactly("loops-test-names-1 daemon", "loops-test-names-2 daemon");
            assertThat(loops.daemon()).isTrue();
            assertThat(loops.isDisposed()).isFalse();
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
        assertThat(loops.isDisposed()).isTrue();
    }

    @Test
    void thereIsAtLeastOneLoop() {
        assertThatThrownBy(() -> ConnectionLoops.create("loops-test-none", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one loop");
    }

    /** Opens {@code n} connections one after another from this (non-loop) thread, and the loop each landed on. */
    private static List<EventLoop> connect(LoopResources loops, int n) {
        TcpClient client = TcpClient.create(ConnectionProvider.newConnection()).runOn(loops)
                .remoteAddress(() -> InetSocketAddress.createUnresolved("127.0.0.1", server.getLocalPort()));
        List<EventLoop> used = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection connection = client.connect().block(Duration.ofSeconds(10));
            assertThat(connection).isNotNull();
            used.add(connection.channel().eventLoop());
            connection.disposeNow();
        }
        return used;
    }

    private static Map<EventLoop, Long> timesEach(List<EventLoop> used) {
        return used.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
