package org.gridlink.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.gridlink.bench.driver.Formats;

/** {@code bench/results/<date>.md}: the machine, the commands, the table, the ratios against the targets, notes. */
public final class ResultsFile {

    /** A ratio or derived figure, with the target beside it. */
    public record Ratio(String name, String value, String target) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();
    private final List<String> machineLines = new ArrayList<>();

    public ResultsFile row(Row row) {
        rows.add(row);
        return this;
    }

    public ResultsFile ratio(String name, String value, String target) {
        ratios.add(new Ratio(name, value, target));
        return this;
    }

    public ResultsFile note(String note) {
        notes.add(note);
        return this;
    }

    /** A line of the Machine section beside what {@link #machine()} says, e.g. how fast the cores ran. */
    public ResultsFile machineLine(String line) {
        machineLines.add(line);
        return this;
    }

    public ResultsFile command(String command) {
        commands.add(command);
        return this;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The results table alone, in Markdown. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | load | throughput (/s) | p50 | p99 | p99.9 | measured | errors | note |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.load()).append(" | ")
                    .append(Formats.number(r.throughput())).append(" | ").append(Formats.millis(r.p50())).append(" | ")
                    .append(Formats.millis(r.p99())).append(" | ").append(Formats.millis(r.p999())).append(" | ")
                    .append(r.count()).append(" | ").append(r.errors()).append(" | ")
                    .append(r.note() == null ? "" : r.note()).append(" |\n");
        }
        return b.toString();
    }

    public String ratiosTable() {
        StringBuilder b = new StringBuilder("| ratio | measured | target (issue 8) |\n|---|---:|---|\n");
        for (Ratio r : ratios) {
            b.append("| ").append(r.name()).append(" | ").append(r.value()).append(" | ").append(r.target())
                    .append(" |\n");
        }
        return b.toString();
    }

    public void write(Path file, String title, String pngName) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        b.append("## Machine\n\n").append(machine());
        machineLines.forEach(l -> b.append("- ").append(l).append('\n'));
        b.append('\n');
        b.append("## Commands\n\n```\n");
        commands.forEach(c -> b.append(c).append('\n'));
        b.append("```\n\n");
        b.append("## Results\n\n").append(table()).append('\n');
        b.append("## Ratios\n\n").append(ratiosTable()).append('\n');
        b.append("## Latency distributions\n\n![latency percentiles](").append(pngName).append(")\n\n");
        b.append("## Notes\n\n");
        notes.forEach(n -> b.append("- ").append(n).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** Cores, memory, CPU model, OS and JDK of this machine. */
    public static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        String cpu = firstLine(Path.of("/proc/cpuinfo"), "model name").map(l -> l.substring(l.indexOf(':') + 1).trim())
                .orElse("unknown");
        String memory = firstLine(Path.of("/proc/meminfo"), "MemTotal")
                .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .orElse("unknown");
        return "- cores: " + cores + " (" + cpu + ")\n"
                + "- memory: " + memory + "\n"
                + "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (driver JVM: " + ManagementFactory.getRuntimeMXBean().getInputArguments() + ")\n";
    }

    private static Optional<String> firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
