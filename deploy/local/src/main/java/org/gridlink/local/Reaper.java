package org.gridlink.local;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one JVM shutdown hook of the local platform: whatever is still registered when the JVM exits is closed
 * in reverse order of registration (the gateway before the nodes, the nodes before the broker, the broker
 * before PostgreSQL). One hook, not one per child, because the JVM runs its hooks concurrently: whatever uses the
 * parts started here registers its own stop here too, after them (the integration tests' platform), so that it stops
 * before them.
 */
public final class Reaper {

    private static final Deque<AutoCloseable> LIVE = new ArrayDeque<>();
    private static boolean hooked;

    private Reaper() {
    }

    /** Registers {@code resource} to be closed at JVM exit; registering it again keeps its first place. */
    public static synchronized void register(AutoCloseable resource) {
        if (!hooked) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Reaper::closeAll, "gridlink-reaper"));
            } catch (IllegalStateException shuttingDown) {
                return;
            }
            hooked = true;
        }
        if (!LIVE.contains(resource)) {
            LIVE.push(resource);
        }
    }

    public static synchronized void deregister(AutoCloseable resource) {
        LIVE.remove(resource);
    }

    /** Closes everything registered, newest first. */
    static void closeAll() {
        while (true) {
            AutoCloseable next;
            synchronized (Reaper.class) {
                next = LIVE.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("[gridlink] while stopping " + next + ": " + e);
            }
        }
    }
}
