package org.gridlink.bench.driver;

/**
 * The intended send times of an open-loop run: request {@code i} is due at {@code start + i / rate}, whatever
 * happened to the requests before it. Latency is measured from these times, not from when a request actually
 * left, so that a stalled server (or a stalled driver) cannot hide the requests it kept waiting — the
 * coordinated-omission correction.
 */
public final class OpenLoopSchedule {

    private final long startNanos;
    private final double ratePerSecond;

    public OpenLoopSchedule(long startNanos, double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, got " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
    }

    /** When request {@code i} (from 0) is due; computed from the start, so rounding never accumulates. */
    public long intendedNanos(long i) {
        if (i < 0) {
            throw new IllegalArgumentException("request index must be >= 0, got " + i);
        }
        return startNanos + Math.round(i * 1e9 / ratePerSecond);
    }

    /** How many requests are due before {@code endNanos} (the first request due at or after it is not sent). */
    public long countBefore(long endNanos) {
        if (endNanos <= startNanos) {
            return 0;
        }
        long n = (long) Math.ceil((endNanos - startNanos) * ratePerSecond / 1e9);
        // guard the ceiling against floating-point error on both sides
        while (n > 0 && intendedNanos(n - 1) >= endNanos) {
            n--;
        }
        while (intendedNanos(n) < endNanos) {
            n++;
        }
        return n;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public long startNanos() {
        return startNanos;
    }
}
