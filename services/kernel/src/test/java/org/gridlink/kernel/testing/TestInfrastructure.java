package org.gridlink.kernel.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One embedded PostgreSQL server and one in-JVM KRaft Kafka broker per test JVM, shared by every node test.
 * Each test gets its own database by name.
 */
public final class TestInfrastructure {

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafkaKraftBroker kafka;

    private TestInfrastructure() {
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // JVM exit
                }
            }));
        }
        return postgres;
    }

    public static synchronized EmbeddedKafkaKraftBroker kafka() {
        if (kafka == null) {
            kafka = new EmbeddedKafkaKraftBroker(1, 2);
            kafka.brokerProperties(Map.of("group.coordinator.append.linger.ms", "0",
                    "group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable", "false"));
            kafka.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::destroy));
        }
        return kafka;
    }

    /** Creates the database if it does not exist yet and returns its name. */
    public static String database(String name) {
        try (Connection c = postgres().getPostgresDatabase().getConnection()) {
            ResultSet rs = c.createStatement().executeQuery("select 1 from pg_database where datname = '" + name + "'");
            if (!rs.next()) {
                c.createStatement().execute("create database " + name);
            }
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDBC connection to the named database on the shared server (created if it does not exist yet). */
    public static Connection jdbc(String name) throws SQLException {
        return postgres().getDatabase("postgres", database(name)).getConnection();
    }

    /**
     * Command-line arguments that point a node at the shared infrastructure and the named database (arguments,
     * not default properties: they must win over the node's config files).
     */
    public static String[] nodeProperties(String database) {
        return new String[] {
                "--gridlink.database.port=" + postgres().getPort(),
                "--gridlink.database.name=" + database(database),
                "--spring.kafka.bootstrap-servers=" + kafka().getBrokersAsString(),
                "--gridlink.topics.partitions=2",
                "--gridlink.outbox.poll-interval=200ms",
        };
    }
}
