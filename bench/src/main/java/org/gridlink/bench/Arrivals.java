package org.gridlink.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches the tiers' databases for the records an escalation creates, one query per tier and tick for every case in
 * flight, and completes each case's future with its record's {@code createdAt}.
 *
 * <p>It replaces a poll of the receiving node per case: with a backlog, hundreds of cases in flight polled the very node
 * whose consumer was behind, hundreds of times a second, and the benchmark's own reads made the backlog grow (the
 * first runs' community → township hop rose to tens of seconds that way). One {@code select ... where case_id =
 * any(?)} per tier every {@link #TICK} costs the database next to nothing and the nodes nothing; the hop is still
 * timed from the records themselves, and the supervisor's reaction (ACCEPT, ESCALATE through the gateway) still
 * follows the arrival.
 */
final class Arrivals implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(10);

    private record Key(String unit, UUID caseId) {
    }

    private record Waiting(CompletableFuture<Instant> arrived, long deadlineNanos, Duration timeout) {
    }

    private final Function<String, String> databaseOf;
    private final Function<String, Connection> connect;
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, Map<Key, Waiting>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arrivals");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param databaseOf the database that holds a unit's records, by unit code
     * @param jdbcUrl    a database's JDBC URL, by name
     */
    Arrivals(Function<String, String> databaseOf, Function<String, String> jdbcUrl, String user, String password) {
        this.databaseOf = databaseOf;
        this.connect = db -> {
            try {
                Connection c = DriverManager.getConnection(jdbcUrl.apply(db), user, password);
                c.setAutoCommit(true);
                return c;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to " + db + ": " + e.getMessage(), e);
            }
        };
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with the record's {@code createdAt} once {@code unit} holds a record of the case. */
    CompletableFuture<Instant> of(String unit, String caseId, Duration timeout) {
        CompletableFuture<Instant> arrived = new CompletableFuture<>();
        waiting.computeIfAbsent(databaseOf.apply(unit), db -> new ConcurrentHashMap<>())
                .put(new Key(unit, UUID.fromString(caseId)), new Waiting(arrived, System.nanoTime() + timeout.toNanos(),
                        timeout));
        return arrived;
    }

    private void tick() {
        waiting.forEach((db, cases) -> {
            if (cases.isEmpty()) {
                return;
            }
            try {
                look(db, cases);
            } catch (SQLException | RuntimeException e) {
                cases.values().forEach(w -> w.arrived().completeExceptionally(e));
                cases.clear();
                closeQuietly(connections.remove(db));
            }
        });
    }

    private void look(String db, Map<Key, Waiting> cases) throws SQLException {
        List<Key> asked = new ArrayList<>(cases.keySet());
        Connection c = connections.computeIfAbsent(db, connect);
        try (PreparedStatement select = c.prepareStatement(
                "/* " + StatementCounts.BENCH + " */ select unit_code, case_id, created_at from case_record"
                        + " where case_id = any(?)")) {
            Array ids = c.createArrayOf("uuid", asked.stream().map(Key::caseId).distinct().toArray());
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Waiting w = cases.remove(new Key(rows.getString(1), rows.getObject(2, UUID.class)));
                    if (w != null) {
                        w.arrived().complete(rows.getObject(3, java.time.OffsetDateTime.class).toInstant());
                    }
                }
            }
        }
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Key, Waiting>> it = cases.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Waiting> e = it.next();
            if (now > e.getValue().deadlineNanos()) {
                it.remove();
                e.getValue().arrived().completeExceptionally(new IllegalStateException("case " + e.getKey().caseId()
                        + " did not reach " + e.getKey().unit() + " within " + e.getValue().timeout().toSeconds()
                        + " s"));
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        connections.values().forEach(Arrivals::closeQuietly);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after a failure
            }
        }
    }
}
