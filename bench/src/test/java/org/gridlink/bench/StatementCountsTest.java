package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementCountsTest {

    @Test
    void statementsPerCaseAndTheMostFrequentPerDatabaseInTheGivenOrder() {
        List<StatementCounts.Entry> entries = List.of(
                new StatementCounts.Entry("gridlink_township", 300, 30, "BEGIN READ WRITE"),
                new StatementCounts.Entry("gridlink_community", 50, 10, "insert into outbox (event_id) values ($1)"),
                new StatementCounts.Entry("gridlink_township", 100, 20,
                        "select seq, unit_code, case_id from case_record where unit_code = $1 for update"),
                new StatementCounts.Entry("gridlink_community", 150, 5, "COMMIT"));

        String text = StatementCounts.perCase(entries, List.of("gridlink_community", "gridlink_township",
                "gridlink_city"), 50, 1);

        assertThat(text).isEqualTo("gridlink_community: 4.00 statements per case (0.300 ms in PostgreSQL), most: 3.00× `COMMIT`; "
                + "gridlink_township: 8.00 statements per case (1.00 ms in PostgreSQL), most: 6.00× `BEGIN READ WRITE`; "
                + "gridlink_city: 0 statements per case (0 ms in PostgreSQL)");
    }

    @Test
    void theStatementsThatTookTheMostTimePerSecond() {
        List<StatementCounts.Entry> entries = List.of(
                new StatementCounts.Entry("gridlink_community", 20, 400, "select   e.unit_code from timeline_entry e"),
                new StatementCounts.Entry("gridlink_community", 200, 100, "COMMIT"),
                new StatementCounts.Entry("gridlink_city", 10, 10, "select 1"));

        assertThat(StatementCounts.mostTime(entries, List.of("gridlink_community", "gridlink_city"), 10, 1))
                .isEqualTo("gridlink_community: 50.0 ms per s, most: 40.0 ms/s in 2.00 calls/s "
                        + "`select e.unit_code from timeline_entry e`; gridlink_city: 1.00 ms per s, most: 1.00 ms/s in "
                        + "1.00 calls/s `select 1`");
    }

    @Test
    void aSelectIsToldByWhatItReadsFrom() {
        assertThat(StatementCounts.shorten("select seq, unit_code, case_id, status, origin, category_code\n from case_record"
                + " where unit_code = $1 and case_id = $2 for update")).isEqualTo("select … from case_record where unit_code = $1 and case_id = $2 f …");
        assertThat(StatementCounts.shorten("insert into timeline_entry (unit_code, case_id, entry_id, at) values ($1, $2, $3, $4)"))
                .isEqualTo("insert into timeline_entry (unit_code, case_id,  …");
    }
}
