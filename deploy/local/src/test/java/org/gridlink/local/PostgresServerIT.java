package org.gridlink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server keeps its data across restarts and creates databases idempotently. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresServerIT {

    @TempDir
    Path dir;

    @Test
    void databasesAreCreatedOnceAndDataSurvivesARestart() throws Exception {
        Path data = dir.resolve("postgres");
        int firstPort;
        try (PostgresServer pg = PostgresServer.start(data, 0, true)) {
            firstPort = pg.port();
            pg.createDatabaseIfMissing("gridlink_it");
            pg.createDatabaseIfMissing("gridlink_it");
            assertThat(count(pg, "postgres", "select count(*) from pg_database where datname = 'gridlink_it'")).isEqualTo(1);
            assertThat(count(pg, "postgres", "show max_connections")).isEqualTo(300);
            try (Connection c = connect(pg, "gridlink_it"); Statement s = c.createStatement()) {
                s.execute("create table kept (id int primary key, note text not null)");
                s.execute("insert into kept values (1, 'written before the restart')");
            }
            assertThat(pg.jdbcUrl("gridlink_it")).isEqualTo("jdbc:postgresql://127.0.0.1:" + firstPort + "/gridlink_it");
            assertThat(pg.r2dbcUrl("gridlink_it")).isEqualTo("r2dbc:postgresql://127.0.0.1:" + firstPort + "/gridlink_it");
            assertThat(pg.username()).isEqualTo("postgres");
            assertThat(pg.password()).isEqualTo("postgres");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + firstPort + "/postgres", "postgres", "postgres").close())
                .isInstanceOf(SQLException.class);

        try (PostgresServer pg = PostgresServer.start(data, 0, false)) {
            pg.createDatabaseIfMissing("gridlink_it");
            try (Connection c = connect(pg, "gridlink_it"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select note from kept where id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("written before the restart");
            }
            // not fast: durable (the embedded server's own defaults are not)
            assertThat(setting(pg, "fsync")).isEqualTo("on");
            assertThat(setting(pg, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(pg, "full_page_writes")).isEqualTo("on");
            assertThat(setting(pg, "shared_preload_libraries")).isEqualTo("pg_stat_statements");
            assertThat(setting(pg, "track_commit_timestamp")).isEqualTo("on");
        }
    }

    @Test
    void theServersOwnLogGoesToTheFileGivenWithCheckpointsAndMillisecondTimes() throws Exception {
        Path log = dir.resolve("logs").resolve("postgres.log");
        try (PostgresServer pg = PostgresServer.start(dir.resolve("logged"), 0, false, log)) {
            assertThat(setting(pg, "log_checkpoints")).isEqualTo("on");
            assertThat(setting(pg, "log_autovacuum_min_duration")).isEqualTo("250ms");
            assertThat(setting(pg, "log_min_duration_statement")).isEqualTo("50ms");
            assertThat(setting(pg, "log_line_prefix")).isEqualTo("%m [%p] %q%d ");
            try (Connection c = connect(pg, "postgres"); Statement s = c.createStatement()) {
                s.execute("checkpoint");
                s.execute("select pg_sleep(0.06)");
                assertThatThrownBy(() -> s.execute("select * from no_such_table")).isInstanceOf(SQLException.class);
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\S+ \\[\\d+\\] .*checkpoint complete.*"));
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .contains("postgres ERROR:").contains("relation \"no_such_table\" does not exist"));
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .matches(".*postgres LOG:  duration: \\d+\\.\\d+ ms  (statement|execute \\S+): select pg_sleep\\(0\\.06\\)"));
        }
    }

    private static String setting(PostgresServer pg, String name) throws SQLException {
        try (Connection c = connect(pg, "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aServerLeftRunningByADeadLauncherIsStoppedAndItsDataKept() throws Exception {
        Path data = dir.resolve("orphaned");
        // a launcher JVM that starts PostgreSQL, writes a row and dies without stopping anything
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                DyingLauncher.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.add(line);
            }
        }
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("the dying launcher's output").contains("written");
        long orphan = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                .as("the postmaster outlived its launcher").isTrue();

        try (PostgresServer pg = PostgresServer.start(data, 0, true)) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(count(pg, "postgres", "select count(*) from orphan_rows")).isEqualTo(1);
        }
    }

    /** Started in a JVM of its own by the test above. */
    static final class DyingLauncher {
        public static void main(String[] args) throws Exception {
            PostgresServer pg = PostgresServer.start(Path.of(args[0]), 0, false);
            try (Connection c = connect(pg, "postgres"); Statement s = c.createStatement()) {
                s.execute("create table orphan_rows (id int)");
                s.execute("insert into orphan_rows values (1)");
            }
            System.out.println("written");
            System.out.flush();
            Runtime.getRuntime().halt(0); // no shutdown hooks: as kill -9 would
        }
    }

    private static Connection connect(PostgresServer pg, String db) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(db), pg.username(), pg.password());
    }

    private static long count(PostgresServer pg, String db, String sql) throws SQLException {
        try (Connection c = connect(pg, db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
