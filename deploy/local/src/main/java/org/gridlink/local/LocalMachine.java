package org.gridlink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** What the launchers (the local platform, the benchmark) ask of this machine: a free port, a folder wiped. */
public final class LocalMachine {

    /**
     * Every port this process has handed out. A launcher binds them later (the test platform picks its nodes' ports,
     * then starts the database and the broker, which pick theirs, and only then the nodes): a port still free when a
     * second pick looks at it is nobody's yet, but it has been promised.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LocalMachine() {
    }

    /** True when nothing listens on the port (on any address). */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code count} different ports that nothing listens on now, for servers that must be told their port before they
     * start (a broker's listeners, an issuer's URL). They are taken below the kernel's ephemeral range, where no
     * outgoing connection is given its local port: a port from {@code new ServerSocket(0)} comes from that range, and
     * a connection this process or another opened meanwhile (to the database, to the broker) could hold it by the time
     * the server binds it. They are also clear of run-local.sh's default ports (8080-9000, 15432, 19092) and the
     * benchmark's (28000-28432), so that either can start beside a test run. None was handed out before by this
     * process, bound since or not.
     */
    public static int[] freePortsForServers(int count) {
        return freePortsForServers(count, 20_000, Math.min(ephemeralRangeStart(), 28_000), HANDED_OUT);
    }

    /**
     * As {@link #freePortsForServers(int)}, from {@code low} (inclusive) to {@code high} (exclusive), none of the
     * ports in {@code handedOut}, to which the ports found are added.
     */
    static int[] freePortsForServers(int count, int low, int high, Set<Integer> handedOut) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (int tries = 0; ports.size() < count; tries++) {
            if (tries > 10_000) {
                ports.forEach(handedOut::remove);
                throw new IllegalStateException("no free port found in " + low + "-" + (high - 1));
            }
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (isFree(port) && handedOut.add(port)) {
                ports.add(port);
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first port of the kernel's ephemeral range (Linux's {@code ip_local_port_range}; 32768 elsewhere). */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > 20_100 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** Deletes the folder and everything in it; a folder that is not there is left alone. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }
}
