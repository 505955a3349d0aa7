package org.gridlink.bench.driver;

import java.util.Locale;

/** How the results print: latencies in milliseconds to three significant digits, throughputs, ratios. */
public final class Formats {

    private Formats() {
    }

    /** {@code 4210} µs → {@code "4.21 ms"}; {@code 123456} → {@code "123 ms"}; {@code 0.5} ms → {@code "0.500 ms"}. */
    public static String millis(double micros) {
        if (Double.isNaN(micros) || micros < 0) {
            return "n/a";
        }
        return significant(micros / 1000.0) + " ms";
    }

    /** A number to three significant digits (integers from 1000 up, grouped by nothing: {@code 12345}). */
    public static String significant(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Requests per second, whole numbers from 100 up. */
    public static String number(double perSecond) {
        return significant(perSecond);
    }

    /** {@code numerator / denominator} as {@code "0.52×"}; {@code "n/a"} when either side is missing or zero. */
    public static String ratio(double numerator, double denominator) {
        if (!(denominator > 0) || !(numerator >= 0) || Double.isInfinite(numerator) || Double.isInfinite(denominator)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f×", numerator / denominator);
    }

    /** As {@link #ratio} in percent: {@code "52%"}. */
    public static String percent(double numerator, double denominator) {
        if (!(denominator > 0) || !(numerator >= 0) || Double.isInfinite(numerator) || Double.isInfinite(denominator)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * numerator / denominator);
    }

    /** The difference of two latencies in µs, signed: {@code "+1.20 ms"}, {@code "-0.300 ms"}. */
    public static String deltaMillis(double micros) {
        if (Double.isNaN(micros)) {
            return "n/a";
        }
        return (micros >= 0 ? "+" : "-") + millis(Math.abs(micros));
    }
}
