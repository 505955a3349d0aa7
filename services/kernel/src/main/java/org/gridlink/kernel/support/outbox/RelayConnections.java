package org.gridlink.kernel.support.outbox;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The outbox relay's own connections to its node's database, apart from the pool the requests and consumers use: a
 * small pool for its claims, and unpooled connections for its {@code LISTEN}.
 *
 * <p>The pool's sessions commit asynchronously ({@code synchronous_commit = off}, set when each connects). A claim
 * deletes rows the broker has acknowledged, so the only thing its commit makes durable is that those rows are gone; if
 * PostgreSQL crashed before that commit reached the disk, the rows would come back and be published again, which the
 * receivers' inboxes drop, exactly as after a relay that crashed between the broker's ack and its commit. Every other
 * transaction of a node (a change with its outbox rows, an event applied with its inbox row, before its Kafka offset
 * is committed) keeps the server's synchronous commit. What this saves is a WAL flush per claim and the wait for it,
 * which a receiving node's commit on the same disk would otherwise queue behind.
 */
public final class RelayConnections implements AutoCloseable {

    /** The session settings of the relay's pooled connections. */
    static final Map<String, String> SESSION = Map.of("synchronous_commit", "off",
            "application_name", "gridlink-outbox-relay");

    private final ConnectionPool pool;
    private final ConnectionFactory listen;
    private final DatabaseClient db;

    private RelayConnections(ConnectionPool pool, ConnectionFactory listen) {
        this.pool = pool;
        this.listen = listen;
        this.db = DatabaseClient.create(pool);
    }

    /**
     * @param database the node's database as its own pool connects to it (URL options, user, password); any
     *                 session options it has are kept, the relay's added to them
     */
    public static RelayConnections to(ConnectionFactoryOptions database) {
        Map<String, String> session = session(database);
        ConnectionFactory relay = ConnectionFactories.get(database.mutate()
                .option(PostgresqlConnectionFactoryProvider.OPTIONS, session).build());
        // one claim at a time (the relay drains in order); a second connection for the hourly purge and a poll's look
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(relay).name("outbox-relay")
                .initialSize(1).maxSize(2).maxIdleTime(Duration.ofMinutes(10)).maxAcquireTime(Duration.ofSeconds(30))
                .build());
        return new RelayConnections(pool, ConnectionFactories.get(database));
    }

    /** The session options of the relay's connections: the node's own (a map, or the URL's text), then the relay's. */
    static Map<String, String> session(ConnectionFactoryOptions database) {
        Map<String, String> session = new LinkedHashMap<>();
        Object given = database.getValue(PostgresqlConnectionFactoryProvider.OPTIONS);
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> session.put(String.valueOf(k), String.valueOf(v)));
        } else if (given instanceof CharSequence text) { // from the URL: key=value;key=value, as the driver reads it
            for (String pair : text.toString().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    session.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        session.putAll(SESSION);
        return session;
    }

    /** Statements on the relay's pool, outside a transaction. */
    public DatabaseClient db() {
        return db;
    }

    /**
     * The relay's pool itself, for its claims: a claim begins its transaction with its first statement, in one round
     * trip, and commits it (asynchronously) or rolls it back by hand.
     */
    public ConnectionFactory pool() {
        return pool;
    }

    /** Unpooled connections with the node's own settings, for a {@code LISTEN} that lasts as long as the relay. */
    public ConnectionFactory listen() {
        return listen;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
