package org.gridlink.security;

/**
 * How many Netty event loops the gateway and the nodes run: one per core, at least two. Reactor Netty's own default is
 * at least four ({@code max(cores, 4)}); on a small machine that is twice the cores, for the HTTP server, the gateway's
 * client and R2DBC's connections alike, and the extra threads only take turns on the same cores. Issue 8's benchmark on
 * two cores, four runs in one hour: a case-page read cost the community node 14–17% less CPU and the gateway 4–13%
 * less ({@code bench/results/2026-12-01-only-gateway-12.md}; the intake through the gateway, 67–70% of direct there
 * against 63–65%, was 62% in the full run after it). From four cores up the two rules agree.
 * <p>
 * An operator's own {@code -Dreactor.netty.ioWorkerCount} wins. The apps' {@code main} methods call this before Spring
 * starts (Reactor Netty reads the property once, when its loops are first made); the tests that run several apps in
 * one JVM keep Reactor Netty's default.
 */
public final class EventLoops {

    /** Reactor Netty's system property for its event loop count ({@code ReactorNetty.IO_WORKER_COUNT}). */
    public static final String PROPERTY = "reactor.netty.ioWorkerCount";

    private EventLoops() {
    }

    /** Sets {@link #PROPERTY} to {@link #onePerCore(int)} of this machine's cores unless it is set already. */
    public static void onePerCore() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(onePerCore(Runtime.getRuntime().availableProcessors())));
        }
    }

    /** One event loop per core, at least two (one blocked loop must not stop every connection). */
    static int onePerCore(int cores) {
        return Math.max(2, cores);
    }
}
