package org.gridlink.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gridlink.kernel.support.outbox.RelayConnections;
import org.gridlink.kernel.support.r2dbc.LoopLocalConnections;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.core.Ordered;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * What an application may still say about its node's database connections, now that the kernel makes the pools
 * instead of Spring Boot ({@link KernelConfiguration#connectionFactory}), against the shared PostgreSQL: its
 * {@link ConnectionFactoryOptionsBuilderCustomizer}s reach the pools' and the outbox relay's sessions, its
 * {@link ConnectionFactoryDecorator}s wrap the pools' connections in their order, and
 * {@code spring.r2dbc.pool.enabled=false} is refused by name rather than ignored.
 */
class ConnectionSettingsIT {

    static LoopResources loops;
    static final KernelConfiguration kernel = new KernelConfiguration();
    static final R2dbcConnectionDetails database = () -> ConnectionFactoryOptions.parse("r2dbc:postgresql://127.0.0.1:"
            + TestInfrastructure.postgres().getPort() + "/postgres").mutate()
            .option(ConnectionFactoryOptions.USER, "postgres").build();

    @BeforeAll
    static void loops() {
        loops = LoopResources.create("connection-settings-it", 1, 1, true, false);
    }

    @AfterAll
    static void close() {
        loops.dispose();
    }

    @Test
    void customizersSetThePoolsAndTheRelaysSessions() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("timeout", (ConnectionFactoryOptionsBuilderCustomizer) options -> options.option(
                PostgresqlConnectionFactoryProvider.OPTIONS, Map.of("statement_timeout", "4321")));
        LoopLocalConnections pools = connections(beans, new R2dbcProperties());
        try (RelayConnections relay = kernel.relayConnections(database, loops, customizers(beans))) {
            assertThat(show(DatabaseClient.create(pools), "statement_timeout")).isEqualTo("4321ms");
            assertThat(show(relay.db(), "statement_timeout")).isEqualTo("4321ms");
            // the relay's own session settings are added to the customized ones, not replaced by them
            assertThat(show(relay.db(), "synchronous_commit")).isEqualTo("off");
        } finally {
            pools.dispose();
        }
    }

    @Test
    void withoutCustomizersTheSessionsAreTheServersDefault() {
        LoopLocalConnections pools = connections(new StaticListableBeanFactory(), new R2dbcProperties());
        try {
            assertThat(show(DatabaseClient.create(pools), "statement_timeout")).isEqualTo("0");
        } finally {
            pools.dispose();
        }
    }

    @Test
    void decoratorsWrapEachConnectionThePoolMakesInTheirOrder() {
        List<String> made = new CopyOnWriteArrayList<>();
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        // registered out of order: the order they wrap in is Spring's, as with Boot's own pool (the later, outer)
        beans.addBean("second", new Recording("second", 2, made));
        beans.addBean("first", new Recording("first", 1, made));
        R2dbcProperties r2dbc = new R2dbcProperties();
        r2dbc.getPool().setInitialSize(0);
        LoopLocalConnections pools = connections(beans, r2dbc);
        try {
            assertThat(made).isEmpty();
            assertThat(show(DatabaseClient.create(pools), "statement_timeout")).isEqualTo("0");
            assertThat(made).containsExactly("second", "first");
        } finally {
            pools.dispose();
        }
    }

    @Test
    void aPoolTurnedOffIsRefusedByName() {
        R2dbcProperties r2dbc = new R2dbcProperties();
        r2dbc.getPool().setEnabled(false);
        assertThatThrownBy(() -> connections(new StaticListableBeanFactory(), r2dbc))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("spring.r2dbc.pool.enabled")
                .hasMessageContaining("always pools");
    }

    static LoopLocalConnections connections(StaticListableBeanFactory beans, R2dbcProperties r2dbc) {
        return kernel.connectionFactory(database, r2dbc, loops, beans.getBeanProvider(ReactorResourceFactory.class),
                customizers(beans), beans.getBeanProvider(ConnectionFactoryDecorator.class));
    }

    static ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers(StaticListableBeanFactory beans) {
        return beans.getBeanProvider(ConnectionFactoryOptionsBuilderCustomizer.class);
    }

    static String show(DatabaseClient db, String setting) {
        return db.sql("show " + setting).map(row -> row.get(0, String.class)).one().block();
    }

    /** Notes its name each time a connection is made through it, outermost first. */
    record Recording(String name, int order, List<String> made) implements ConnectionFactoryDecorator, Ordered {

        @Override
        public ConnectionFactory decorate(ConnectionFactory inner) {
            return new ConnectionFactory() {
                @Override
                public Publisher<? extends Connection> create() {
                    return Mono.defer(() -> {
                        made.add(name);
                        return Mono.from(inner.create());
                    });
                }

                @Override
                public ConnectionFactoryMetadata getMetadata() {
                    return inner.getMetadata();
                }
            };
        }

        @Override
        public int getOrder() {
            return order;
        }
    }
}
