package org.gridlink.bench.report;

import org.gridlink.bench.driver.Measurement;

/**
 * One line of the results table. Latencies in microseconds, {@code NaN} where the tool does not report them;
 * {@code throughput} in operations per second.
 */
public record Row(String scenario, String load, double throughput, double p50, double p99, double p999, long count,
                  long errors, String note) {

    public static Row of(Measurement m, String note) {
        return new Row(m.name(), m.load(), m.throughput(), m.percentileMicros(50), m.percentileMicros(99),
                m.percentileMicros(99.9), m.count(), m.errors(), note);
    }
}
