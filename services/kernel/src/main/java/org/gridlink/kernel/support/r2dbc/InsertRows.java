package org.gridlink.kernel.support.r2dbc;

import java.util.function.Function;

/**
 * An insert of rows given as value lists ({@code (:a0, :b0), (:a1, :b1)}), a statement of its own or the end of another
 * ({@link TrailingWrite}); or, {@link #onlyIf guarded}, the same rows inserted only where a condition holds, as a part of
 * a statement whose earlier parts decide whether it writes anything at all.
 */
public final class InsertRows implements TrailingWrite {

    private final String into;
    private final Function<NamedValues, String> rows;
    private final String onConflict;
    private final String condition;

    private InsertRows(String into, Function<NamedValues, String> rows, String onConflict, String condition) {
        this.into = into;
        this.rows = rows;
        this.onConflict = onConflict;
        this.condition = condition;
    }

    /**
     * @param into the table and its columns, {@code outbox (event_id, …)}
     * @param rows adds the rows' values to those it is given and returns their lists, {@code (:a0, :b0), …}
     */
    public static InsertRows into(String into, Function<NamedValues, String> rows) {
        return new InsertRows(into, rows, "", null);
    }

    /** The same, a row that conflicts with one the table has left out (and the one there as it is). */
    public InsertRows onConflictDoNothing() {
        return new InsertRows(into, rows, " on conflict do nothing", condition);
    }

    /**
     * The same rows, inserted only where {@code condition} holds (a boolean SQL expression, typically {@code exists} on an
     * earlier part of the statement); nothing otherwise.
     */
    public InsertRows onlyIf(String condition) {
        return new InsertRows(into, rows, onConflict, condition);
    }

    @Override
    public String sql(NamedValues values) {
        String lists = rows.apply(values);
        return "insert into " + into + (condition == null ? " values " + lists
                : " select * from (values " + lists + ") v where " + condition) + onConflict;
    }
}
