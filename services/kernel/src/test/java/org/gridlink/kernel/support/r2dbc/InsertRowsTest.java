package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import org.junit.jupiter.api.Test;

class InsertRowsTest {

    private static final InsertRows ROWS = InsertRows.into("t (a, b)", values -> {
        values.put("a0", 1).put("b0", "x").put("a1", 2).put("b1", "y");
        return "(:a0, :b0), (:a1, :b1)";
    });

    @Test
    void rowsAreAValuesListAStatementOrAnotherStatementsPartCanEndWith() {
        assertThat(ROWS.sql(new NamedValues())).isEqualTo("insert into t (a, b) values (:a0, :b0), (:a1, :b1)");
        assertThat(ROWS.onConflictDoNothing().sql(new NamedValues()))
                .isEqualTo("insert into t (a, b) values (:a0, :b0), (:a1, :b1) on conflict do nothing");
    }

    @Test
    void guardedRowsAreInsertedFromTheirValuesOnlyWhereTheConditionHolds() {
        assertThat(ROWS.onlyIf("exists (select 1 from record)").onConflictDoNothing().sql(new NamedValues()))
                .isEqualTo("insert into t (a, b) select * from (values (:a0, :b0), (:a1, :b1)) v"
                        + " where exists (select 1 from record) on conflict do nothing");
    }

    @Test
    void theRowsValuesAreAddedToTheStatementsOwnEachTimeItIsWritten() {
        NamedValues values = new NamedValues().put("unit", "410105001001");
        ROWS.onlyIf("true").sql(values);
        // NamedValues keeps them in its own map until they are bound
        assertThat(values).extracting("values").asInstanceOf(MAP).containsOnlyKeys("unit", "a0", "b0", "a1", "b1");
    }
}
