package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.gridlink.bench.CommitHops.Escalated;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka hops commit to commit, read from a real PostgreSQL with the nodes' own schema: the hop is the time between
 * the two transactions' commits, not the rows' own timestamps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitHopsIT {

    private static final String COMMUNITY = "410105001001";
    private static final String TOWNSHIP = "410105001000";
    private static final String USER = "postgres";

    @TempDir
    Path dir;

    @Test
    void aHopIsTheTimeFromTheSendersCommitToTheReceiversFirstCommit() throws Exception {
        // as PostgresServer runs it (PostgresServerIT checks that it does), started here with EmbeddedPostgres itself:
        // on the reactor's classpath the binaries are there twice (gridlink-local's manifest names its lib/ copy),
        // which zonky's own resolver refuses
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setPgBinaryResolver(CommitHopsIT::firstBinaries)
                .setServerConfig("track_commit_timestamp", "on").start()) {
            for (String db : List.of("gridlink_community", "gridlink_township")) {
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("create database " + db);
                }
                Flyway.configure().dataSource(url(pg, db), USER, USER).locations("classpath:db/kernel").load()
                        .migrate();
            }
            UUID arrived = UUID.randomUUID();
            UUID notYet = UUID.randomUUID();
            // every row stamped long before its transaction commits: the hop must come from the commits
            OffsetDateTime stamped = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2);
            Instant before = Instant.now();
            try (Connection c = connect(pg, "gridlink_community")) {
                c.setAutoCommit(false);
                entry(c, COMMUNITY, arrived, "REPORT", stamped);
                c.commit();
                entry(c, COMMUNITY, arrived, "ESCALATE", stamped);
                entry(c, COMMUNITY, notYet, "ESCALATE", stamped);
                c.commit();
            }
            Thread.sleep(300); // the hop: the receiver commits at least this long after the sender
            try (Connection c = connect(pg, "gridlink_township")) {
                c.setAutoCommit(false);
                entry(c, TOWNSHIP, arrived, "ESCALATE", stamped); // the history the event brought
                entry(c, TOWNSHIP, arrived, "RECEIVE", stamped);
                try (PreparedStatement record = c.prepareStatement("insert into case_record (unit_code, case_id,"
                        + " status, origin, category_code, title, reported_at, created_at, updated_at)"
                        + " values (?, ?, 'REPORTED', 'ESCALATION', 'GARBAGE_PILE', 'a pile', ?, ?, ?)")) {
                    record.setString(1, TOWNSHIP);
                    record.setObject(2, arrived);
                    record.setObject(3, stamped);
                    record.setObject(4, stamped.plusMinutes(1)); // a minute after the sender's entries' stamp
                    record.setObject(5, stamped.plusMinutes(1));
                    record.executeUpdate();
                }
                c.commit();
                Thread.sleep(200); // a later commit, to be told from the hop's end
                entry(c, TOWNSHIP, arrived, "ACCEPT", stamped); // a later transaction: not the hop's end
                c.commit();
            }
            Instant after = Instant.now();

            CommitHops.Result result = CommitHops.measure(Map.of(
                    "gridlink_community", url(pg, "gridlink_community"),
                    "gridlink_township", url(pg, "gridlink_township")), USER, USER, List.of(
                    new Escalated(arrived, List.of(COMMUNITY, TOWNSHIP)),
                    new Escalated(notYet, List.of(COMMUNITY, TOWNSHIP))));

            assertThat(result.hops()[0].getTotalCount()).isEqualTo(1);
            long hopMicros = result.hops()[0].getMaxValue();
            assertThat(hopMicros).isGreaterThanOrEqualTo(290_000L)
                    .isLessThan(java.time.Duration.between(before, after).toNanos() / 1_000 - 150_000L);
            assertThat(result.missing()).isEqualTo(1); // notYet never reached the township
            // the sender's transaction from its ESCALATE's time to its commit: the entries were stamped long before
            assertThat(result.sending().getTotalCount()).isEqualTo(2);
            assertThat(result.sending().getMinValue()).isGreaterThan(110_000_000L);
            // the receiver's record, created a minute after the sender's entries were stamped: its own time to commit,
            // a minute less the hop (at least the 300 ms slept) than the sender's (µs; HdrHistogram's 0.1% either way)
            assertThat(result.applying().getTotalCount()).isEqualTo(1);
            assertThat(result.sending().getMaxValue() - result.applying().getMaxValue())
                    .isBetween(58_500_000L, 59_850_000L);
        }
    }

    private static void entry(Connection c, String unit, UUID caseId, String action, OffsetDateTime at)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into timeline_entry (unit_code, case_id, entry_id,"
                + " at, entry_unit, actor, action) values (?, ?, ?, ?, ?, 'bench', ?)")) {
            insert.setString(1, unit);
            insert.setObject(2, caseId);
            insert.setObject(3, UUID.randomUUID());
            insert.setObject(4, at);
            insert.setString(5, action.equals("ESCALATE") && !unit.equals(COMMUNITY) ? COMMUNITY : unit);
            insert.setString(6, action);
            insert.executeUpdate();
        }
    }

    private static Connection connect(EmbeddedPostgres pg, String db) throws SQLException {
        return DriverManager.getConnection(url(pg, db), USER, USER);
    }

    private static String url(EmbeddedPostgres pg, String db) {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db;
    }

    /** The first copy on the classpath of this machine's binaries (Linux x86-64, where the build runs). */
    static InputStream firstBinaries(String system, String machine) throws IOException {
        URL first = CommitHopsIT.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        return first != null ? first.openStream() : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
    }
}
