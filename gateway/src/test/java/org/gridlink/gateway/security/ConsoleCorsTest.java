package org.gridlink.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;

/** A console served from another origin than the gateway's can send what the console sends and read what it reads. */
class ConsoleCorsTest {

    static final String CONSOLE = "http://localhost:3000";
    static final String ACTIONS = "http://localhost:8080/api/units/410105001001/cases/3f1c2e4a-0000-4000-8000-000000000001/actions";

    @Test
    void aPreflightForAnActionOnAVersionOrAKeyedReportIsAllowed() {
        MockServerWebExchange preflight = MockServerWebExchange.from(MockServerHttpRequest.options(ACTIONS)
                .header("Origin", CONSOLE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key, if-match"));

        boolean allowed = process(preflight);

        assertThat(allowed).isTrue();
        assertThat(preflight.getResponse().getHeaders().getAccessControlAllowHeaders())
                .containsExactlyInAnyOrder("authorization", "content-type", "idempotency-key", "if-match");
    }

    @Test
    void aRecordsVersionAndAReportsLocationCanBeReadFromAnAnswer() {
        MockServerWebExchange read = MockServerWebExchange.from(MockServerHttpRequest.get(ACTIONS)
                .header("Origin", CONSOLE));

        assertThat(process(read)).isTrue();
        assertThat(read.getResponse().getHeaders().getAccessControlExposeHeaders())
                .contains("ETag", "Location", "Retry-After");
    }

    @Test
    void anotherOriginOrAHeaderTheConsoleNeverSendsIsRefused() {
        MockServerWebExchange stranger = MockServerWebExchange.from(MockServerHttpRequest.options(ACTIONS)
                .header("Origin", "http://localhost:4000")
                .header("Access-Control-Request-Method", "POST"));
        MockServerWebExchange otherHeader = MockServerWebExchange.from(MockServerHttpRequest.options(ACTIONS)
                .header("Origin", CONSOLE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-acting-as"));

        assertThat(process(stranger)).isFalse();
        assertThat(stranger.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(process(otherHeader)).isFalse();
    }

    private static boolean process(MockServerWebExchange exchange) {
        return new DefaultCorsProcessor().process(GatewaySecurity.cors(List.of(CONSOLE)).getCorsConfiguration(exchange),
                exchange);
    }
}
