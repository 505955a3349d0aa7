package org.gridlink.kernel.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConnectionsTest {

    @Test
    void theNodesOwnSessionOptionsFromItsUrlAreKeptAndTheRelaysWin() {
        ConnectionFactoryOptions url = ConnectionFactoryOptions.parse(
                "r2dbc:postgresql://127.0.0.1:5432/gridlink?options=search_path=gridlink;synchronous_commit=on");

        assertThat(RelayConnections.session(url)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "search_path", "gridlink",
                "synchronous_commit", "off",
                "application_name", "gridlink-outbox-relay"));
    }

    @Test
    void sessionOptionsGivenAsAMapAreKeptToo() {
        ConnectionFactoryOptions given = ConnectionFactoryOptions.parse("r2dbc:postgresql://127.0.0.1:5432/gridlink")
                .mutate().option(PostgresqlConnectionFactoryProvider.OPTIONS, Map.of("lock_timeout", "5s")).build();

        assertThat(RelayConnections.session(given)).containsEntry("lock_timeout", "5s")
                .containsEntry("synchronous_commit", "off").hasSize(3);
    }

    @Test
    void withoutOptionsOfItsOwnTheRelaysAloneAreSet() {
        assertThat(RelayConnections.session(ConnectionFactoryOptions.parse("r2dbc:postgresql://127.0.0.1/gridlink")))
                .isEqualTo(RelayConnections.SESSION);
    }
}
