package org.gridlink.community;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Stream;
import org.gridlink.kernel.testing.TestInfrastructure;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A node that has not reached the identity provider's published keys yet (on a real PostgreSQL and broker): a request
 * with a token is answered 503 problem+json, never a 401 or a 500, and changes nothing; once the keys are published,
 * the same token is served.
 */
class NodeWithoutIdentityIT {

    static final String COMMUNITY = "410105001001";
    static ConfigurableApplicationContext node;
    static WebTestClient http;
    static TestTokens tokens;
    static int keysPort;

    @BeforeAll
    static void start() throws IOException {
        tokens = TestTokens.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            keysPort = socket.getLocalPort(); // nothing listens here until the test publishes the keys
        }
        String[] args = Stream.concat(Stream.of(TestInfrastructure.nodeProperties("node_without_identity_it")),
                Stream.of("--server.port=0", "--spring.main.banner-mode=off", tokens.nodeArgument(),
                        "--gridlink.security.jwk-set-uri=http://127.0.0.1:" + keysPort + "/oauth2/jwks"))
                .toArray(String[]::new);
        node = CommunityApplication.builder().run(args);
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        tokens.close();
    }

    @Test
    void aTokenThatCannotBeCheckedYetIs503AndIsServedOnceTheKeysArePublished() throws Exception {
        String token = tokens.token("supervisor." + COMMUNITY, COMMUNITY, List.of("SUPERVISOR"), List.of());

        TestTokens.expectKeysUnavailable(http.post().uri("/api/units/" + COMMUNITY + "/cases")
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"categoryCode\":\"GARBAGE_PILE\",\"title\":\"路边垃圾\",\"location\":{\"address\":\"经八路 1号\"}}")
                .exchange(), keysPort);
        TestTokens.expectKeysUnavailable(http.get().uri("/api/units/" + COMMUNITY + "/cases")
                .headers(h -> h.setBearerAuth(token)).exchange(), keysPort);

        // the identity provider comes up: its keys are published where the node looks
        AutoCloseable identity = tokens.publishKeysOn(keysPort);
        try {
            http.get().uri("/api/units/" + COMMUNITY + "/cases").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.items.length()").isEqualTo(0); // the refused report changed nothing
        } finally {
            identity.close();
        }
    }
}
