package org.gridlink.community;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The overdue scan runs every minute over all of a node's records. On a node that holds mostly closed records (their
 * deadlines long past) and a backlog of open ones (their deadlines ahead), PostgreSQL must read the records past the
 * deadline of a clock that runs, by V11's indexes, and not the whole table: with V7's index alone it read all 1.3
 * million rows of issue 8's benchmark every minute (430-540 ms a query), and all 26 000 here.
 */
class OverdueScanPlansIT {

    static final String DB = "community_overdue_plans_it";
    static final String UNIT = "410105001001";
    static final int CLOSED = 20_000;
    static final int BACKLOG = 6_000;

    static TestTokens tokens;
    static ConfigurableApplicationContext node;
    static final List<UUID> acceptanceRanOut = new ArrayList<>();
    static final List<UUID> handlingRanOut = new ArrayList<>();
    static UUID toldAlready;
    static UUID parked;

    @BeforeAll
    static void aNodeWithManyClosedRecordsAndABacklog() throws SQLException {
        tokens = TestTokens.start();
        node = CommunityApplication.builder().run(Stream.concat(
                Stream.of(TestInfrastructure.nodeProperties(DB)),
                Stream.of("--server.port=0", "--spring.main.banner-mode=off", "--gridlink.overdue.scan-interval=1h",
                        tokens.nodeArgument())).toArray(String[]::new));
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            // a year of closed and rejected records, each due two days after it was reported
            insert(s, CLOSED, "case when i % 50 = 0 then 'REJECTED' else 'CLOSED' end",
                    "now() - i * interval '20 minutes'", "now() - i * interval '20 minutes' + interval '2 days'",
                    "null", "null");
            // the backlog: reports nobody accepted yet, and some accepted, their deadlines ahead
            insert(s, BACKLOG, "case when i % 10 = 0 then 'ACCEPTED' else 'REPORTED' end", "now()",
                    "now() + interval '3 days'", "now() + interval '4 hours'", "null");
            acceptanceRanOut.addAll(insert(s, 3, "'REPORTED'", "now() - interval '1 day'",
                    "now() + interval '2 days'", "now() - interval '20 hours'", "null"));
            acceptanceRanOut.addAll(insert(s, 1, "'DISPATCHED'", "now() - interval '1 day'",
                    "now() + interval '2 days'", "now() - interval '1 hour'", "null", "'officer.7'"));
            handlingRanOut.addAll(insert(s, 2, "'IN_PROGRESS'", "now() - interval '5 days'",
                    "now() - interval '1 day'", "null", "null"));
            handlingRanOut.addAll(insert(s, 1, "'DISPATCHED'", "now() - interval '5 days'",
                    "now() - interval '2 hours'", "null", "null"));
            toldAlready = insert(s, 1, "'ACCEPTED'", "now() - interval '5 days'", "now() - interval '1 day'",
                    "null", "now() - interval '1 day'").get(0);
            parked = insert(s, 1, "'REPORTED'", "now() - interval '5 days'", "now() + interval '1 day'",
                    "now() - interval '1 day'", "null").get(0);
            s.execute("update case_record set parked_until = now() + interval '1 day' where case_id = '" + parked + "'");
            s.execute("analyze case_record");
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @Test
    void newlyOverdueRecordsAreFoundByTheirDeadlinesNotByReadingTheTable() throws SQLException {
        assertThat(plan(CaseStore.NEWLY_OVERDUE))
                .contains("case_record_accept_clock", "case_record_handling_clock").doesNotContain("Seq Scan");

        List<UUID> found = node.getBean(CaseStore.class).lockNewlyOverdue(Instant.now(), 200)
                .map(CaseRecord::caseId).collectList().block();

        assertThat(found).as("each clock that ran out, not the one told already nor the parked one")
                .containsExactlyInAnyOrderElementsOf(Stream.concat(acceptanceRanOut.stream(), handlingRanOut.stream())
                        .toList());
    }

    @Test
    void overdueRecordsToEscalateAreFoundByTheirDeadlinesNotByReadingTheTable() throws SQLException {
        assertThat(plan(CaseStore.OVERDUE_TO_ESCALATE))
                .contains("case_record_accept_clock", "case_record_handling_clock").doesNotContain("Seq Scan");

        List<UUID> found = node.getBean(CaseStore.class).lockOverdue(Instant.now(), List.of("GARBAGE_PILE"), 200)
                .map(CaseRecord::caseId).collectList().block();

        assertThat(found).as("every record on a clock that ran out, told already or not; not the parked one")
                .containsExactlyInAnyOrderElementsOf(Stream.of(acceptanceRanOut, handlingRanOut, List.of(toldAlready))
                        .flatMap(List::stream).toList());
    }

    private static List<UUID> insert(Statement s, int count, String status, String reportedAt, String dueAt,
                                     String acceptDueAt, String handlingOverdueAt) throws SQLException {
        return insert(s, count, status, reportedAt, dueAt, acceptDueAt, handlingOverdueAt, "null");
    }

    /** Inserts records of the unit, category GARBAGE_PILE; {@code i} counts them from 1. Answers their case ids. */
    private static List<UUID> insert(Statement s, int count, String status, String reportedAt, String dueAt,
                                     String acceptDueAt, String handlingOverdueAt, String assignee) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("""
                insert into case_record (unit_code, case_id, status, origin, category_code, title, source, reported_at,
                                         due_at, created_at, updated_at, accept_due_at, handling_overdue_at, assignee)
                select '%s', gen_random_uuid(), %s, 'INTAKE', 'GARBAGE_PILE', 'record ' || i, 'GRID_PATROL', %s,
                       %s, %s, %s, %s, %s, %s
                from generate_series(1, %d) as g(i)
                returning case_id""".formatted(UNIT, status, reportedAt, dueAt, reportedAt, reportedAt, acceptDueAt,
                handlingOverdueAt, assignee, count))) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** The plan PostgreSQL chooses for the query, sequential scans allowed. */
    private static String plan(String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("explain " + query.replace(":now", "now()").replace(":limit", "200")
                     .replace(":categories", "'GARBAGE_PILE'"))) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
