package org.gridlink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Progress;

/**
 * When a load phase stalls (a whole second in which requests failed and none succeeded), what every part of the
 * platform was doing then: each app's threads ({@code jcmd <pid> Thread.print}), the driver's own, and PostgreSQL's
 * sessions ({@code pg_stat_activity}), written under {@code <logs>/stall-<n>-<phase>/}; once per phase, in the
 * background (the phase goes on). A stall that happens once in a dozen runs leaves its evidence behind.
 */
final class StallDumps implements Progress {

    private static final String ACTIVITY = "select datname, pid, application_name, state, wait_event_type, wait_event,"
            + " backend_type, now() - xact_start as in_transaction, now() - query_start as in_query,"
            + " left(regexp_replace(query, '\\s+', ' ', 'g'), 200) as query from pg_stat_activity order by datname, pid";

    private final Path logs;
    private final Supplier<Map<String, ProcessHandle>> processes;
    private final DatabaseProbe database;
    private final Set<String> dumped = ConcurrentHashMap.newKeySet();
    private final List<String> told = new ArrayList<>();

    /** A connection to any of the platform's databases (pg_stat_activity shows them all). */
    @FunctionalInterface
    interface DatabaseProbe {
        Connection connect() throws SQLException;
    }

    StallDumps(Path logs, Supplier<Map<String, ProcessHandle>> processes, DatabaseProbe database) {
        this.logs = logs;
        this.processes = processes;
        this.database = database;
    }

    @Override
    public void update(String phase, double elapsedSeconds, double totalSeconds, Histogram interval,
                       long intervalErrors, double intervalSeconds) {
        if (intervalErrors == 0 || interval.getTotalCount() > 0 || !dumped.add(phase)) {
            return;
        }
        Path dir = logs.resolve("stall-" + dumped.size() + "-" + phase.replaceAll("[^A-Za-z0-9]+", "-"));
        String line = String.format("%s: '%s' stalled %.0f s in (%d failed, none answered, in its last second);"
                + " threads and sessions in %s", Instant.now(), phase, elapsedSeconds, intervalErrors, dir);
        synchronized (told) {
            told.add(line);
        }
        BenchPlatform.say(line);
        Thread t = new Thread(() -> dump(dir), "stall-dump");
        t.setDaemon(true);
        t.start();
    }

    /** What was told of each stall, in order (for the results file). */
    List<String> stalls() {
        synchronized (told) {
            return List.copyOf(told);
        }
    }

    private void dump(Path dir) {
        try {
            Files.createDirectories(dir);
            StringBuilder own = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                own.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement e : stack) {
                    own.append("\tat ").append(e).append('\n');
                }
                own.append('\n');
            });
            Files.writeString(dir.resolve("driver-threads.txt"), own, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("pg_stat_activity.txt"), activity(), StandardCharsets.UTF_8);
            for (Map.Entry<String, ProcessHandle> app : processes.get().entrySet()) {
                Path out = dir.resolve(app.getKey() + "-threads.txt");
                Process p = new ProcessBuilder(jcmd(app.getValue()), Long.toString(app.getValue().pid()),
                        "Thread.print").redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (IOException | RuntimeException e) {
            BenchPlatform.say("the stall's dumps could not all be taken: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String activity() {
        try (Connection db = database.connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery(ACTIVITY)) {
            ResultSetMetaData meta = rs.getMetaData();
            StringBuilder out = new StringBuilder();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                out.append(c == 1 ? "" : " | ").append(meta.getColumnName(c));
            }
            out.append('\n');
            while (rs.next()) {
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    out.append(c == 1 ? "" : " | ").append(rs.getString(c));
                }
                out.append('\n');
            }
            return out.toString();
        } catch (SQLException e) {
            return "pg_stat_activity could not be read: " + e.getMessage() + "\n";
        }
    }

    /** The jcmd beside the app's own java (the apps may run another JDK than the driver). */
    static String jcmd(ProcessHandle app) {
        return app.info().command().map(Path::of).map(java -> java.resolveSibling("jcmd"))
                .filter(Files::isExecutable).map(Path::toString).orElse("jcmd");
    }
}
