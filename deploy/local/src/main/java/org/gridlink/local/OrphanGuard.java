package org.gridlink.local;

/**
 * A Java agent that every child JVM of the local platform carries ({@code -javaagent:<jar>=<parent pid>}): it
 * watches the process that started it and, should that parent vanish without stopping its children (kill -9,
 * a test JVM torn down by its build tool), shuts the child down so that no broker or node is left holding
 * ports and memory. Self-contained on purpose: {@link ChildProcess} packs this one class into the agent jar.
 */
public final class OrphanGuard {

    private static final long POLL_MILLIS = 1000;
    private static final long HALT_AFTER_MILLIS = 30_000;

    private OrphanGuard() {
    }

    public static void premain(String args) {
        long parent;
        try {
            parent = Long.parseLong(args == null ? "" : args.trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (currentParent() != parent) {
            return; // started through something we do not know; do not guess
        }
        Thread watcher = new Thread(() -> watch(parent), "gridlink-orphan-guard");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watch(long parent) {
        while (currentParent() == parent) {
            if (!pause(POLL_MILLIS)) {
                return;
            }
        }
        System.err.println("[gridlink] the process that started this one (pid " + parent + ") is gone; shutting down");
        Thread halt = new Thread(() -> {
            pause(HALT_AFTER_MILLIS);
            Runtime.getRuntime().halt(1);
        }, "gridlink-orphan-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(1);
    }

    private static long currentParent() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
