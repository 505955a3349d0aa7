package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The gateway in front of real nodes: a down tier is a quick 503 naming it, for reads and writes alike. */
class GatewayIT {

    static TestPlatform platform;
    static WebTestClient http;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        http = platform.gateway();
    }

    @Test
    void aDownTierAnswers503NamingItForGetAndPostAndComesBack() {
        platform.crashNode(Tier.TOWNSHIP);
        try {
            for (var request : new WebTestClient.RequestHeadersSpec<?>[] {
                    http.get().uri("/api/units/{u}/cases", JINGBALU),
                    http.post().uri("/api/units/{u}/cases", JINGBALU).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Api.aReport("GARBAGE_PILE", "while the township is down"))}) {
                request.exchange().expectStatus().isEqualTo(503)
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.tier").isEqualTo("township")
                        .jsonPath("$.title").value(t -> assertThat((String) t).contains("township"));
            }
            // the other tiers are not affected
            http.get().uri("/api/units/{u}", JINGBALU_COMMUNITY).exchange().expectStatus().isOk();
        } finally {
            platform.startNode(Tier.TOWNSHIP, null);
        }
        http.get().uri("/api/units/{u}", JINGBALU).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.children.length()").isEqualTo(3);
    }

    @Test
    void theConsoleAndThePlatformSummaryAreServed() {
        http.get().uri("/").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("gridlink", "app.js"));
        http.get().uri("/api/platform").exchange().expectStatus().isOk()
                .expectBody(Map.class).value(m -> assertThat(m.get("cityCode")).isEqualTo("410100000000"));
    }

    @Test
    void unknownPathsAnswerProblemJson() {
        http.get().uri("/api/nothing-here").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /**
     * A client may send its next request on a keep-alive connection as soon as it has the last answer, before the
     * server has finished with it. Reactor Netty 1.3.6 queued such a request and, when it was answered at once (a 404
     * here, a 429, the platform summary), never read the socket again: the client's next request hung until it gave
     * up (reactor-netty#4361; GatewayIT's 404 test hung 30 s in CI that way). Two requests in one write queue the
     * second behind the first, a read that goes to a node's database; the third must still be answered.
     */
    @Test
    void aKeepAliveConnectionGoesOnReadingAfterAQueuedRequestAnsweredAtOnce() throws IOException {
        URI base = URI.create(platform.gatewayUrl());
        String token = platform.token("supervisor.410105001001");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((get("/api/units/" + JINGBALU_COMMUNITY, token) + get("/api/nothing-here", token))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 404 Not Found");

            out.write(get("/api/units/" + JINGBALU_COMMUNITY, token).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the gateway stopped reading the connection: no answer in 10 s", e);
            }
        }
    }

    private static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nAuthorization: Bearer "
                + token + "\r\n\r\n";
    }

    /** Reads one whole response (a Content-Length or a chunked body) and gives its status line. */
    private static String statusLine(InputStream in) throws IOException {
        String status = line(in);
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String name = header.substring(0, header.indexOf(':')).trim();
            String value = header.substring(header.indexOf(':') + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            in.readNBytes((int) length);
            return status;
        }
        for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
            in.readNBytes((int) size);
            line(in);
        }
        while (!line(in).isEmpty()) {
            // trailers
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
