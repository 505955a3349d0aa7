package org.gridlink.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's side of {@link HotPaths}: the child JVM that measures them (on the gateway's executable jar, so
 * that Spring Cloud Gateway and Spring Security stay off the benchmark's own classpath), and its answer read back.
 * Nothing here names a class of the gateway's.
 */
final class HotPathCosts {

    static final int CALLS = 200_000;
    static final int ROUNDS = 7;

    /** Nanoseconds per call, the median round of each side. */
    record Pair(double before, double after) {

        double saved() {
            return before - after;
        }
    }

    record Result(Pair headerFilters, Pair levelCheck) {
    }

    /** What {@link HotPaths#main} prints, one line, for the benchmark to read. */
    static final String LINE = "hot-paths";

    /** {@link HotPaths#main}'s line read back; null when the output has none. */
    static Result parse(String output) {
        for (String line : output.split("\\R")) {
            if (line.startsWith(LINE + " ")) {
                String[] f = line.substring(LINE.length() + 1).trim().split(" ");
                return new Result(new Pair(Double.parseDouble(f[0]), Double.parseDouble(f[1])),
                        new Pair(Double.parseDouble(f[2]), Double.parseDouble(f[3])));
            }
        }
        return null;
    }

    /** The child JVM's command line: the gateway's jar, this benchmark's jar on the launcher's path. */
    static List<String> command(Path gatewayJar, Path benchJar, String token) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                "-Dloader.path=" + benchJar, "-Dloader.main=org.gridlink.bench.HotPaths",
                "-cp", gatewayJar.toString(), "org.springframework.boot.loader.launch.PropertiesLauncher", token);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static String describe(Pair pair) {
        return String.format(Locale.ROOT, "%.0f ns → %.0f ns", pair.before(), pair.after());
    }

    private HotPathCosts() {
    }
}
