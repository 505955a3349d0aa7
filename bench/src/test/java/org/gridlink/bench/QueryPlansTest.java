package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.kernel.cases.persistence.CaseStore;
import org.gridlink.kernel.stats.RollupCalculator;
import org.junit.jupiter.api.Test;

class QueryPlansTest {

    @Test
    void theCopiedConditionsAndColumnsAreCaseStoresOwn() throws Exception {
        assertThat(QueryPlans.ACCEPTANCE_OVERDUE).isEqualTo(CaseStore.ACCEPTANCE_OVERDUE);
        assertThat(QueryPlans.HANDLING_OVERDUE).isEqualTo(CaseStore.HANDLING_OVERDUE);
        assertThat(QueryPlans.VERIFICATION_OVERDUE).isEqualTo(CaseStore.VERIFICATION_OVERDUE);
        assertThat(QueryPlans.OVERDUE).isEqualTo(CaseStore.OVERDUE);
        assertThat(QueryPlans.CLOCK_MAY_RUN).isEqualTo(CaseStore.CLOCK_MAY_RUN);
        assertThat(QueryPlans.NEWLY_OVERDUE).isEqualTo(CaseStore.NEWLY_OVERDUE);
        assertThat(QueryPlans.NO_LONGER_OVERDUE).isEqualTo(CaseStore.NO_LONGER_OVERDUE);
        assertThat(QueryPlans.OVERDUE_TO_ESCALATE).isEqualTo(CaseStore.OVERDUE_TO_ESCALATE);
        assertThat(QueryPlans.RECORD_WITH_TIMELINE).isEqualTo(CaseStore.RECORD_WITH_TIMELINE);
        assertThat(QueryPlans.SEARCHED).isEqualTo(CaseStore.SEARCHED);
        assertThat(QueryPlans.ROLLUP_NOW).isEqualTo(RollupCalculator.NOW);
        assertThat(QueryPlans.ROLLUP_ACTIONS).isEqualTo(RollupCalculator.ACTIONS);
        assertThat(QueryPlans.ROLLUP_REPORTS).isEqualTo(RollupCalculator.REPORTS);
        Field columns = CaseStore.class.getDeclaredField("COLUMNS");
        columns.setAccessible(true);
        assertThat(QueryPlans.COLUMNS).isEqualTo(columns.get(null));
    }

    @Test
    void namedParametersBecomeJdbcsAndCastsStay() {
        assertThat(QueryPlans.parameters("select (e.at at time zone :zone)::date from t where u = :unit and at >= :since"))
                .isEqualTo("select (e.at at time zone ?)::date from t where u = ? and at >= ?");
    }

    @Test
    void everyQueryHasAValueForEachOfItsParameters() {
        List<QueryPlans.Query> queries = QueryPlans.queries("410105001001", 1234, UUID.randomUUID(),
                "GAS_SAFETY", Instant.parse("2026-11-30T00:00:00Z"));

        assertThat(queries).hasSize(15);
        for (QueryPlans.Query q : queries) {
            long marks = QueryPlans.parameters(q.sql()).chars().filter(c -> c == '?').count();
            assertThat(q.params()).as(q.name()).hasSize((int) marks);
        }
    }

    @Test
    void aPlansExecutionTimeAndScansAreReadOffItsText() {
        List<String> plan = List.of(
                "Limit  (cost=0.42..30.16 rows=21 width=400) (actual time=0.031..0.079 rows=21 loops=1)",
                "  ->  Index Scan using case_record_queue on case_record  (cost=0.42..79481.18 rows=55556 width=400)",
                "        Index Cond: ((unit_code)::text = '410105001001'::text)",
                "  ->  Bitmap Heap Scan on timeline_entry e  (cost=4.5..9.1 rows=1 width=8)",
                "        ->  Bitmap Index Scan on timeline_entry_pkey  (cost=0.00..4.50 rows=1 width=0)",
                "  ->  Parallel Seq Scan on case_record  (cost=0.00..41000.00 rows=1 width=8)",
                "  ->  Index Scan using case_record_queue on case_record  (cost=0.42..79481.18 rows=55556 width=400)",
                "Planning Time: 0.210 ms",
                "Execution Time: 0.112 ms");

        assertThat(QueryPlans.executionMillis(plan)).isEqualTo(0.112);
        assertThat(QueryPlans.scans(plan)).containsExactly("Index Scan using case_record_queue on case_record",
                "Bitmap Heap Scan on timeline_entry", "Bitmap Index Scan on timeline_entry_pkey",
                "Parallel Seq Scan on case_record");
        assertThat(QueryPlans.executionMillis(List.of("Seq Scan on x"))).isNaN();
    }
}
