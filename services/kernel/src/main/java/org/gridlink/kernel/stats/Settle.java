package org.gridlink.kernel.stats;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How far back a round of roll-ups counts again what it counted before ({@link Rollups}: what happened before
 * (now − settle) is kept, what happened after is counted again next time): {@code gridlink.stats.settle}, widened to
 * twice the latest commit seen lately.
 * <p>
 * An entry a round has not counted is found by the timeline's identity column (the publisher's poll) unless its
 * number was handed out before one already seen, and then only the settle counts it: a transaction that commits later
 * than the settle after the time it wrote is missed until the unit's next whole computation. The publisher says how
 * late the entries new to each look were at least ({@link #late}: dated before its previous look, which did not see
 * them), and the settle is at least twice the latest such lag seen within the last {@code memory}, so that under load
 * (connections queued for, a slow disk) the rounds go back further instead of missing what committed late; at most
 * the {@code memory} itself, the whole interval, whose whole computations count whatever came later still. What it
 * widened to is kept for one to two {@code memory}s.
 * <p>
 * Times are {@link System#nanoTime()} ({@code nanos}): the memory must not follow the clock.
 */
final class Settle {

    private final Duration configured;
    private final long memoryNanos;
    private final LongSupplier nanos;
    private long bucketStart;
    private long latestNanos;
    private long previousNanos;

    Settle(Duration configured, Duration memory, LongSupplier nanos) {
        this.configured = configured;
        this.memoryNanos = Math.max(1, memory.toNanos());
        this.nanos = nanos;
        this.bucketStart = nanos.getAsLong();
    }

    /** An entry new to a look at the timeline was dated {@code lag} before the previous look, which did not see it. */
    synchronized void late(Duration lag) {
        rotate();
        latestNanos = Math.max(latestNanos, lag.toNanos());
    }

    /**
     * The settle now: the configured one, or twice the latest lag seen within the last memory when that is longer, but
     * never longer than the memory (the whole interval: a unit's whole computation counts what came later still).
     */
    synchronized Duration current() {
        rotate();
        long twice = Math.min(Math.max(latestNanos, previousNanos), memoryNanos / 2) * 2;
        return twice > configured.toNanos() ? Duration.ofNanos(twice) : configured;
    }

    private void rotate() {
        long now = nanos.getAsLong();
        long buckets = (now - bucketStart) / memoryNanos;
        if (buckets <= 0) {
            return;
        }
        previousNanos = buckets == 1 ? latestNanos : 0;
        latestNanos = 0;
        bucketStart += buckets * memoryNanos;
    }
}
