package org.gridlink.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One embedded PostgreSQL 17 server (zonky's binaries, from Maven Central) whose data directory survives
 * restarts. Stopped by {@link #close()}, or at the latest when this JVM exits.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    /** zonky holds a file lock on this file in the data directory while its server runs. */
    private static final String ZONKY_LOCK = "epg-lock";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts the server with its data in {@code dataDir} (created on first use, kept afterwards) on {@code port}
     * ({@code 0}: any free port). {@code fast} gives up durability for speed (no fsync, no synchronous commit,
     * no full-page writes): for tests only.
     */
    public static PostgresServer start(Path dataDir, int port, boolean fast) {
        return start(dataDir, port, fast, null);
    }

    /**
     * As {@link #start(Path, int, boolean)}, with the server's own log (its checkpoints, autovacuum runs over 250 ms,
     * lock waits over a second, errors; each line with its time to the millisecond) appended to {@code logFile}, when
     * one is given: an operator's first look when a commit was slow, and the benchmark's for a slow second.
     */
    public static PostgresServer start(Path dataDir, int port, boolean fast, Path logFile) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            removeHalfUnpackedBinaries();
            stopOrphanedPostmaster(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // stopped in order with the other parts, by the Reaper, not by a hook of its own
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "128MB")
                    // what each statement costs, for operators and the benchmark (CREATE EXTENSION pg_stat_statements
                    // in a database to read it there); a restart is needed to load it, so it is loaded from the start
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    // when each row's transaction committed (pg_xact_commit_timestamp(xmin)): an operator's answer to
                    // "when did this change become visible", and the benchmark's Kafka hop, commit to commit
                    .setServerConfig("track_commit_timestamp", "on");
            // zonky's own choice for 0 is a port from the ephemeral range, which a connection may take before the
            // server binds it
            builder.setPort(port > 0 ? port : LocalMachine.freePortsForServers(1)[0]);
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
                builder.setOutputRedirector(log).setErrorRedirector(log)
                        .setServerConfig("log_line_prefix", "'%m [%p] %q%d '")
                        .setServerConfig("log_checkpoints", "on")
                        .setServerConfig("log_autovacuum_min_duration", "250ms")
                        // a statement that took 50 ms or more, with its time: a slow second of the benchmark (or of
                        // the city) lined up with what PostgreSQL was doing; a lock wait is logged only after
                        // deadlock_timeout (1 s), so a shorter one shows here as a slow statement
                        .setServerConfig("log_min_duration_statement", "50ms")
                        .setServerConfig("log_lock_waits", "on");
            }
            if (fast) {
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            } else {
                // durable, said so: zonky starts postgres with -F (fsync off) and synchronous_commit=off unless told
                // otherwise, and a -c after -F wins; without these a commit gridlink acknowledged could be lost in a
                // database crash, and the benchmark's pgbench baseline would not be a durable write
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
            }
            PostgresServer server = new PostgresServer(builder.start(), dir);
            Reaper.register(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the database unless it exists; calling it again (or concurrently) changes nothing. */
    public void createDatabaseIfMissing(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain lower-case database name: " + name);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database " + name);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // duplicate_database: created meanwhile by someone else
            }
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + db;
    }

    public String r2dbcUrl(String db) {
        return "r2dbc:postgresql://127.0.0.1:" + port() + "/" + db;
    }

    /** Stops the server (a fast shutdown: sessions are cut, committed data is kept). */
    @Override
    public void close() {
        Reaper.deregister(this);
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL in " + dataDir, e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL 127.0.0.1:" + port() + " (" + dataDir + ")";
    }

    /**
     * A postmaster left running on this data directory by a launcher that died without stopping it (kill -9)
     * would make the start fail. If no live JVM holds the directory (zonky's lock is free), it is stopped with
     * a fast shutdown first; if one does, starting a second server on the same data is refused.
     */
    private static void stopOrphanedPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Path lockFile = dir.resolve(ZONKY_LOCK);
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw new IllegalStateException("another process runs PostgreSQL on " + dir);
                }
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("this JVM already runs PostgreSQL on " + dir, e);
            }
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                        .filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return; // a stale pid file; PostgreSQL itself copes with that
        }
        System.err.println("[gridlink] stopping a PostgreSQL server left running on " + dir
                + " (pid " + postmaster.get().pid() + ")");
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.get().pid())).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
            postmaster.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("a PostgreSQL server left running on " + dir + " (pid "
                    + postmaster.get().pid() + ") does not stop; stop it and try again", e);
        }
    }

    /**
     * zonky unpacks the PostgreSQL binaries once into {@code <tmp>/embedded-pg/PG-<hash>} and marks the
     * directory complete with an {@code .exists} file. A JVM killed while unpacking (Ctrl-C on a first run,
     * an out-of-memory error) leaves a directory without that mark, and every later start fails on the files
     * already there. Such a directory, if no process is unpacking into it right now (its lock is free), is
     * removed so that the binaries are unpacked again.
     */
    private static void removeHalfUnpackedBinaries() throws IOException {
        String override = System.getProperty("ot.epg.working-dir");
        Path root = override != null ? Path.of(override) : Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> candidates;
        try (var dirs = Files.list(root)) {
            candidates = dirs.filter(d -> d.getFileName().toString().startsWith("PG-"))
                    .filter(d -> !Files.exists(d.resolve(".exists")))
                    .toList();
        }
        for (Path half : candidates) {
            Path lockFile = half.resolve(ZONKY_LOCK);
            if (Files.exists(lockFile)) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                     FileLock lock = channel.tryLock()) {
                    if (lock == null) {
                        continue; // another JVM is unpacking right now
                    }
                } catch (OverlappingFileLockException e) {
                    continue;
                }
            }
            System.err.println("[gridlink] removing half-unpacked PostgreSQL binaries in " + half);
            LocalMachine.deleteTree(half);
        }
    }
}
