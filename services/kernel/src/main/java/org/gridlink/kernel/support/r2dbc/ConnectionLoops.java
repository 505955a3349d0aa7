package org.gridlink.kernel.support.r2dbc;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The event loops of a node's database connections, each new connection on the next loop in turn, none colocated with
 * the thread that asks for it.
 * <p>
 * Reactor Netty's own loops ({@code LoopResources.create(prefix, 1, n, daemon, false)}) meant to do that and did not:
 * Reactor Netty 1.3 asks the group, once per new connection, whether its loops suit the channel type before it picks
 * the connection's loop, and Netty 4.2 answers that question ({@code IoEventLoopGroup.isCompatible}) by asking
 * {@code next()}, which takes a turn of the round robin. So every connection took two turns: with an even number of
 * loops, every connection landed on every other loop, and with two (one per core on a 2-core machine, see
 * {@code EventLoops}) all of them on one thread. Issue 8's profile of a community node found its 17 connections on
 * {@code r2dbc-epoll-1}, which read every row and built every answer from it, while the second loop never started
 * (2026-12-04). This group answers that question from its first loop (every loop of a group has the same I/O type),
 * so a connection takes one turn, and connections go round all the loops.
 */
public final class ConnectionLoops implements LoopResources {

    private final Loops loops;

    private ConnectionLoops(Loops loops) {
        this.loops = loops;
    }

    /**
     * {@code count} loops on daemon threads named {@code <prefix>-<n>}, native (epoll) where the platform has it,
     * otherwise Java NIO.
     */
    public static ConnectionLoops create(String prefix, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one loop, not " + count);
        }
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new ConnectionLoops(new Loops(count, new Threads(prefix), io));
    }

    /** How many loops there are. */
    public int count() {
        return loops.executorCount();
    }

    // the loops' I/O (native or NIO) is chosen once, in create; Reactor Netty picks the channel type to suit the group
    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops;
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops;
    }

    @Override
    public boolean daemon() {
        return true;
    }

    @Override
    public boolean isDisposed() {
        return loops.isShuttingDown();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.create(done -> loops.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(),
                TimeUnit.MILLISECONDS).addListener(f -> done.success()));
    }

    /** Netty's threads (with its fast thread locals), named {@code <prefix>-1}, {@code <prefix>-2}, ... */
    private static final class Threads extends DefaultThreadFactory {

        private final String prefix;
        private final AtomicInteger made = new AtomicInteger();

        Threads(String prefix) {
            super(prefix, true);
            this.prefix = prefix;
        }

        @Override
        protected Thread newThread(Runnable task, String name) {
            return super.newThread(task, prefix + "-" + made.incrementAndGet());
        }
    }

    /** Netty's group, but a question about the loops' I/O type does not take a turn of the round robin. */
    private static final class Loops extends MultiThreadIoEventLoopGroup {

        Loops(int count, Threads threads, IoHandlerFactory io) {
            super(count, threads, io);
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return first().isCompatible(handleType);
        }

        @Override
        public boolean isIoType(Class<? extends IoHandler> handlerType) {
            return first().isIoType(handlerType);
        }

        private IoEventLoop first() {
            return (IoEventLoop) iterator().next();
        }
    }
}
