package org.gridlink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A gateway that has not reached the identity provider's published keys yet: a request with a token is answered
 * 503 problem+json (the platform's fault: not a 401, which would send the person to sign in again, nor a 500) and
 * reaches no node; once the keys are published, the same token goes through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.config.name=gateway" })
@AutoConfigureWebTestClient(timeout = "20s")
class GatewayWithoutIdentityIT {

    static final String COMMUNITY = "410105002001";

    static final StubNode community = StubNode.start("community");
    static final TestTokens tokens = TestTokens.start();
    /** Where the gateway looks for the keys: nothing listens there until the test publishes them. */
    static final URI keysAt = URI.create(StubNode.closedPort() + "/oauth2/jwks");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("gridlink.gateway.nodes.community", () -> community.uri().toString());
        registry.add("gridlink.gateway.nodes.township", () -> StubNode.closedPort().toString());
        registry.add("gridlink.gateway.nodes.district", () -> StubNode.closedPort().toString());
        registry.add("gridlink.gateway.nodes.city", () -> StubNode.closedPort().toString());
        registry.add("gridlink.security.issuer", () -> tokens.issuer().toString());
        registry.add("gridlink.security.jwk-set-uri", keysAt::toString);
    }

    @AfterAll
    static void stop() {
        community.close();
        tokens.close();
    }

    @Autowired
    WebTestClient client;

    @Test
    void aTokenThatCannotBeCheckedYetIs503AndGoesThroughOnceTheKeysArePublished() throws Exception {
        String token = tokens.token("handler", COMMUNITY, List.of("HANDLER"), List.of());

        for (int i = 0; i < 2; i++) {
            TestTokens.expectKeysUnavailable(client.get().uri("/api/units/" + COMMUNITY + "/cases")
                    .headers(h -> h.setBearerAuth(token)).exchange(), keysAt.getPort());
        }
        assertThat(community.received()).isEmpty();

        // the identity provider comes up: its keys are published where the gateway looks
        AutoCloseable identity = tokens.publishKeysOn(keysAt.getPort());
        try {
            client.get().uri("/api/units/" + COMMUNITY + "/cases").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.node").isEqualTo("community");
            assertThat(community.received()).hasSize(1);
        } finally {
            identity.close();
        }
    }
}
