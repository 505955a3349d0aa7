package org.gridlink.kernel.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test sets and moves, for due times and overdue lists; it stands still until moved. One made by
 * {@link #followingSystem()} tells the system time until a test sets it, and again after {@link #release()}.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public MutableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock that tells the system time until a test sets it (a platform shared by many tests). */
    public static MutableClock followingSystem() {
        return new MutableClock(new AtomicReference<>(null), ZoneOffset.UTC);
    }

    /** Back to the system time (for a clock made by {@link #followingSystem()}). */
    public void release() {
        now.set(null);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration by) {
        now.updateAndGet(i -> (i == null ? Instant.now() : i).plus(by));
    }

    @Override
    public Instant instant() {
        Instant i = now.get();
        return i == null ? Instant.now() : i;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving instant, seen in another zone. */
    @Override
    public Clock withZone(ZoneId other) {
        return new MutableClock(now, other);
    }
}
