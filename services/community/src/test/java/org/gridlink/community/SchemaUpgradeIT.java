package org.gridlink.community;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node upgraded in place: its database is already past the tier's own V100 when a kernel release brings
 * migrations numbered below it (V2 to V6). They are applied all the same, in the order they come.
 */
class SchemaUpgradeIT {

    static final String DB = "community_upgrade_it";

    @Test
    void kernelMigrationsReleasedAfterTheTiersAreAppliedToAnExistingDatabase() throws Exception {
        try (TestTokens tokens = TestTokens.start()) {
            start(tokens).close();
            // the database as an earlier release left it: V1 and V100, without the kernel's later V2 to V6
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("delete from flyway_schema_history where version in ('2', '3', '4', '5', '6')");
                s.execute("drop table overdue_notice, supervision_notice, evidence, case_follower, unit_report");
                s.execute("drop index case_record_nearby, case_record_parked, timeline_entry_seq");
                s.execute("drop sequence unit_report_sequence");
                s.execute("alter table case_record drop column accept_overdue_at, drop column handling_overdue_at,"
                        + " drop column clock_from, drop column accept_due_at, drop column assignee,"
                        + " drop column pending_kind, drop column pending_from, drop column pending_decider,"
                        + " drop column pending_by, drop column pending_reason, drop column pending_note,"
                        + " drop column pending_until, drop column pending_at, drop column bounces,"
                        + " drop column extensions, drop column recategorisations, drop column supervisions,"
                        + " drop column leader_supervised, drop column parked_until");
            }
            assertThat(appliedVersions()).containsExactly("1", "100");

            start(tokens).close();

            assertThat(appliedVersions()).containsExactlyInAnyOrder("1", "100", "2", "3", "4", "5", "6");
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from information_schema.columns"
                         + " where table_name = 'case_record' and column_name in ('clock_from', 'accept_due_at',"
                         + " 'accept_overdue_at', 'handling_overdue_at')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        }
    }

    private static ConfigurableApplicationContext start(TestTokens tokens) {
        String[] args = Stream.concat(Arrays.stream(TestInfrastructure.nodeProperties(DB)),
                Stream.of("--server.port=0", "--spring.main.banner-mode=off", "--gridlink.overdue.scan-interval=1h",
                        tokens.nodeArgument())).toArray(String[]::new);
        return CommunityApplication.builder().run(args);
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
        return TestInfrastructure.postgres().getDatabase("postgres", TestInfrastructure.database(DB)).getConnection();
    }
}
