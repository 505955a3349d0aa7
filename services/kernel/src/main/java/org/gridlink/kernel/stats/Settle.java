package org.gridlink.kernel.stats;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How far back a round of roll-ups counts again what it counted before ({@link Rollups}: what happened before
 * (now − settle) is kept, what happened after is counted again next time): {@code gridlink.stats.settle}, widened to
 * twice the latest commit seen lately.
 * <p>
 * An entry a round has not counted is found by the timeline's identity column (the publisher's look), also one whose
 * number was handed out before one already seen, while its gap can still fill ({@link UnseenEntries}). What no entry
 * shows (a supervision notice, a patrol) only the settle counts: one that commits later than the settle after its
 * time is missed until the unit's next whole computation. Such commits come late when the entries' do (connections
 * queued for, a slow disk), so the publisher says how late the entries new to each look were at least ({@link #late}:
 * dated before its previous look, which did not see them), and the settle is at least twice the latest such lag seen
 * within the last {@code memory}, so that under load the rounds go back further instead of missing what committed
 * late; at most the {@code memory} itself ({@link #LONGEST}, or the whole interval when shorter), since every round
 * reads the settle's worth of each changed unit's entries again. What it widened to is kept for one to two
 * {@code memory}s (Micrometer's {@link TimeWindowMax} of two buckets).
 * <p>
 * Times are {@link System#nanoTime()} ({@code nanos}): the memory must not follow the clock.
 */
final class Settle {

    /** The longest the settle widens to: a round under load reads at most this much of each changed unit again. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    private final Duration configured;
    private final Duration memory;
    private final TimeWindowMax latest;

    Settle(Duration configured, Duration memory, LongSupplier nanos) {
        this.configured = configured;
        this.memory = memory;
        Clock ticking = new Clock() {
            @Override
            public long wallTime() {
                return TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong());
            }

            @Override
            public long monotonicTime() {
                return nanos.getAsLong();
            }
        };
        this.latest = new TimeWindowMax(ticking, Math.max(1, memory.toMillis()), 2);
    }

    /** An entry new to a look at the timeline was dated {@code lag} before the previous look, which did not see it. */
    void late(Duration lag) {
        latest.record(lag.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The settle now: the configured one, or twice the latest lag seen within the last memory when that is longer, but
     * never longer than the memory (a unit's whole computation counts what came later still).
     */
    Duration current() {
        Duration twice = Duration.ofNanos((long) latest.poll(TimeUnit.NANOSECONDS)).multipliedBy(2);
        Duration widened = twice.compareTo(memory) > 0 ? memory : twice;
        return widened.compareTo(configured) > 0 ? widened : configured;
    }
}
