package org.gridlink.bench.driver;

import org.HdrHistogram.Histogram;

/**
 * What one phase measured: successful requests and their latencies (microseconds, in an HdrHistogram), the
 * failures, and the length of the measured window; for an open loop also its send lag, how late (µs) each measured
 * request left after its intended time (the driver's own delay, which the latencies include), else null.
 */
public record Measurement(String name, String load, Histogram latencyMicros, long errors, double seconds,
                          Histogram sendLagMicros) {

    public Measurement(String name, String load, Histogram latencyMicros, long errors, double seconds) {
        this(name, load, latencyMicros, errors, seconds, null);
    }

    public long count() {
        return latencyMicros.getTotalCount();
    }

    /** Successful requests per second over the measured window. */
    public double throughput() {
        return seconds > 0 ? count() / seconds : 0;
    }

    /** The latency at {@code percentile} (0–100) in microseconds; 0 when nothing was measured. */
    public long percentileMicros(double percentile) {
        return count() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile);
    }

    /** The same histogram under another name and load description (to merge phases, see {@link #plus}). */
    public Measurement named(String newName, String newLoad) {
        return new Measurement(newName, newLoad, latencyMicros, errors, seconds, sendLagMicros);
    }

    /** The send lag at {@code percentile} (0–100) in microseconds; 0 for a closed loop or when nothing was sent. */
    public long sendLagPercentileMicros(double percentile) {
        return sendLagMicros == null || sendLagMicros.getTotalCount() == 0 ? 0
                : sendLagMicros.getValueAtPercentile(percentile);
    }

    /** This and {@code other} as one measurement: latencies merged, errors and measured time added. */
    public Measurement plus(Measurement other) {
        Histogram merged = latencyMicros.copy();
        merged.add(other.latencyMicros);
        Histogram lag = null;
        if (sendLagMicros != null || other.sendLagMicros != null) {
            lag = newHistogram();
            for (Histogram h : new Histogram[] {sendLagMicros, other.sendLagMicros}) {
                if (h != null) {
                    lag.add(h);
                }
            }
        }
        return new Measurement(name, load, merged, errors + other.errors, seconds + other.seconds, lag);
    }

    public static Histogram newHistogram() {
        // one microsecond to ten minutes, three significant digits
        return new Histogram(1, 600_000_000L, 3);
    }
}
