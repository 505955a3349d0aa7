package org.gridlink.community;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Task;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.cases.persistence.QueueFilter;
import org.gridlink.kernel.cases.persistence.QueuePage;
import org.gridlink.kernel.cases.web.CaseController;
import org.gridlink.kernel.stats.RollupCalculator;
import org.gridlink.kernel.stats.TimelineSeen;
import org.gridlink.kernel.support.web.Tables;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.gridlink.kernel.units.UnitDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The queries that run on a timer over all of a node's records, on a node that holds mostly closed records (their
 * deadlines long past) and a backlog of open ones (their deadlines ahead):
 * <ul>
 * <li>the overdue scan (every minute) must read the records past the deadline of a clock that runs, by V11's indexes,
 * and not the whole table: with V7's index alone it read all 1.3 million rows of issue 8's benchmark every minute
 * (430-540 ms a query), and all 26 000 here;</li>
 * <li>the roll-up's figures now (every few seconds) must count the final records a unit holds by V12's index, and
 * not look up each one's closing entry: that took 6.3 s a round at the benchmark's million records; and the open
 * ones by the queue's status index alone (V13), not reading each in the table;</li>
 * <li>a unit's actions per day (each round, from the first day that can have changed) must be counted from V8's
 * timeline index alone (V13), not reading each entry in the table.</li>
 * </ul>
 */
class LargeNodePlansIT {

    static final String DB = "community_large_node_plans_it";
    static final String TOWNSHIP = "410105001000";
    static final String UNIT = "410105001001";
    static final int CLOSED = 20_000;
    static final int BACKLOG = 6_000;
    /** Another community of the node's, and its reports of one stormy day, the newest of the node. */
    static final String BUSY = "410105001002";
    static final int BURST = 20_000;

    static TestTokens tokens;
    static ConfigurableApplicationContext node;
    static final List<UUID> acceptanceRanOut = new ArrayList<>();
    static final List<UUID> handlingRanOut = new ArrayList<>();
    static final List<UUID> verificationRanOut = new ArrayList<>();
    static UUID toldAlready;

    @BeforeAll
    static void aNodeWithManyClosedRecordsAndABacklog() throws SQLException {
        tokens = TestTokens.start();
        node = CommunityApplication.builder().run(Stream.concat(
                Stream.of(TestInfrastructure.nodeProperties(DB)),
                Stream.of("--server.port=0", "--spring.main.banner-mode=off", "--gridlink.overdue.scan-interval=1h",
                        tokens.nodeArgument())).toArray(String[]::new));
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            // a year of closed and rejected records, each due two days after it was reported; one in 40 found in a grid
            // cell of the community's (most reports come by phone or from the city's hotline), one in 80 handled by
            // one of two department officers
            insert(s, CLOSED, Map.of("status", "case when i % 50 = 0 then 'REJECTED' else 'CLOSED' end",
                    "reported_at", "now() - i * interval '20 minutes'",
                    "due_at", "now() - i * interval '20 minutes' + interval '2 days'",
                    "grid_code", "case when i % 40 = 0 then '" + UNIT + "-0' || (i % 3 + 1) end",
                    "assignee", "case when i % 80 = 0 then 'officer.' || (i / 80 % 2) end",
                    "reporter", "case when i % 500 = 0 then 'citizen.7' else 'gridworker.' || (i % 12) end",
                    "category_code", "case when i % 400 = 0 then 'GAS_SAFETY' else 'GARBAGE_PILE' end"));
            // closed here, and reopened on the reporter's verdict: the unit works on them again
            insert(s, 5, Map.of("status", "'REOPENED'", "due_at", "now() + interval '3 days'"));
            // each final one's closing entry: most by the unit itself (its CLOSE, REJECT, or MERGE into another
            // case), one in seven by the township above (a case the unit escalated, closed there: not the unit's)
            s.execute("insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action)"
                    + " select unit_code, case_id, gen_random_uuid(), reported_at + interval '1 day',"
                    + " case when seq % 7 = 0 then '" + TOWNSHIP + "' else unit_code end, 'handler',"
                    + " case when status = 'REJECTED' then 'REJECT' when seq % 11 = 0 then 'MERGE' else 'CLOSE' end"
                    + " from case_record where status in ('CLOSED', 'REJECTED', 'REOPENED')");
            // the backlog: reports nobody accepted yet, and some accepted, their deadlines ahead
            insert(s, BACKLOG, Map.of("status", "case when i % 10 = 0 then 'ACCEPTED' else 'REPORTED' end",
                    "due_at", "now() + interval '3 days'", "accept_due_at", "now() + interval '4 hours'"));
            // the acceptance clock ran out: reports, and a dispatch to an officer who has not signed for it
            acceptanceRanOut.addAll(insert(s, 3, Map.of("status", "'REPORTED'",
                    "due_at", "now() + interval '2 days'", "accept_due_at", "now() - interval '20 hours'")));
            acceptanceRanOut.addAll(insert(s, 1, Map.of("status", "'DISPATCHED'", "assignee", "'officer.7'",
                    "due_at", "now() + interval '2 days'", "accept_due_at", "now() - interval '1 hour'")));
            // the handling clock ran out: work in progress, and a dispatch to a child unit
            handlingRanOut.addAll(insert(s, 2, Map.of("status", "'IN_PROGRESS'",
                    "due_at", "now() - interval '1 day'")));
            handlingRanOut.addAll(insert(s, 1, Map.of("status", "'DISPATCHED'",
                    "due_at", "now() - interval '2 hours'")));
            // the verification clock ran out: the work of a child unit, and of the unit itself, not verified in time
            verificationRanOut.addAll(insert(s, 1, Map.of("status", "'RESOLVED'", "dispatched_to", "'410105001002'",
                    "due_at", "now() - interval '3 days'", "verify_from", "now() - interval '2 days'",
                    "verify_due_at", "now() - interval '1 day'")));
            verificationRanOut.addAll(insert(s, 1, Map.of("status", "'RESOLVED'",
                    "due_at", "now() + interval '1 day'", "verify_from", "now() - interval '2 days'",
                    "verify_due_at", "now() - interval '3 hours'")));
            // resolved, its verification ahead; and resolved for the township that dispatched it here, which verifies
            insert(s, 2, Map.of("status", "'RESOLVED'", "due_at", "now() - interval '1 day'",
                    "verify_from", "now() - interval '1 hour'", "verify_due_at", "now() + interval '1 day'"));
            insert(s, 1, Map.of("status", "'RESOLVED'", "origin", "'DISPATCH'", "dispatched_by", "'" + TOWNSHIP + "'",
                    "due_at", "now() - interval '1 day'"));
            // ran out, and the units above were told already
            toldAlready = insert(s, 1, Map.of("status", "'ACCEPTED'", "due_at", "now() - interval '1 day'",
                    "handling_overdue_at", "now() - interval '1 day'")).get(0);
            // ran out, but parked until tomorrow: not overdue until then
            insert(s, 1, Map.of("status", "'REPORTED'", "due_at", "now() + interval '1 day'",
                    "accept_due_at", "now() - interval '1 day'", "parked_until", "now() + interval '1 day'"));
            // the to-do's rarer tasks: verified and closed here, or verified for the township that dispatched it here;
            // requests waiting on the unit's decision (its officer's) and on the township's (a dispatched case's)
            insert(s, 2, Map.of("status", "'VERIFIED'", "due_at", "now() + interval '1 day'"));
            insert(s, 1, Map.of("status", "'VERIFIED'", "origin", "'DISPATCH'", "dispatched_by", "'" + TOWNSHIP + "'",
                    "due_at", "now() + interval '1 day'"));
            insert(s, 3, Map.of("status", "'IN_PROGRESS'", "due_at", "now() + interval '2 days'", "assignee",
                    "'officer.3'", "pending_kind", "'EXTENSION'", "pending_from", "'" + UNIT + "'",
                    "pending_decider", "'" + UNIT + "'", "pending_by", "'officer.3'", "pending_until",
                    "now() + interval '5 days'", "pending_at", "now() - interval '1 hour'"));
            insert(s, 2, Map.of("status", "'ACCEPTED'", "origin", "'DISPATCH'", "dispatched_by", "'" + TOWNSHIP + "'",
                    "due_at", "now() + interval '2 days'", "pending_kind", "'RETURN'", "pending_from", "'" + UNIT + "'",
                    "pending_decider", "'" + TOWNSHIP + "'", "pending_by", "'handler'", "pending_at",
                    "now() - interval '1 hour'"));
            // supervised (督办): two still waiting here, one escalated since
            insert(s, 2, Map.of("status", "'IN_PROGRESS'", "due_at", "now() + interval '1 day'", "supervisions", "1"));
            insert(s, 1, Map.of("status", "'ESCALATED'", "escalated_to", "'" + TOWNSHIP + "'",
                    "due_at", "now() + interval '1 day'", "supervisions", "2"));
            // the newest records of the node are another community's: a storm there, thousands of reports in a day
            // while this one's stay where they were (PostgreSQL's statistics see only each unit's share of the table)
            insert(s, BURST, Map.of("unit_code", "'" + BUSY + "'", "status", "'REPORTED'",
                    "reported_at", "now() - i * interval '1 second'", "due_at", "now() + interval '3 days'",
                    "accept_due_at", "now() + interval '4 hours'"));
            s.execute("vacuum analyze case_record");
            s.execute("vacuum analyze timeline_entry");
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
                .contains("case_record_accept_clock", "case_record_handling_clock", "case_record_verify_clock")
                .doesNotContain("Seq Scan");

        List<UUID> found = node.getBean(CaseStore.class).lockNewlyOverdue(Instant.now(), 200)
                .map(CaseRecord::caseId).collectList().block();

        assertThat(found).as("each clock that ran out, not the one told already nor the parked one")
                .containsExactlyInAnyOrderElementsOf(Stream.of(acceptanceRanOut, handlingRanOut, verificationRanOut)
                        .flatMap(List::stream).toList());
    }

    @Test
    void overdueRecordsToEscalateAreFoundByTheirDeadlinesNotByReadingTheTable() throws SQLException {
        assertThat(plan(CaseStore.OVERDUE_TO_ESCALATE))
                .contains("case_record_accept_clock", "case_record_handling_clock").doesNotContain("Seq Scan");

        List<UUID> found = node.getBean(CaseStore.class).lockOverdue(Instant.now(), List.of("GARBAGE_PILE"), 200)
                .map(CaseRecord::caseId).collectList().block();

        assertThat(found).as("every record on a clock that ran out, told already or not; not the parked one, nor one"
                        + " that waits on its verification (resolved: nothing to escalate)")
                .containsExactlyInAnyOrderElementsOf(Stream.of(acceptanceRanOut, handlingRanOut, List.of(toldAlready))
                        .flatMap(List::stream).toList());
    }

    @Test
    void aQueueNarrowedToAGridCellOrAnOfficerReadsItsOwnIndexInTheQueuesOrder() throws SQLException {
        // a page of one cell's records (one in 120 of the unit's), of one officer's (one in 160): read from V16's
        // indexes in seq order, not by walking the unit's whole queue and dropping the others
        String grid = plan(queue(new QueueFilter(null, null, null, UNIT + "-02", null)));
        assertThat(grid).contains("Index Scan using case_record_queue_grid").doesNotContain("Sort", "Seq Scan");
        String officer = plan(queue(new QueueFilter(null, null, null, null, "officer.1")));
        assertThat(officer).contains("Index Scan using case_record_queue_assignee").doesNotContain("Sort", "Seq Scan");

        QueuePage page = node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                new QueueFilter(CaseStatus.CLOSED, null, null, UNIT + "-02", null), 50, null).block();
        assertThat(page.records()).hasSize(50).allSatisfy(r -> {
            assertThat(r.details().gridCode()).isEqualTo(UNIT + "-02");
            assertThat(r.status()).isEqualTo(CaseStatus.CLOSED);
        });
        QueuePage next = node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                new QueueFilter(CaseStatus.CLOSED, null, null, UNIT + "-02", null), 50, page.nextSeq()).block();
        assertThat(next.records()).extracting(CaseRecord::caseId)
                .doesNotContainAnyElementsOf(page.records().stream().map(CaseRecord::caseId).toList());
        assertThat(node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                new QueueFilter(null, null, null, null, "officer.1"), 500, null).block().records())
                .hasSize(CLOSED / 160).allSatisfy(r -> assertThat(r.assignee()).isEqualTo("officer.1"));
    }

    @Test
    void aQuietUnitsPageIsReadFromItsOwnRecordsNotByWalkingTheNewerRecordsOfABusyOne() throws SQLException {
        // its first page: the unit's index's first rows. V1's btree on seq offered PostgreSQL the node's records newest
        // first, and it walked them, filtering, whenever the unit's share of the table said a page was near: here
        // through the other community's 20 000 first
        assertThat(plan(queue(QueueFilter.NONE))).contains("Index Scan using case_record_queue on case_record")
                .doesNotContain("Filter", "Sort", "Seq Scan");
        String first = analyzed(queue(QueueFilter.NONE));
        assertThat(removedByFilter(first)).as(first).isZero();

        // a search for a word in none of its records reads its records, once each, and none of the other's
        int held;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from case_record where unit_code = '" + UNIT + "'")) {
            rs.next();
            held = rs.getInt(1);
        }
        String nowhere = analyzed(queue(QueueFilter.NONE.withWords(List.of("nowhere")))
                .replace(":word0", "'nowhere'"));
        assertThat(removedByFilter(nowhere)).as(nowhere).isEqualTo(held);
    }

    @Test
    void aSearchReadsTheQueueInItsOrderUntilAPageIsFound() throws SQLException {
        // not indexed (CaseStore.SEARCHED): a word found in many records costs a page of the queue's index read in
        // order, filtered, not every record of the unit read and sorted
        QueueFilter search = QueueFilter.NONE.withWords(List.of("Record"));
        assertThat(plan(queue(search).replace(":word0", "'Record'")))
                .as("the queue's order: the unit's index")
                .contains("Index Scan using case_record_queue on case_record")
                .doesNotContain("Sort", "Seq Scan");

        // each word in the title, regardless of case; a page after a page
        CaseStore store = node.getBean(CaseStore.class);
        QueueFilter words = QueueFilter.NONE.withWords(List.of("RECORD", "1999"));
        QueuePage page = store.queue(UnitCode.of(UNIT), words, 2, null).block();
        QueuePage next = store.queue(UnitCode.of(UNIT), words, 50, page.nextSeq()).block();
        List<String> titles = Stream.concat(page.records().stream(), next.records().stream())
                .map(r -> r.details().title()).toList();
        assertThat(titles).as("the closed records' (1 to 20 000) and the backlog's (1 to 6 000) titles that hold 1999")
                .containsExactlyInAnyOrder("record 1999", "record 11999", "record 19990", "record 19991",
                        "record 19992", "record 19993", "record 19994", "record 19995", "record 19996", "record 19997",
                        "record 19998", "record 19999", "record 1999");
        assertThat(store.queue(UnitCode.of(UNIT), QueueFilter.NONE.withWords(List.of("record", "1999", "gas")), 50,
                null).block().records()).isEmpty();
    }

    @Test
    void theRecordsALeadersInstructionWaitsOnAreReadFromTheInstructionsNotTheUnitsQueue() throws SQLException {
        // three instructions waiting on open records of the backlog, one on a closed record (it waits on nobody)
        List<UUID> open = new ArrayList<>();
        UUID closed;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select case_id from case_record where unit_code = '" + UNIT + "'"
                    + " and status = 'REPORTED' order by seq limit 3")) {
                while (rs.next()) {
                    open.add(rs.getObject(1, UUID.class));
                }
            }
            try (ResultSet rs = s.executeQuery("select case_id from case_record where unit_code = '" + UNIT + "'"
                    + " and status = 'CLOSED' order by seq limit 1")) {
                rs.next();
                closed = rs.getObject(1, UUID.class);
            }
            for (UUID id : Stream.concat(open.stream(), Stream.of(closed)).toList()) {
                s.execute("insert into case_instruction (unit_code, case_id, entry_id, at, leader, note) values ('"
                        + UNIT + "', '" + id + "', gen_random_uuid(), now(), 'leader." + TOWNSHIP + "', '今日办结')");
            }
            s.execute("analyze case_instruction");
        }
        try {
            String page = plan(queue(QueueFilter.NONE.withInstructed(true)));
            assertThat(page).as("the queue's page").contains("case_instruction").doesNotContain("Seq Scan on case_record");
            String todo = plan(CaseStore.todoQuery(QueueFilter.NONE).replace(":unit", "'" + UNIT + "'")
                    .replace(":cap", "1000"));
            assertThat(todo).as("the to-do").contains("case_instruction").doesNotContain("Seq Scan on case_record");

            CaseStore store = node.getBean(CaseStore.class);
            assertThat(store.queue(UnitCode.of(UNIT), QueueFilter.NONE.withInstructed(true), 50, null).block().records())
                    .extracting(CaseRecord::caseId).containsExactlyInAnyOrderElementsOf(open);
            assertThat(store.todo(UnitCode.of(UNIT), QueueFilter.NONE, Instant.now(), 1000).block().instructed())
                    .isEqualTo(3);
        } finally {
            try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
                s.execute("delete from case_instruction");
            }
        }
    }

    @Test
    void aQueueNarrowedToTheDaysOfAMonthLongPastReadsThatMonthNewestReportFirst() throws SQLException {
        // a month of the year's closed records, 200 to 170 days ago (one in nine of the unit's); the node's seq order
        // is not the reports' (here the oldest came last): in the queue's own order the month's records are found only
        // by walking all the records around them
        Instant from = Instant.now().minus(java.time.Duration.ofDays(200));
        Instant before = Instant.now().minus(java.time.Duration.ofDays(170));
        QueueFilter month = QueueFilter.NONE.withReported(from, before);
        String first = plan(queue(month).replace(":reportedFrom", "'" + from + "'")
                .replace(":reportedBefore", "'" + before + "'"));
        assertThat(first).contains("Index Scan Backward using case_record_queue_reported")
                .doesNotContain("Sort", "Seq Scan");
        String next = plan(CaseStore.queueQuery(month, true).replace(":unit", "'" + UNIT + "'")
                .replace(":reportedFrom", "'" + from + "'").replace(":reportedBefore", "'" + before + "'")
                .replace(":after", "1000").replace(":limit", "21"));
        assertThat(next).contains("Index Scan Backward using case_record_queue_reported",
                        "Index Scan using case_record_queue on case_record c")
                .doesNotContain("Sort", "Seq Scan");

        // every page, newest report first, each record once, all the month's records and none other
        int expected;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from case_record where unit_code = '" + UNIT
                     + "' and reported_at >= '" + from + "' and reported_at < '" + before + "'")) {
            rs.next();
            expected = rs.getInt(1);
        }
        assertThat(expected).isBetween(2_000, 2_300);
        List<CaseRecord> read = new ArrayList<>();
        Long cursor = null;
        do {
            QueuePage page = node.getBean(CaseStore.class).queue(UnitCode.of(UNIT), month, 500, cursor).block();
            read.addAll(page.records());
            cursor = page.nextSeq();
        } while (cursor != null);
        assertThat(read).hasSize(expected).extracting(CaseRecord::caseId).doesNotHaveDuplicates();
        assertThat(read).allSatisfy(r -> assertThat(r.details().reportedAt()).isBetween(from, before));
        assertThat(read).extracting(r -> r.details().reportedAt())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void aPersonsOwnReportsAreFoundByTheirIndexNotByWalkingTheQueue() throws SQLException {
        // one in 500 of the year's records reported by one citizen (the others by the unit's staff)
        String plan = plan(queue(QueueFilter.NONE.withReporter("citizen.7"))
                .replace(":reporter", "'citizen.7'"));
        assertThat(plan).contains("case_record_reporter").doesNotContain("Seq Scan", "case_record_queue ");
        assertThat(node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                QueueFilter.NONE.withReporter("citizen.7"), 200, null).block().records())
                .hasSize(CLOSED / 500).allSatisfy(r -> assertThat(r.details().reporter()).isEqualTo("citizen.7"))
                .extracting(CaseRecord::caseId).doesNotHaveDuplicates();
    }

    @Test
    void aQueueNarrowedToARareCategoryReadsItsOwnIndexInTheQueuesOrder() throws SQLException {
        // one in 400 of the year's records is a gas-safety case: its page is read from V19's index, without a sort
        String plan = plan(queue(new QueueFilter(null, "GAS_SAFETY", null, null, null))
                .replace(":category", "'GAS_SAFETY'"));
        assertThat(plan).contains("case_record_queue_category").doesNotContain("Sort", "Seq Scan");
        QueuePage page = node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                new QueueFilter(null, "GAS_SAFETY", null, null, null), 30, null).block();
        QueuePage next = node.getBean(CaseStore.class).queue(UnitCode.of(UNIT),
                new QueueFilter(null, "GAS_SAFETY", null, null, null), 30, page.nextSeq()).block();
        assertThat(Stream.concat(page.records().stream(), next.records().stream()).toList())
                .hasSize(CLOSED / 400).allSatisfy(r -> assertThat(r.details().categoryCode()).isEqualTo("GAS_SAFETY"))
                .extracting(CaseRecord::caseId).doesNotHaveDuplicates();
        assertThat(next.nextSeq()).isNull();
    }

    @Test
    void aUnitsToDoIsCountedAndListedFromTheQueuesIndexesAsTheStateMachineSaysOfEachRecord() throws SQLException {
        Instant now = Instant.now();
        // every task's page from an index that holds its records (the queue's by status, V7's of the statuses a clock
        // may run in, V15's of the records to verify: whichever PostgreSQL prices cheaper), never the whole table; a
        // decision, rare, from V20's, not by walking the unit's whole queue
        for (Task task : Task.values()) {
            String plan = plan(queue(QueueFilter.NONE.withTask(task, now)));
            assertThat(plan).as(task.name()).doesNotContain("Seq Scan")
                    .containsPattern(task == Task.DECIDE ? "case_record_queue_pending" : "case_record_");
        }
        assertThat(plan(queue(QueueFilter.NONE.withSupervisedAt(now)))).doesNotContain("Seq Scan")
                .contains("case_record_queue_supervised");
        assertThat(plan(CaseStore.todoQuery(QueueFilter.NONE).replace(":unit", "'" + UNIT + "'")
                .replace(":cap", "1000"))).as("the instructions waiting (V28) may be read whole while they are few")
                .doesNotContain("Seq Scan on case_record")
                .contains("case_record_queue_pending", "case_record_queue_supervised");

        // what the SQL counts and lists is what Task.of says of each of the unit's records
        CaseStore store = node.getBean(CaseStore.class);
        List<CaseRecord> all = new ArrayList<>();
        Long cursor = null;
        do {
            QueuePage page = store.queue(UnitCode.of(UNIT), QueueFilter.NONE, 200, cursor).block();
            all.addAll(page.records());
            cursor = page.nextSeq();
        } while (cursor != null);
        CaseStore.Todo todo = store.todo(UnitCode.of(UNIT), QueueFilter.NONE, now, 100_000).block();
        for (Task task : Task.values()) {
            List<UUID> expected = all.stream().filter(r -> Task.of(r, now).contains(task)).map(CaseRecord::caseId)
                    .toList();
            assertThat(todo.counts().get(task)).as(task.name()).isEqualTo(expected.size());
            List<UUID> listed = new ArrayList<>();
            Long after = null;
            do {
                QueuePage page = store.queue(UnitCode.of(UNIT), QueueFilter.NONE.withTask(task, now), 200, after)
                        .block();
                page.records().forEach(r -> listed.add(r.caseId()));
                after = page.nextSeq();
            } while (after != null);
            assertThat(listed).as(task.name()).containsExactlyInAnyOrderElementsOf(expected);
        }
        List<UUID> supervised = all.stream().filter(r -> Task.supervised(r, now)).map(CaseRecord::caseId).toList();
        assertThat(supervised).hasSize(2);
        assertThat(todo.supervised()).isEqualTo(supervised.size());
        assertThat(store.queue(UnitCode.of(UNIT), QueueFilter.NONE.withSupervisedAt(now), 200, null).block().records())
                .extracting(CaseRecord::caseId).containsExactlyInAnyOrderElementsOf(supervised);
        assertThat(todo.counts()).containsEntry(Task.ACCEPT, (long) BACKLOG - BACKLOG / 10 + 3)
                .containsEntry(Task.SIGN, 1L).containsEntry(Task.CLOSE, 2L).containsEntry(Task.DECIDE, 3L);
        assertThat(todo.overdue()).as("the figures' overdueNow")
                .isEqualTo(acceptanceRanOut.size() + handlingRanOut.size() + 1 + verificationRanOut.size());
        // each officer's workload: what waits on their signature or handling, as Task.of says; from the index of the
        // records given to an officer or the open ones, not the whole table
        assertThat(plan(CaseStore.OFFICER_LOADS.replace(":unit", "'" + UNIT + "'"))).doesNotContain("Seq Scan");
        Map<String, long[]> loads = new TreeMap<>();
        all.stream().filter(r -> r.assignee() != null).forEach(r -> {
            java.util.Set<Task> tasks = Task.of(r, now);
            if (tasks.contains(Task.SIGN) || tasks.contains(Task.HANDLE)) {
                long[] l = loads.computeIfAbsent(r.assignee(), a -> new long[2]);
                l[tasks.contains(Task.SIGN) ? 0 : 1]++;
            }
        });
        assertThat(loads).containsKeys("officer.3", "officer.7");
        assertThat(store.officerLoads(UnitCode.of(UNIT), now).collectList().block())
                .extracting(l -> l.officer() + " " + l.toSign() + " " + l.toHandle())
                .containsExactlyElementsOf(loads.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]).toList());
        // counted up to the cap; an officer's own
        CaseStore.Todo capped = store.todo(UnitCode.of(UNIT), QueueFilter.NONE, now, 100).block();
        assertThat(capped.counts().get(Task.ACCEPT)).isEqualTo(100);
        assertThat(store.todo(UnitCode.of(UNIT), new QueueFilter(null, null, null, null, "officer.3"), now, 1000)
                .block().counts()).containsEntry(Task.HANDLE, 3L).containsEntry(Task.DECIDE, 3L)
                .containsEntry(Task.ACCEPT, 0L);
    }

    /** The queue's statement for the filter, its values written in. */
    private static String queue(QueueFilter filter) {
        return CaseStore.queueQuery(filter, false).replace(":unit", "'" + UNIT + "'")
                .replace(":grid", filter.grid() == null ? "null" : "'" + filter.grid() + "'")
                .replace(":assignee", filter.assignee() == null ? "null" : "'" + filter.assignee() + "'")
                .replace(":limit", "21");
    }

    @Test
    void theFiguresNowCountTheFinalRecordsAUnitHoldsByTheirIndexAndAsTheirClosingEntriesSay() throws SQLException {
        // the final records by their index, index only or as a bitmap, as the table's statistics make cheaper; the
        // open ones by the queue's status index alone (V13: before it, each was read in the table for dispatched_to)
        assertThat(plan(RollupCalculator.NOW.replace(":nowUnits", "array['" + UNIT + "']")))
                .containsPattern("(Index Only Scan using|Bitmap Index Scan on) case_record_held_final")
                .contains("Index Only Scan using case_record_queue_status")
                .contains("case_record_accept_clock", "case_record_handling_clock", "case_record_verify_clock",
                        "case_record_parked")
                .doesNotContain("SubPlan");

        Map<String, Long> current = node.getBean(RollupCalculator.class)
                .own(UNIT, null, LocalDate.now(), Instant.now()).block().current();

        // and the community's own figure now, its grid cells (PatrolFigures)
        Map<String, Long> expected = new TreeMap<>(nowAsTheTimelineSays());
        expected.put("gridCells", (long) node.getBean(UnitDirectory.class).gridCells(UnitCode.of(UNIT)).size());
        assertThat(current).as("as the roll-up counted them before V12: each final record's closing entry looked up")
                .isEqualTo(expected).containsKeys("status.CLOSED", "status.REJECTED", "status.REOPENED");
        assertThat(current.get("gridCells")).isPositive();
        assertThat(current.get("overdueNow")).as("every record whose running clock ran out, on any of its three clocks")
                .isEqualTo(acceptanceRanOut.size() + handlingRanOut.size() + 1 + verificationRanOut.size());
    }

    @Test
    void aUnitsActionsPerDayAreCountedFromTheTimelinesIndexAlone() throws SQLException {
        // each round's usual: the unit's own entries from the first day that can have changed (here the last 30 days,
        // about 2 000 of its 20 000); V13's columns in V8's index spare reading each entry in the table. A table this
        // small is read as cheaply by a bitmap over the index (at a million records it is not: 45 against 13 ms, see
        // docs/stats.md), so bitmaps are priced out to see whether the index alone can answer (before V13: an Index
        // Scan, which reads each entry in the table)
        String lastMonth = "now() - interval '30 days'";
        assertThat(plan(RollupCalculator.ACTIONS.replace(":zone", "'Asia/Shanghai'").replace(":split", "now()")
                .replace(":units", "array['" + UNIT + "']").replace(":sinces", "array[(" + lastMonth + ")::text]")
                .replace(":from", lastMonth), "set enable_bitmapscan = off"))
                .contains("Index Only Scan using timeline_entry_unit_at").doesNotContain("Seq Scan");
    }

    @Test
    void aReadOfAUnitsFiguresFindsTheCasesChangedSinceTheLastReportByTheNewEntriesAlone() throws SQLException {
        // a read goes on from what the publisher's last computation kept: back to the first day of every case whose
        // timeline at the unit has entries numbered after the last it had seen (Rollups.ownNow)
        RollupCalculator calculator = node.getBean(RollupCalculator.class);
        long seen;
        UUID oldest;
        Instant firstEntry;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            seen = single(s, "select max(seq) from timeline_entry", Long.class);
            oldest = single(s, "select case_id from case_record where unit_code = '" + UNIT + "' and status = 'CLOSED'"
                    + " order by reported_at limit 1", UUID.class);
            firstEntry = single(s, "select min(at) from timeline_entry where unit_code = '" + UNIT + "' and case_id = '"
                    + oldest + "'", java.time.OffsetDateTime.class).toInstant();
            assertThat(calculator.firstOfChanged(UNIT, TimelineSeen.upTo(seen)).block()).isEmpty();
            // a comment on a case closed most of a year ago, and a report at the busy community
            s.execute("insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action)"
                    + " values ('" + UNIT + "', '" + oldest + "', gen_random_uuid(), now(), '" + UNIT + "', 'handler',"
                    + " 'COMMENT'), ('" + BUSY + "', gen_random_uuid(), gen_random_uuid(), now(), '" + BUSY + "',"
                    + " 'gridworker.1', 'REPORT')");
        }
        assertThat(firstEntry).isBefore(Instant.now().minus(java.time.Duration.ofDays(200)));
        assertThat(calculator.firstOfChanged(UNIT, TimelineSeen.upTo(seen)).block()).contains(firstEntry);
        assertThat(calculator.firstOfChanged(BUSY, TimelineSeen.upTo(seen)).block())
                .hasValueSatisfying(at -> assertThat(at).isAfter(firstEntry));
        // the comment committed after the report was seen, but numbered below it: found in the gap it left
        long comment;
        long top;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            comment = single(s, "select seq from timeline_entry where unit_code = '" + UNIT + "' and case_id = '"
                    + oldest + "' and action = 'COMMENT'", Long.class);
            top = single(s, "select max(seq) from timeline_entry", Long.class);
        }
        TimelineSeen gap = new TimelineSeen(top, new long[] {comment}, new long[] {comment});
        assertThat(calculator.firstOfChanged(UNIT, gap).block()).contains(firstEntry);
        assertThat(calculator.firstOfChanged(UNIT, TimelineSeen.upTo(top)).block()).isEmpty();

        for (String gaps : List.of("{}", "{" + comment + "}")) {
            String changed = analyzed(RollupCalculator.CHANGED.replace(":seen", String.valueOf(seen))
                    .replace(":unit", "'" + UNIT + "'").replace(":from", "'" + gaps + "'")
                    .replace(":to", "'" + gaps + "'"));
            assertThat(changed).as(changed).contains("timeline_entry_seq").doesNotContain("Seq Scan");
        }
    }

    @Test
    void aLedgerOfMoreRecordsThanAWorkbookHoldsIsDownloadedWholeAsCsv() throws SQLException {
        long closed;
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            closed = single(s, "select count(*) from case_record where unit_code = '" + UNIT + "' and status = 'CLOSED'",
                    Long.class);
        }
        assertThat(closed).isGreaterThan(CaseController.MAX_EXPORT_ROWS);
        WebTestClient http = http("supervisor." + UNIT, UNIT);

        byte[] csv = http.get().uri("/api/units/{u}/cases/export?status=CLOSED", UNIT).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(Tables.TEXT_CSV)
                .expectHeader().valueEquals("Content-Disposition", "attachment; filename=\"cases-" + UNIT + ".csv\"")
                .expectHeader().doesNotExist(Tables.TRUNCATED)
                .expectBody(byte[].class).returnResult().getResponseBody();
        List<String> lines = new String(csv, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("\uFEFF案件编号,单位代码,标题");
        assertThat(lines).hasSize((int) closed + 1);
        assertThat(lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count())
                .as("every record once").isEqualTo(closed);
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).contains("," + UNIT + ",", ",已结案,"));

        // a workbook or JSON is still cut, and says so
        http.get().uri("/api/units/{u}/cases/export?status=CLOSED&format=json", UNIT).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(Tables.TRUNCATED, Integer.toString(CaseController.MAX_EXPORT_ROWS));
        // and another community's supervisor gets a problem, not a ledger
        http("supervisor." + BUSY, BUSY).get().uri("/api/units/{u}/cases/export", UNIT).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** A client of the node as the person, its answers read up to 64 MB. */
    private static WebTestClient http(String username, String unit) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .responseTimeout(java.time.Duration.ofSeconds(60))
                .defaultHeaders(h -> h.setBearerAuth(tokens.token(username, unit, List.of("SUPERVISOR"), List.of())))
                .build();
    }

    private static <T> T single(Statement s, String sql, Class<T> type) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getObject(1, type);
        }
    }

    /**
     * The unit's figures now, counted as the roll-up counted them before V12: a final record is the unit's if its
     * timeline has the unit's own closing entry.
     */
    private static Map<String, Long> nowAsTheTimelineSays() throws SQLException {
        Map<String, Long> now = new TreeMap<>();
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select r.status, count(*) filter (where r.status <> 'ESCALATED' and case"
                     + " when r.status in ('CLOSED', 'REJECTED') then exists (select 1 from timeline_entry e"
                     + " where e.unit_code = r.unit_code and e.case_id = r.case_id and e.entry_unit = r.unit_code"
                     + " and e.action in ('CLOSE', 'REJECT', 'MERGE')) else r.dispatched_to is null end),"
                     + " count(*) filter (where " + CaseStore.OVERDUE.replace(":now", "now()") + "),"
                     + " count(*) filter (where r.parked_until > now() and r.dispatched_to is null"
                     + " and r.status not in ('ESCALATED', 'CLOSED', 'REJECTED'))"
                     + " from case_record r where r.unit_code = '" + UNIT + "' group by 1")) {
            while (rs.next()) {
                if (rs.getLong(2) > 0) {
                    now.put("status." + rs.getString(1), rs.getLong(2));
                }
                now.merge("overdueNow", rs.getLong(3), Long::sum);
                now.merge("parkedNow", rs.getLong(4), Long::sum);
            }
        }
        return now;
    }

    /**
     * Inserts {@code count} records of the unit, category GARBAGE_PILE, reported a week ago unless the columns say
     * otherwise; each column's value is an SQL expression in which {@code i} counts the records from 1. Answers
     * their case ids.
     */
    private static List<UUID> insert(Statement s, int count, Map<String, String> columns) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>(Map.of("unit_code", "'" + UNIT + "'",
                "case_id", "gen_random_uuid()", "origin", "'INTAKE'", "category_code", "'GARBAGE_PILE'",
                "title", "'record ' || i", "source", "'GRID_PATROL'", "reported_at", "now() - interval '7 days'"));
        values.putAll(columns);
        values.put("created_at", values.get("reported_at"));
        values.put("updated_at", values.get("reported_at"));
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("insert into case_record (" + String.join(", ", values.keySet())
                + ") select " + String.join(", ", values.values()) + " from generate_series(1, " + count
                + ") as g(i) returning case_id")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** The plan PostgreSQL chooses for the query, run: what each step read. */
    private static String analyzed(String query) throws SQLException {
        return plan(query.replace(":now", "now()").replace(":limit", "21"), "reset all", "explain (analyze, timing off) ");
    }

    /** The rows the plan's steps read and dropped, all of them. */
    private static long removedByFilter(String analyzed) {
        return java.util.regex.Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(analyzed).results()
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    /** The plan PostgreSQL chooses for the query, sequential scans allowed. */
    private static String plan(String query) throws SQLException {
        return plan(query, "reset all");
    }

    /** The plan PostgreSQL chooses for the query after the setting. */
    private static String plan(String query, String setting) throws SQLException {
        return plan(query, setting, "explain ");
    }

    private static String plan(String query, String setting, String explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = TestInfrastructure.jdbc(DB); Statement s = c.createStatement()) {
            s.execute(setting);
            try (ResultSet rs = s.executeQuery(explain + query.replace(":now", "now()").replace(":limit", "200")
                    .replace(":categories", "'GARBAGE_PILE'"))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
