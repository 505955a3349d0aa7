package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement the benchmark explains at a million records runs, with its bindings, on a real PostgreSQL with the
 * nodes' own schema (the benchmark runs them only at the end of its reads), and the roll-up's count what the node's
 * own statements count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryPlansIT {

    private static final String UNIT = "410105001001";

    @TempDir
    Path dir;

    @Test
    void everyExplainedStatementRunsOnTheNodesSchema() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setPgBinaryResolver(CommitHopsIT::firstBinaries).start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database gridlink_community");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/gridlink_community";
            Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/kernel").load().migrate();
            Instant now = Instant.now();
            UUID caseId = UUID.randomUUID();
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                OffsetDateTime at = OffsetDateTime.ofInstant(now.minusSeconds(3600), ZoneOffset.UTC);
                try (PreparedStatement record = c.prepareStatement("insert into case_record (unit_code, case_id,"
                        + " status, origin, category_code, title, source, reported_at, created_at, updated_at)"
                        + " values (?, ?, 'REPORTED', 'REPORT', 'GARBAGE_PILE', 'a pile', 'HOTLINE_12345', ?, ?, ?)")) {
                    record.setString(1, UNIT);
                    record.setObject(2, caseId);
                    record.setObject(3, at);
                    record.setObject(4, at);
                    record.setObject(5, at);
                    record.executeUpdate();
                }
                try (PreparedStatement entry = c.prepareStatement("insert into timeline_entry (unit_code, case_id,"
                        + " entry_id, at, entry_unit, actor, action) values (?, ?, ?, ?, ?, 'bench', ?)")) {
                    for (String action : List.of("REPORT", "ACCEPT")) {
                        entry.setString(1, UNIT);
                        entry.setObject(2, caseId);
                        entry.setObject(3, UUID.randomUUID());
                        entry.setObject(4, action.equals("REPORT") ? at : at.plusMinutes(5));
                        entry.setString(5, UNIT);
                        entry.setString(6, action);
                        entry.executeUpdate();
                    }
                }

                List<QueryPlans.Query> queries = QueryPlans.queries(UNIT, 10, caseId, "GAS_SAFETY", now);
                List<QueryPlans.Plan> plans = QueryPlans.explain(c, queries);

                assertThat(plans).hasSize(queries.size());
                for (QueryPlans.Plan plan : plans) {
                    assertThat(plan.lines()).as(plan.query().name()).anyMatch(l -> l.startsWith("Execution Time"));
                    assertThat(plan.scans()).as(plan.query().name()).isNotEmpty();
                }
                // the roll-up's statements, run for real: the unit's report and its hotline response in time
                QueryPlans.Query reports = queries.stream().filter(q -> q.name().endsWith("reports by category and source"))
                        .findFirst().orElseThrow();
                try (PreparedStatement p = c.prepareStatement(QueryPlans.parameters(reports.sql()))) {
                    for (int i = 0; i < reports.params().size(); i++) {
                        p.setObject(i + 1, reports.params().get(i));
                    }
                    try (var rs = p.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString("category")).isEqualTo("GARBAGE_PILE");
                        assertThat(rs.getString("source")).isEqualTo("HOTLINE_12345");
                        assertThat(rs.getLong("n")).isEqualTo(1);
                        assertThat(rs.getLong("responded")).isEqualTo(1);
                        assertThat(rs.next()).isFalse();
                    }
                }
                Path file = dir.resolve("plans.md");
                QueryPlans.write(file, "plans", plans);
                assertThat(Files.readString(file)).contains("reports by category and source")
                        .contains("[" + UNIT + "]").doesNotContain("[Ljava");
            }
        }
    }
}
