package org.gridlink.community;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.stats.RollupCalculator;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node upgraded in place: its database is already past the tier's own V100 when a kernel release brings
 * migrations numbered below it (V2 to V34), with the tier's own V101. They are applied all the same, in the order they
 * come.
 */
class SchemaUpgradeIT {

    static final String DB = "community_upgrade_it";

    @Test
    void kernelMigrationsReleasedAfterTheTiersAreAppliedToAnExistingDatabase() throws Exception {
        try (TestTokens tokens = TestTokens.start()) {
            start(tokens).close();
            // the database as an earlier release left it: V1 and V100, without the kernel's later V2 to V34, holding
            // records the unit made final itself and records another unit did
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("drop trigger timeline_entry_closed_here on timeline_entry");
                s.execute("drop function case_record_closed_here()");
                s.execute("drop index case_record_held_final");
                s.execute("alter table case_record drop column closed_here");
                record(s, FINAL_HERE, "CLOSED", UNIT, "CLOSE");
                record(s, REJECTED_HERE, "REJECTED", UNIT, "REJECT");
                record(s, MERGED_HERE, "CLOSED", UNIT, "MERGE");
                record(s, CLOSED_ABOVE, "CLOSED", TOWNSHIP, "CLOSE");
                record(s, OPEN, "REPORTED", UNIT, "REPORT");
                s.execute("delete from flyway_schema_history"
                        + " where version in ('2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15',"
                        + " '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29',"
                        + " '30', '31', '32', '33', '34', '101')");
                // nor the tier's own V101 (patrols), released with them
                s.execute("drop table patrol_point, patrol");
                // V1's unique btree on seq, before V30 dropped it
                s.execute("create unique index case_record_seq on case_record (seq)");
                // V1's queue index by status, before V13 carried dispatched_to in it
                s.execute("drop index case_record_queue_status");
                s.execute("create index case_record_queue_status on case_record (unit_code, status, seq desc)");
                // V1's notification, which named no row
                s.execute("create or replace function outbox_notify() returns trigger language plpgsql as $$"
                        + " begin perform pg_notify('gridlink_outbox', ''); return null; end $$");
                s.execute("drop trigger outbox_inserted on outbox");
                s.execute("create trigger outbox_inserted after insert on outbox for each statement"
                        + " execute function outbox_notify()");
                s.execute("drop table overdue_notice, supervision_notice, evidence, case_follower, unit_report,"
                        + " keyed_action, notice_receipt, notice, received_notice, received_notice_signature,"
                        + " officer_absence, officer_absence_ended, case_instruction, calendar_year,"
                        + " calendar_year_revision");
                s.execute("drop index case_record_nearby, case_record_parked, timeline_entry_seq, case_record_clock_running,"
                        + " case_record_told_overdue, timeline_entry_unit_at, case_record_accept_clock,"
                        + " case_record_handling_clock, case_record_verify_clock, case_record_queue_grid,"
                        + " case_record_queue_assignee, case_record_queue_reported, case_record_reporter,"
                        + " case_record_queue_category, case_record_queue_pending,"
                        + " case_record_queue_supervised");
                s.execute("drop sequence unit_report_sequence");
                s.execute("alter table case_record drop column accept_overdue_at, drop column handling_overdue_at,"
                        + " drop column clock_from, drop column accept_due_at, drop column assignee,"
                        + " drop column pending_kind, drop column pending_from, drop column pending_decider,"
                        + " drop column pending_by, drop column pending_reason, drop column pending_note,"
                        + " drop column pending_until, drop column pending_at, drop column bounces,"
                        + " drop column extensions, drop column recategorisations, drop column supervisions,"
                        + " drop column leader_supervised, drop column parked_until, drop column verify_from,"
                        + " drop column verify_due_at, drop column verify_overdue_at");
            }
            assertThat(appliedVersions()).containsExactly("1", "100");

            start(tokens).close();

            assertThat(appliedVersions())
                    .containsExactlyInAnyOrder("1", "100", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
                            "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26",
                            "27", "28", "29", "30", "31", "32", "33", "34", "101");
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from information_schema.columns"
                         + " where table_name = 'case_record' and column_name in ('clock_from', 'accept_due_at',"
                         + " 'accept_overdue_at', 'handling_overdue_at', 'verify_from', 'verify_due_at',"
                         + " 'verify_overdue_at')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            // V14: the actions taken under an Idempotency-Key
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from information_schema.columns"
                         + " where table_name = 'keyed_action'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            // V7's, V11's and V15's partial indexes exist and the overdue scan's queries can read them (the table is all
            // but empty here, so sequential scans are priced out to see which indexes a query's conditions allow)
            assertThat(plan(CaseStore.NEWLY_OVERDUE))
                    .contains("case_record_accept_clock", "case_record_handling_clock", "case_record_verify_clock");
            // these indexes, or the category's
            assertThat(plan(CaseStore.OVERDUE_TO_ESCALATE)).doesNotContain("Seq Scan");
            assertThat(plan(CaseStore.NO_LONGER_OVERDUE)).contains("case_record_told_overdue");
            // V8: the index a roll-up computed again from a recent day reads the units' entries by (the bench's
            // QueryPlans shows it read at a million records; an all but empty table is read by its primary key), and
            // V13's columns in it and in the queue's status index, which the roll-ups read index only
            assertThat(indexDefinition("timeline_entry_unit_at"))
                    .endsWith("ON public.timeline_entry USING btree (unit_code, at) INCLUDE (entry_unit, action, case_id)");
            assertThat(indexDefinition("case_record_queue_status"))
                    .endsWith("ON public.case_record USING btree (unit_code, status, seq DESC) INCLUDE (dispatched_to)");
            // V17, V18: the queue by the time of the report and by reporter
            assertThat(indexDefinition("case_record_queue_reported"))
                    .endsWith("ON public.case_record USING btree (unit_code, reported_at, seq)");
            assertThat(indexDefinition("case_record_reporter"))
                    .endsWith("ON public.case_record USING btree (unit_code, reporter)");
            assertThat(indexDefinition("case_record_queue_category"))
                    .endsWith("ON public.case_record USING btree (unit_code, category_code, seq DESC)");
            // V20: the to-do's records a request waits on
            assertThat(indexDefinition("case_record_queue_pending"))
                    .endsWith("ON public.case_record USING btree (unit_code, seq DESC) WHERE (pending_decider IS NOT NULL)");
            // V21: and the supervised records
            assertThat(indexDefinition("case_record_queue_supervised"))
                    .endsWith("ON public.case_record USING btree (unit_code, seq DESC) WHERE (supervisions > 0)");
            // V22: notices, issued and received, and the received ones not signed for
            assertThat(indexDefinition("notice_recent"))
                    .endsWith("ON public.notice USING btree (unit_code, issued_at DESC, id)");
            assertThat(indexDefinition("received_notice_unsigned"))
                    .endsWith("ON public.received_notice USING btree (unit_code) WHERE (signed_at IS NULL)");
            assertThat(indexDefinition("notice_receipt_pkey"))
                    .endsWith("ON public.notice_receipt USING btree (notice_id, unit_code)");
            // V23: reminders (催签) counted at the issuer and at each unit
            assertThat(columns("column_name = 'reminders'")).containsExactly("notice.reminders",
                    "received_notice.reminders");
            // V24: a unit between follows the signatures of the units below it; the issuer counts its signatures
            assertThat(indexDefinition("received_notice_signature_pkey"))
                    .endsWith("ON public.received_notice_signature USING btree (unit_code, notice_id, signer_unit)");
            assertThat(columns("(table_name = 'notice' and column_name = 'signed')"
                    + " or (table_name = 'received_notice' and column_name = 'reach')"))
                    .containsExactly("notice.signed", "received_notice.reach");
            // V25: a notice withdrawn (撤回), at the issuer and at every unit it went to
            assertThat(columns("column_name like 'withdraw%'")).containsExactly("notice.withdraw_reason",
                    "notice.withdrawn_at", "notice.withdrawn_by", "received_notice.withdraw_reason",
                    "received_notice.withdrawn_at");
            // V26: the officers marked away from a unit's work (请假, 离岗), one absence an officer and unit
            assertThat(indexDefinition("officer_absence_pkey"))
                    .endsWith("ON public.officer_absence USING btree (unit_code, officer)");
            assertThat(columns("table_name = 'officer_absence'")).containsExactly("officer_absence.away_from",
                    "officer_absence.away_until", "officer_absence.marked_at", "officer_absence.marked_by",
                    "officer_absence.officer", "officer_absence.reason", "officer_absence.unit_code");
            // V27: a notice reminded level by level (逐级催签), at the unit between and at the units below it
            assertThat(columns("table_name = 'received_notice' and column_name like 'remind%'"))
                    .containsExactly("received_notice.reminded_at", "received_notice.reminded_below",
                            "received_notice.reminded_below_at", "received_notice.reminders",
                            "received_notice.reminders_between");
            // V28: the leaders' instructions (领导批示) that wait on a unit's people, one a record
            assertThat(indexDefinition("case_instruction_pkey"))
                    .endsWith("ON public.case_instruction USING btree (unit_code, case_id)");
            assertThat(columns("table_name = 'case_instruction'")).containsExactly("case_instruction.at",
                    "case_instruction.case_id", "case_instruction.entry_id", "case_instruction.leader",
                    "case_instruction.note", "case_instruction.unit_code");
            // V29: a notice reminded once its time to sign by passed (逾期自动催签), read by its partial index
            assertThat(columns("table_name = 'notice' and column_name like 'late%'"))
                    .containsExactly("notice.late_reminded_at");
            assertThat(indexDefinition("notice_late_to_remind")).endsWith("ON public.notice USING btree (sign_by)"
                    + " WHERE ((sign_by IS NOT NULL) AND (late_reminded_at IS NULL) AND (withdrawn_at IS NULL))");
            // V31: a unit told when its notice's issuer's node reminded it because the time to sign by passed
            assertThat(columns("table_name = 'received_notice' and column_name like 'late%'"))
                    .containsExactly("received_notice.late_reminded_at");
            // V33: the absences that ended (请假记录), by unit and beginning
            assertThat(indexDefinition("officer_absence_ended_unit"))
                    .endsWith("ON public.officer_absence_ended USING btree (unit_code, away_from DESC)");
            // V34: every revision of a year of the working calendar (日历发布记录), by year and revision
            assertThat(indexDefinition("calendar_year_revision_pkey"))
                    .endsWith("ON public.calendar_year_revision USING btree (year, revision)");
            // V32: the years of the working calendar the city published (日历发布), one row a year
            assertThat(columns("table_name = 'calendar_year'")).containsExactly("calendar_year.holidays",
                    "calendar_year.published_at", "calendar_year.published_by", "calendar_year.revision",
                    "calendar_year.source", "calendar_year.working_days", "calendar_year.year");
            // V30: no index on seq alone, which offered an order to walk the node's records in
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from pg_indexes where tablename = 'case_record'"
                         + " and indexdef like '%(seq)'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // V12: the records the unit made final itself are marked, from their timelines; from now on the unit's own
            // closing entry marks its record, another unit's does not; the roll-up counts them by V12's index
            assertThat(closedHere()).containsOnly(FINAL_HERE, REJECTED_HERE, MERGED_HERE);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                entry(s, OPEN, UNIT, "REJECT");
                entry(s, CLOSED_ABOVE, TOWNSHIP, "MERGE");
            }
            assertThat(closedHere()).containsOnly(FINAL_HERE, REJECTED_HERE, MERGED_HERE, OPEN);
            assertThat(plan(RollupCalculator.NOW.replace(":nowUnits", "array['" + UNIT + "']")))
                    .contains("case_record_held_final");
            // V9: a statement that inserts outbox rows notifies the relay with the highest id it inserted
            try (Connection listener = connect(); Connection writer = connect();
                 Statement listen = listener.createStatement(); Statement insert = writer.createStatement()) {
                listen.execute("LISTEN gridlink_outbox");
                ResultSet ids = insert.executeQuery("insert into outbox (event_id, event_type, topic, msg_key, headers,"
                        + " payload) select gen_random_uuid(), 't', 't', 'k', '{}', ''::bytea from generate_series(1, 3)"
                        + " returning id");
                long highest = 0;
                while (ids.next()) {
                    highest = Math.max(highest, ids.getLong(1));
                }
                PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(10_000);
                assertThat(notifications).extracting(PGNotification::getParameter)
                        .containsExactly(Long.toString(highest));
                // V10: and one that inserts none notifies nobody
                insert.execute("insert into outbox (event_id, event_type, topic, msg_key, headers, payload)"
                        + " select gen_random_uuid(), 't', 't', 'k', '{}', ''::bytea where false");
                ResultSet next = insert.executeQuery("insert into outbox (event_id, event_type, topic, msg_key,"
                        + " headers, payload) values (gen_random_uuid(), 't', 't', 'k', '{}', ''::bytea) returning id");
                next.next();
                assertThat(listener.unwrap(PGConnection.class).getNotifications(10_000))
                        .as("the empty insert's notification would come first")
                        .extracting(PGNotification::getParameter).containsExactly(Long.toString(next.getLong(1)));
            }
        }
    }

    /**
     * A node of this release on a database a newer release migrated (a rollback, or this release's instance restarting
     * during a rolling upgrade to the next): the newer kernel migration, numbered below the tier's V101, is one this
     * release does not have; the node starts all the same and serves.
     */
    @Test
    void aNodeStartsOnADatabaseANewerReleaseMigrated() throws Exception {
        try (TestTokens tokens = TestTokens.start()) {
            start(tokens).close();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("insert into flyway_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) select max(installed_rank) + 1, '99',"
                        + " 'a newer release', 'SQL', 'V99__a_newer_release.sql', 0, current_user, 1, true"
                        + " from flyway_schema_history");
            }
            try (ConfigurableApplicationContext node = start(tokens)) {
                assertThat(node.isActive()).isTrue();
                assertThat(appliedVersions()).contains("99", "25", "101");
            } finally {
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    s.execute("delete from flyway_schema_history where version = '99'");
                }
            }
        }
    }

    static final String UNIT = "410105001001";
    static final String TOWNSHIP = "410105001000";
    static final UUID FINAL_HERE = UUID.randomUUID();
    static final UUID REJECTED_HERE = UUID.randomUUID();
    static final UUID MERGED_HERE = UUID.randomUUID();
    static final UUID CLOSED_ABOVE = UUID.randomUUID();
    static final UUID OPEN = UUID.randomUUID();

    /** A record of the unit's, and one entry of its timeline, made by {@code by}. */
    private static void record(Statement s, UUID id, String status, String by, String action) throws SQLException {
        s.execute("insert into case_record (unit_code, case_id, status, origin, category_code, title, reported_at,"
                + " created_at, updated_at) values ('" + UNIT + "', '" + id + "', '" + status + "', 'INTAKE',"
                + " 'GARBAGE_PILE', 'a case', now(), now(), now())");
        entry(s, id, by, action);
    }

    private static void entry(Statement s, UUID id, String by, String action) throws SQLException {
        s.execute("insert into timeline_entry (unit_code, case_id, entry_id, at, entry_unit, actor, action) values ('"
                + UNIT + "', '" + id + "', gen_random_uuid(), now(), '" + by + "', 'someone', '" + action + "')");
    }

    /** The records marked as made final by their own unit. */
    private static List<UUID> closedHere() throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select case_id from case_record where closed_here")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static ConfigurableApplicationContext start(TestTokens tokens) {
        String[] args = Stream.concat(Arrays.stream(TestInfrastructure.nodeProperties(DB)),
                Stream.of("--server.port=0", "--spring.main.banner-mode=off", "--gridlink.overdue.scan-interval=1h",
                        tokens.nodeArgument())).toArray(String[]::new);
        return CommunityApplication.builder().run(args);
    }

    /** The columns {@code where} selects, as {@code table.column}, in that order. */
    private static List<String> columns(String where) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select table_name || '.' || column_name from information_schema.columns"
                     + " where " + where + " order by 1")) {
            List<String> found = new ArrayList<>();
            while (rs.next()) {
                found.add(rs.getString(1));
            }
            return found;
        }
    }

    private static String indexDefinition(String index) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select indexdef from pg_indexes where indexname = '" + index + "'")) {
            assertThat(rs.next()).as("index %s exists", index).isTrue();
            return rs.getString(1);
        }
    }

    private static String plan(String query) throws SQLException {
        String sql = "explain " + query.replace(":now", "now()").replace(":limit", "200")
                .replace(":categories", "'ROAD_DAMAGE'");
        StringBuilder plan = new StringBuilder();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("set enable_seqscan = off");
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static List<String> appliedVersions() throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version from flyway_schema_history where success and version is not null"
                     + " order by installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static Connection connect() throws SQLException {
        return TestInfrastructure.jdbc(DB);
    }
}
