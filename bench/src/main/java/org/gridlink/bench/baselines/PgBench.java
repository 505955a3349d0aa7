package org.gridlink.bench.baselines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.LoadDriver;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.report.Row;

/**
 * The database's own limit for a durable intake: per transaction one insert into a table shaped as {@code case_record}
 * (same columns and indexes) and one into a table shaped as {@code outbox} (same columns, index and NOTIFY trigger),
 * run by {@code pgbench} with as many clients as the intake had, against the same PostgreSQL server, in a database of
 * its own. Without a pgbench binary the same transactions run from a plain JDBC closed loop, and the row says so.
 */
public final class PgBench {

    public static final String DATABASE = "bench_pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");

    static final String SCHEMA = """
            create table bench_case (
                seq bigint generated always as identity, unit_code varchar(12) not null, case_id uuid not null,
                status varchar(24) not null, origin varchar(16) not null, category_code varchar(64) not null,
                title text not null, description text, lat double precision, lon double precision, address text,
                grid_code varchar(32), source varchar(32), reporter text, reported_at timestamptz not null,
                escalated_from varchar(12), escalated_to varchar(12), dispatched_by varchar(12), dispatched_to varchar(12),
                resolution text, due_at timestamptz, created_at timestamptz not null, updated_at timestamptz not null,
                primary key (unit_code, case_id));
            create unique index bench_case_seq on bench_case (seq);
            create index bench_case_queue on bench_case (unit_code, seq desc);
            create index bench_case_queue_status on bench_case (unit_code, status, seq desc);
            create table bench_outbox (
                id bigint generated always as identity primary key, event_id uuid not null unique,
                event_type text not null, topic text not null, msg_key text not null, headers jsonb not null,
                payload bytea not null, created_at timestamptz not null default now(), published_at timestamptz);
            create index bench_outbox_unpublished on bench_outbox (id) where published_at is null;
            create function bench_outbox_notify() returns trigger language plpgsql as $$
            begin
                perform pg_notify('bench_outbox', (select max(id)::text from inserted));
                return null;
            end $$;
            create trigger bench_outbox_inserted after insert on bench_outbox referencing new table as inserted
                for each statement execute function bench_outbox_notify();
            """;

    static final String INSERT_CASE = """
            insert into bench_case (unit_code, case_id, status, origin, category_code, title, description, lat, lon,
                address, grid_code, source, reporter, reported_at, due_at, created_at, updated_at)
            values ('41010500100' || (%s %% 10), gen_random_uuid(), 'REPORTED', 'INTAKE', 'GARBAGE_PILE', 'bench intake',
                'found on patrol', 34.77, 113.68, '经八路 12号', '410105001001-01', 'GRID_PATROL', 'grid-worker-7', now(),
                now() + interval '3 days', now(), now())""";

    static final String INSERT_OUTBOX = """
            insert into bench_outbox (event_id, event_type, topic, msg_key, headers, payload)
            values (gen_random_uuid(), 'gridlink.case.escalated.v1', 'gridlink.township.inbox', '410105001000',
                '{"ce_specversion":"1.0","ce_type":"gridlink.case.escalated.v1","ce_source":"/units/410105001001"}',
                convert_to(repeat('x', 1200), 'UTF8'))""";

    /** The custom pgbench script: one transaction of the two inserts, a random unit for each. */
    static String script() {
        return "\\set u random(1, 18)\nBEGIN;\n" + oneLine(INSERT_CASE.formatted(":u")) + ";\n"
                + oneLine(INSERT_OUTBOX) + ";\nEND;\n";
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path workDir;

    public PgBench(String host, int port, String user, String password, Path workDir) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.workDir = workDir;
    }

    /** A pgbench binary: on the PATH, else the newest in Debian's {@code /usr/lib/postgresql/<version>/bin}. */
    public static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable)
                        .max(Comparator.comparing(p -> p.getParent().getParent().getFileName().toString()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public void createSchema() {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_case, bench_outbox cascade");
                s.execute("drop function if exists bench_outbox_notify() cascade");
                s.execute(SCHEMA);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the pgbench tables: " + e.getMessage(), e);
        }
    }

    /** pgbench with {@code clients} clients: a warm-up run, then the measured run with per-transaction logs. */
    public Row runPgbench(Path pgbench, int clients, Duration warmup, Duration measure) {
        try {
            Files.createDirectories(workDir);
            Path script = workDir.resolve("intake-outbox.sql");
            Files.writeString(script, script(), StandardCharsets.UTF_8);
            Map<String, String> env = Map.of("PGPASSWORD", password, "PGCLIENTENCODING", "UTF8");
            List<String> base = List.of(pgbench.toString(), "-n", "-h", host, "-p", Integer.toString(port), "-U", user,
                    "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)), "-f",
                    script.toString());
            List<String> warm = new ArrayList<>(base);
            warm.addAll(List.of("-T", Long.toString(Math.max(1, warmup.toSeconds())), DATABASE));
            ToolProcess.run(warm, env, workDir, workDir.resolve("pgbench-warmup.txt"), warmup.toSeconds() + 120);
            Path logs = workDir.resolve("logs");
            Files.createDirectories(logs);
            List<String> measured = new ArrayList<>(base);
            measured.addAll(List.of("-T", Long.toString(measure.toSeconds()), "-l", "--log-prefix="
                    + logs.resolve("pgbench"), DATABASE));
            String out = ToolProcess.run(measured, env, workDir, workDir.resolve("pgbench.txt"), measure.toSeconds() + 120);
            Matcher tps = TPS.matcher(out);
            if (!tps.find()) {
                throw new IllegalStateException("no tps line in pgbench's output:\n" + out);
            }
            Histogram latencies = Measurement.newHistogram();
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    addTransactionLog(Files.readAllLines(log), latencies);
                }
            }
            Measurement m = new Measurement("pgbench insert + outbox", "closed loop, " + clients + " clients",
                    latencies, 0, measure.toSeconds());
            Row row = Row.of(m, pgbench + " " + version(pgbench) + "; tps as pgbench reports it");
            return new Row(row.scenario(), row.load(), Double.parseDouble(tps.group(1)), row.p50(), row.p99(),
                    row.p999(), row.count(), row.errors(), row.note());
        } catch (IOException e) {
            throw new IllegalStateException("pgbench: " + e.getMessage(), e);
        }
    }

    /** pgbench's per-transaction log: {@code client_id transaction_no time script_no time_epoch time_us}, time in µs. */
    static void addTransactionLog(List<String> lines, Histogram into) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && !f[2].equals("skipped") && !f[2].equals("failed")) {
                into.recordValue(Math.max(1, Long.parseLong(f[2])));
            }
        }
    }

    private static String version(Path pgbench) {
        try {
            Process p = new ProcessBuilder(pgbench.toString(), "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return "(" + v + ")";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The same transactions without pgbench: {@code clients} JDBC connections in a closed loop. */
    public Row runJdbc(LoadDriver driver, int clients, Duration warmup, Duration measure) {
        List<Connection> opened = new ArrayList<>();
        ThreadLocal<PreparedStatement[]> statements = ThreadLocal.withInitial(() -> {
            try {
                Connection c = connect();
                synchronized (opened) {
                    opened.add(c);
                }
                c.setAutoCommit(false);
                return new PreparedStatement[] {c.prepareStatement(INSERT_CASE.formatted("?")),
                        c.prepareStatement(INSERT_OUTBOX)};
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        java.util.concurrent.atomic.AtomicInteger unit = new java.util.concurrent.atomic.AtomicInteger();
        try {
            Measurement m = driver.closedLoop("JDBC insert + outbox", clients, warmup, measure, () -> {
                try {
                    PreparedStatement[] s = statements.get();
                    s[0].setInt(1, unit.incrementAndGet() % 18 + 1);
                    s[0].executeUpdate();
                    s[1].executeUpdate();
                    s[0].getConnection().commit();
                    return CompletableFuture.completedFuture(true);
                } catch (SQLException e) {
                    return CompletableFuture.completedFuture(false);
                }
            });
            return Row.of(m, "no pgbench binary: the same transactions from a JDBC closed loop");
        } finally {
            synchronized (opened) {
                for (Connection c : opened) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing after the run
                    }
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + DATABASE, user, password);
    }
}
