package org.gridlink.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.gridlink.bench.driver.MachineTicks;

/**
 * How fast this machine's cores run now, measured before the platform starts and again after the last scenario: one
 * thread hashing 64 KiB blocks with SHA-256 (the core's own speed: the block stays in its cache), following a random
 * chain of reads through 64 MiB (most reads miss the caches: memory's latency) and copying 64 MiB from one array to
 * another (memory's bandwidth, which neighbours on the host share, as a JVM's allocation uses it), and a byte's round
 * trip over TCP on 127.0.0.1 between two threads (the system calls and wake-ups of every request between processes). On
 * a shared host the same virtual machine has done the same work at less than half its usual speed with no steal to show
 * for it (on 2026-12-03 the gateway's header filters took 18.4 µs a request in the hot paths and pgbench did 1075
 * transactions a second; in the full run of the day before, 6.2 µs and 2644). Two runs' absolute figures compare only
 * when their speeds do; the ratios within one run hold either way.
 */
final class MachineSpeed {

    static final int BLOCK = 64 * 1024;
    /**
     * The random chain's length: 16 Mi ints, 64 MiB. This machine reports a 105 MB cache, which the host's other
     * machines share; its reads took 171–195 ns on 2026-12-03, memory's latency rather than a cache's. Larger would not
     * fit beside the driver's own data in its 512 MB heap.
     */
    static final int CHAIN = 16 * 1024 * 1024;

    /**
     * MB (10^6 bytes) hashed a second, ns a read of the random chain took, GB (10^9 bytes) copied a second, µs a
     * loopback round trip took, and the host's steal over the measurements (empty without /proc/stat).
     */
    record Reading(double mbPerSecond, double nsPerRead, double copyGbPerSecond, double usPerRoundTrip,
                   Optional<Double> stealPct) {

        String describe() {
            return String.format(Locale.ROOT, "SHA-256 %.0f MB/s, a random read %.0f ns, copying %.1f GB/s, a loopback"
                    + " round trip %.1f µs", mbPerSecond, nsPerRead, copyGbPerSecond, usPerRoundTrip)
                    + stealPct.map(s -> String.format(Locale.ROOT, " (steal %.1f%%)", s)).orElse("");
        }
    }

    private final LongSupplier nanoTime;
    /** Where the chain ended: written so that the reads cannot be left out. */
    static volatile int sink;
    private final Supplier<Optional<MachineTicks>> machine;

    MachineSpeed() {
        this(System::nanoTime, MachineTicks::read);
    }

    MachineSpeed(LongSupplier nanoTime, Supplier<Optional<MachineTicks>> machine) {
        this.nanoTime = nanoTime;
        this.machine = machine;
    }

    /**
     * Hashes for {@code warmUp} (the JIT compiles the loop), then for {@code measure}; then follows the chain, then
     * copies, as long each way. Reads the measured parts.
     */
    Reading measure(Duration warmUp, Duration measure) {
        return measure(warmUp, measure, CHAIN);
    }

    Reading measure(Duration warmUp, Duration measure, int chainLength) {
        MessageDigest sha = sha256();
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        int[] chain = randomCycle(chainLength, new SplittableRandom(7));
        hash(sha, block, warmUp.toNanos());
        Optional<MachineTicks> before = machine.get();
        long start = nanoTime.getAsLong();
        long blocks = hash(sha, block, measure.toNanos());
        long hashing = nanoTime.getAsLong() - start;
        follow(chain, warmUp.toNanos());
        start = nanoTime.getAsLong();
        long reads = follow(chain, measure.toNanos());
        long following = nanoTime.getAsLong() - start;
        chain = null;
        byte[] from = new byte[chainLength * Integer.BYTES];
        byte[] to = new byte[from.length];
        copy(from, to, warmUp.toNanos());
        start = nanoTime.getAsLong();
        long copies = copy(from, to, measure.toNanos());
        long copying = nanoTime.getAsLong() - start;
        double usPerRoundTrip = loopback(warmUp.toNanos(), measure.toNanos());
        Optional<MachineTicks> after = machine.get();
        Optional<Double> steal = before.flatMap(b -> after.flatMap(a -> a.stealPctSince(b)));
        return new Reading(rate(blocks, hashing), (double) following / reads, copies * (double) from.length / copying,
                usPerRoundTrip, steal);
    }

    /**
     * A byte sent over TCP on 127.0.0.1 and echoed by another thread, over and over (after {@code warmUp}, for
     * {@code nanos}): µs a round trip. It costs four system calls and two threads woken, what a request between the
     * platform's processes costs besides their work, and what a core's speed does not show: on 2026-12-03 an AMD EPYC
     * hashed as fast as the Intel Xeon before it, while the bare WebFlux endpoint served 11 534 requests a second
     * against 21 600–28 935 on the Xeon.
     */
    private double loopback(long warmUp, long nanos) {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                     OutputStream out = s.getOutputStream()) {
                    s.setTcpNoDelay(true);
                    for (int b = in.read(); b >= 0; b = in.read()) {
                        out.write(b);
                    }
                } catch (IOException closed) {
                    // the measuring side is done
                }
            }, "machine-speed-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                 InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setTcpNoDelay(true);
                roundTrips(in, out, warmUp);
                long start = nanoTime.getAsLong();
                long trips = roundTrips(in, out, nanos);
                return (nanoTime.getAsLong() - start) / 1e3 / trips;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the loopback round trip could not be measured", e);
        }
    }

    /** Round trips of one byte for {@code nanos}, 16 between clock reads; returns how many. */
    private long roundTrips(InputStream in, OutputStream out, long nanos) throws IOException {
        long end = nanoTime.getAsLong() + nanos;
        long trips = 0;
        do {
            for (int i = 0; i < 16; i++) {
                out.write(i);
                if (in.read() != i) {
                    throw new IOException("the echo answered another byte");
                }
                trips++;
            }
        } while (nanoTime.getAsLong() < end);
        return trips;
    }

    /** Copies {@code from} into {@code to} over and over for {@code nanos}; returns how many times. */
    private long copy(byte[] from, byte[] to, long nanos) {
        long end = nanoTime.getAsLong() + nanos;
        long copies = 0;
        do {
            System.arraycopy(from, 0, to, 0, from.length);
            from[(int) (copies % from.length)]++;
            copies++;
        } while (nanoTime.getAsLong() < end);
        sink += to[(int) (copies % to.length)];
        return copies;
    }

    /** One cycle through every index of an array of {@code n}, in random order (Sattolo's shuffle). */
    static int[] randomCycle(int n, SplittableRandom random) {
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }

    /**
     * Follows the chain, each read's index the last read's value (so no read can start before the last one ended), for
     * {@code nanos}; returns how many reads it made.
     */
    private long follow(int[] chain, long nanos) {
        long end = nanoTime.getAsLong() + nanos;
        long reads = 0;
        int at = 0;
        do {
            for (int i = 0; i < 4096; i++) {
                at = chain[at];
            }
            reads += 4096;
        } while (nanoTime.getAsLong() < end);
        sink = at;
        return reads;
    }

    /** MB a second for {@code blocks} of {@link #BLOCK} bytes hashed in {@code nanos}. */
    static double rate(long blocks, long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("no time measured");
        }
        return blocks * (double) BLOCK / 1e6 / (nanos / 1e9);
    }

    /**
     * Hashes the block over and over, each digest feeding the next block's first bytes (so no hash can be left out),
     * until {@code nanos} have passed; returns how many blocks it hashed.
     */
    private long hash(MessageDigest sha, byte[] block, long nanos) {
        long end = nanoTime.getAsLong() + nanos;
        long blocks = 0;
        do {
            for (int i = 0; i < 16; i++) {
                sha.update(block);
                byte[] digest = sha.digest();
                System.arraycopy(digest, 0, block, 0, digest.length);
                blocks++;
            }
        } while (nanoTime.getAsLong() < end);
        return blocks;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
