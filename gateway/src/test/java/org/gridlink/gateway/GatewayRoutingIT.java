package org.gridlink.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of stub nodes: community 410105002001, township 410105002000, city 410100000000,
 * a unit node of its own for 410105001002, and a district node that is down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.config.name=gateway", "gridlink.gateway.timeout=1200ms",
                "gridlink.gateway.max-concurrent-calls=3",
                "gridlink.security.rate-limit.per-user=20", "gridlink.security.rate-limit.per-address=100000",
                "gridlink.security.rate-limit.period=10s" })
@AutoConfigureWebTestClient(timeout = "20s")
class GatewayRoutingIT {

    static final String COMMUNITY = "410105002001";
    static final String TOWNSHIP = "410105002000";
    static final String DISTRICT = "410105000000";
    static final String CITY = "410100000000";
    static final String OWN_NODE = "410105001002";

    static final StubNode community = StubNode.start("community");
    static final StubNode township = StubNode.start("township");
    static final StubNode city = StubNode.start("city");
    static final StubNode ownNode = StubNode.start("own-node");
    static final TestTokens tokens = TestTokens.start();
    static final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) {
        registry.add("gridlink.gateway.nodes.community", () -> community.uri().toString());
        registry.add("gridlink.gateway.nodes.township", () -> township.uri().toString());
        registry.add("gridlink.gateway.nodes.district", () -> StubNode.closedPort().toString());
        registry.add("gridlink.gateway.nodes.city", () -> city.uri().toString());
        registry.add("gridlink.gateway.unit-nodes." + OWN_NODE, () -> ownNode.uri().toString());
        registry.add("gridlink.security.issuer", () -> tokens.issuer().toString());
    }

    /** Counts each try the gateway makes to send a request on to a node (the last filter before the routing one). */
    @TestConfiguration
    static class Attempts {

        static final Map<String, AtomicInteger> BY_REQUEST = new ConcurrentHashMap<>();
        /** The requests that reached the routing filter with their body copied into memory. */
        static final Map<String, Boolean> BODY_COPIED = new ConcurrentHashMap<>();
        /** Whether the request reached the routing filter through the app's firewall, its request made once. */
        static final Map<String, Boolean> REQUEST_MADE_ONCE = new ConcurrentHashMap<>();

        static int of(String methodAndPath) {
            return BY_REQUEST.getOrDefault(methodAndPath, new AtomicInteger()).get();
        }

        @Bean
        GlobalFilter countingAttempts() {
            return new CountingFilter();
        }

        static final class CountingFilter implements GlobalFilter, Ordered {

            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
                BY_REQUEST.computeIfAbsent(request, key -> new AtomicInteger()).incrementAndGet();
                // Spring Cloud Gateway's copy of a body: the attribute, or for an empty body only its request
                // decorator (an inner class of ServerWebExchangeUtils, which also joined the body to read it)
                REQUEST_MADE_ONCE.put(request, exchange.getRequest() == exchange.getRequest()
                        && exchange.getRequest().getHeaders() == exchange.getRequest().getHeaders());
                BODY_COPIED.put(request, exchange.getAttribute(ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR) != null
                        || exchange.getRequest().getClass().getEnclosingClass() == ServerWebExchangeUtils.class);
                return chain.filter(exchange);
            }

            @Override
            public int getOrder() {
                return NettyRoutingFilter.ORDER - 1;
            }
        }
    }

    @AfterAll
    static void stopNodes() {
        community.close();
        township.close();
        city.close();
        ownNode.close();
        tokens.close();
    }

    @Autowired
    WebTestClient anonymous;

    /** Signed in as a user of its own in each test, so that one test's requests never count against another's limit. */
    WebTestClient client;
    String token;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @Autowired
    reactor.netty.http.client.HttpClient toNodes;

    @Autowired
    ReactiveResilience4jBulkheadProvider bulkheads;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @BeforeEach
    void freshNodesAndBreakers() {
        Arrays.asList(community, township, city, ownNode).forEach(StubNode::reset);
        Attempts.BY_REQUEST.clear();
        Attempts.BODY_COPIED.clear();
        Attempts.REQUEST_MADE_ONCE.clear();
        breakers.getCircuitBreakerRegistry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        token = token("tester-" + users.incrementAndGet());
        client = anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    static String token(String user) {
        return tokens.token(user, COMMUNITY, java.util.List.of("HANDLER"), java.util.List.of());
    }

    @Test
    void aGetForACommunityReachesTheCommunityNodeWithPathQueryAndToken() {
        client.get().uri("/api/units/" + COMMUNITY + "/cases?status=REPORTED&limit=20")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("community");

        assertThat(community.received()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.uri()).isEqualTo("/api/units/" + COMMUNITY + "/cases?status=REPORTED&limit=20");
            assertThat(request.authorization()).isEqualTo("Bearer " + token);
        });
        // through HeaderFirewall's firewall, which makes the firewalled request and its headers once per exchange
        assertThat(Attempts.REQUEST_MADE_ONCE).containsEntry("GET /api/units/" + COMMUNITY + "/cases", true);
    }

    @Autowired
    FilteringWebHandler routeHandler;

    @Test
    void eachRoutesFiltersAreSortedOnceAndKept() {
        // gateway.yml's route-filter-cache-enabled: the handler keeps each route's filters with the global ones, in
        // their order, instead of copying and sorting them again for every request
        client.get().uri("/api/units/" + COMMUNITY + "/cases").exchange().expectStatus().isOk();
        Map<?, ?> kept = (Map<?, ?>) ReflectionTestUtils.getField(routeHandler, "routeFilterMap");
        assertThat(kept).isNotEmpty();
        Map<Object, Object> before = new IdentityHashMap<>();
        kept.forEach(before::put);

        client.get().uri("/api/units/" + COMMUNITY + "/cases/c-9").exchange().expectStatus().isOk();
        before.forEach((route, filters) -> assertThat(kept.get(route)).isSameAs(filters));
    }

    @Test
    void aRequestsOwnHeadersReachTheNodeButNotForwardingClaimsOrHopByHopHeaders() {
        // the gateway trusts no proxy in front of it: what a client says about forwarding is dropped, as are the
        // hop-by-hop headers and those Connection names (LeanHeaderFilters answers as Spring Cloud Gateway's own)
        client.get().uri("/api/units/" + COMMUNITY + "/cases")
                .header("Forwarded", "for=203.0.113.9;proto=https")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Prefix", "/evil")
                .header("Connection", "X-Hop-Secret")
                .header("X-Hop-Secret", "not for the node")
                .header("Keep-Alive", "timeout=5")
                .header("X-Request-Id", "r-42")
                .header("Accept-Language", "zh-CN")
                .exchange()
                .expectStatus().isOk();
        client.get().uri("/api/units/" + COMMUNITY + "/cases/c-2")
                .header("X-Request-Id", "r-43")
                .exchange()
                .expectStatus().isOk();

        assertThat(community.received()).hasSize(2);
        StubNode.Received spoofed = community.received().get(0);
        assertThat(spoofed.header("Forwarded")).isEmpty();
        assertThat(spoofed.header("X-Forwarded-For")).isEmpty();
        assertThat(spoofed.header("X-Forwarded-Prefix")).isEmpty();
        assertThat(spoofed.header("X-Hop-Secret")).isEmpty();
        assertThat(spoofed.header("Keep-Alive")).isEmpty();
        assertThat(spoofed.header("X-Request-Id")).containsExactly("r-42");
        assertThat(spoofed.header("Accept-Language")).containsExactly("zh-CN");
        assertThat(spoofed.authorization()).isEqualTo("Bearer " + token);
        StubNode.Received plain = community.received().get(1);
        assertThat(plain.header("X-Request-Id")).containsExactly("r-43");
        assertThat(plain.authorization()).isEqualTo("Bearer " + token);
    }

    @Test
    void aPostForACommunityReachesTheCommunityNodeWithItsBodyAndTheLocationComesBack() {
        String report = """
                {"categoryCode":"0101","title":"积水 water on the road","location":{"lat":34.77,"lon":113.68,"address":"经八路"}}""";

        client.post().uri("/api/units/" + COMMUNITY + "/cases/created?source=console")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(report)
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/units/410105002001/cases/c-1")
                .expectBody().jsonPath("$.caseId").isEqualTo("c-1");

        assertThat(community.received()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.uri()).isEqualTo("/api/units/" + COMMUNITY + "/cases/created?source=console");
            assertThat(request.authorization()).isEqualTo("Bearer " + token);
            assertThat(request.contentType()).startsWith("application/json");
            assertThat(request.body()).isEqualTo(report);
        });
    }

    @Test
    void aTownshipCodeReachesTheTownshipNodeAndTheUnitWithItsOwnNodeReachesThat() {
        client.get().uri("/api/units/" + TOWNSHIP).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("township");
        client.get().uri("/api/units/" + CITY + "/children").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("city");
        client.get().uri("/api/units/" + OWN_NODE + "/cases").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("own-node");

        assertThat(township.received()).extracting(StubNode.Received::uri).containsExactly("/api/units/" + TOWNSHIP);
        assertThat(ownNode.received()).extracting(StubNode.Received::uri).containsExactly("/api/units/" + OWN_NODE + "/cases");
        assertThat(community.received()).isEmpty();
    }

    @Test
    void aProblemTheNodeAnswersPassesThroughUnchangedAndDoesNotTripTheBreaker() {
        for (int i = 0; i < 15; i++) {
            client.post().uri("/api/units/" + TOWNSHIP + "/cases/c-1/conflict")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"action\":\"ACCEPT\"}")
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).isEqualTo(StubNode.CONFLICT);
        }

        assertThat(township.calls("/api/units/" + TOWNSHIP + "/cases/c-1/conflict")).isEqualTo(15);
        CircuitBreaker breaker = breakers.getCircuitBreakerRegistry().circuitBreaker("tier-township");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aNodeThatIsDownAnswers503NamingTheTierForGetAndPost() {
        client.get().uri("/api/units/" + DISTRICT + "/cases").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.title").isEqualTo("The district tier is unavailable")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).startsWith("the district tier is unavailable"))
                .jsonPath("$.tier").isEqualTo("district")
                .jsonPath("$.instance").isEqualTo("/api/units/" + DISTRICT + "/cases");

        client.post().uri("/api/units/" + DISTRICT + "/cases")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"x\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectBody()
                .jsonPath("$.title").isEqualTo("The district tier is unavailable")
                .jsonPath("$.instance").isEqualTo("/api/units/" + DISTRICT + "/cases");

        for (String method : new String[] { "PUT", "PATCH", "DELETE" }) {
            client.method(org.springframework.http.HttpMethod.valueOf(method)).uri("/api/units/" + DISTRICT + "/cases/c-1")
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void aNodeThatHangsAnswers503AfterTheTimeoutForGetAndPost() {
        long started = System.nanoTime();
        client.get().uri("/api/units/" + CITY + "/reports/slow").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("The city tier is unavailable")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("did not answer within 1 s"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        // the time limit is gridlink.gateway.timeout as the response timeout of the call's connection (no timer on
        // Reactor's parallel scheduler: neither Spring Cloud Gateway's nor the breaker's time limiter)
        assertThat(toNodes.configuration().responseTimeout()).isEqualTo(Duration.ofMillis(1200));

        client.post().uri("/api/units/" + CITY + "/cases/slow")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // a timeout is not a connection failure: neither request is sent twice
        assertThat(city.calls("/api/units/" + CITY + "/reports/slow")).isEqualTo(1);
        assertThat(city.calls("/api/units/" + CITY + "/cases/slow")).isEqualTo(1);
    }

    @Test
    void aClientThatHoldsBackItsBodyIsAnswered408AfterTheTimeout() throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000); // the node's answer takes 5 s; without the request timeout nothing comes
            long started = System.nanoTime();
            java.io.OutputStream out = socket.getOutputStream();
            // 100 bytes announced, 4 sent
            out.write(("POST /api/units/" + COMMUNITY + "/cases/held HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"ti").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 408");
            StringBuilder answer = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                answer.append(line).append('\n');
            }
            assertThat(answer.toString()).containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"title\":\"Request timeout\"").contains("did not all arrive within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofMillis(1100), Duration.ofSeconds(4));
        }
    }

    @Test
    void aCallOverTheNodesBulkheadIsAnswered503AtOnceNamingTheCause() {
        assertThat(bulkheads.getBulkheadRegistry().bulkhead("tier-city").getBulkheadConfig().getMaxConcurrentCalls())
                .isEqualTo(3);
        // three calls hang at the city node (5 s each, cut at 1.2 s); the fourth finds the bulkhead full
        org.springframework.web.reactive.function.client.WebClient web = org.springframework.web.reactive.function
                .client.WebClient.builder().baseUrl("http://127.0.0.1:" + port).defaultHeaders(h -> h.setBearerAuth(token))
                .build();
        reactor.core.Disposable running = Flux.range(0, 3)
                .flatMap(i -> web.get().uri("/api/units/" + CITY + "/reports/slow")
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())))
                .subscribe();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> city.calls("/api/units/" + CITY + "/reports/slow") == 3);
        long started = System.nanoTime();
        client.get().uri("/api/units/" + CITY + "/reports/slow").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.tier").isEqualTo("city")
                .jsonPath("$.detail").value(String.class, detail ->
                        assertThat(detail).contains("already has 3 calls open to its node"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(city.calls("/api/units/" + CITY + "/reports/slow")).isEqualTo(3);
        running.dispose();
    }

    @Test
    void aGetIsRetriedWhenTheNodeAnswers503Once() {
        client.get().uri("/api/units/" + COMMUNITY + "/cases/flaky").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("community");

        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases/flaky")).isEqualTo(2);
        // sent on as it came, both times: no copy of its (empty) body
        assertThat(Attempts.of("GET /api/units/" + COMMUNITY + "/cases/flaky")).isEqualTo(2);
        assertThat(Attempts.BODY_COPIED).containsEntry("GET /api/units/" + COMMUNITY + "/cases/flaky", false);
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNeverRetried() {
        client.post().uri("/api/units/" + COMMUNITY + "/cases/flaky")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"once\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.tier").isEqualTo("community");
        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases/flaky")).isEqualTo(1);

        // a report and an action without a key (the node would apply them twice)
        postJson("/api/units/" + COMMUNITY + "/cases?stub=flaky", null, "{\"title\":\"once\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases")).isEqualTo(1);
        postJson("/api/units/" + COMMUNITY + "/cases/c-1/actions?stub=flaky", null, "{\"action\":\"ACCEPT\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases/c-1/actions")).isEqualTo(1);
    }

    @Test
    void anActionWithAnIdempotencyKeyIsSentAgainWhenTheNodeAnswers503() {
        String action = "{\"action\":\"RESOLVE\",\"note\":\"cleared\"}";
        postJson("/api/units/" + COMMUNITY + "/cases/c-2/actions?stub=flaky", "action-1", action)
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("community");

        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases/c-2/actions")).isEqualTo(2);
        assertThat(community.received()).hasSize(2).allSatisfy(received -> {
            assertThat(received.body()).isEqualTo(action);
            assertThat(received.header("Idempotency-Key")).containsExactly("action-1");
        });
    }

    @Test
    void aReportWithAnIdempotencyKeyIsSentAgainWithItsWholeBodyWhenTheNodeAnswers503() {
        String report = "{\"title\":\"rubbish at the gate\",\"notes\":\"" + "x".repeat(20_000) + "\"}";
        postJson("/api/units/" + COMMUNITY + "/cases?stub=flaky", "report-1", report)
                .expectStatus().isOk()
                .expectBody().jsonPath("$.node").isEqualTo("community");

        assertThat(community.calls("/api/units/" + COMMUNITY + "/cases")).isEqualTo(2);
        assertThat(Attempts.BODY_COPIED).containsEntry("POST /api/units/" + COMMUNITY + "/cases", true);
        assertThat(community.received()).hasSize(2).allSatisfy(received -> {
            assertThat(received.body()).isEqualTo(report);
            assertThat(received.header("Idempotency-Key")).containsExactly("report-1");
        });
    }

    @Test
    void aReportWithAnIdempotencyKeyIsSentAgainWhenTheNodeCannotBeReached() {
        // the district's node is down (a closed port): each try is refused before anything is sent
        postJson("/api/units/" + DISTRICT + "/cases", "report-2", "{\"title\":\"x\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.tier").isEqualTo("district");

        // the first try and two retries; a report without a key is tried once
        assertThat(Attempts.of("POST /api/units/" + DISTRICT + "/cases")).isEqualTo(3);
        postJson("/api/units/" + DISTRICT + "/cases", null, "{\"title\":\"x\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(Attempts.of("POST /api/units/" + DISTRICT + "/cases")).isEqualTo(4);
    }

    /** A JSON POST as the signed-in tester, with an {@code Idempotency-Key} unless {@code key} is null. */
    private WebTestClient.ResponseSpec postJson(String path, String key, String json) {
        return client.post().uri(path)
                .headers(h -> {
                    if (key != null) {
                        h.set("Idempotency-Key", key);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    @Test
    void aNodeThatKeepsFailingOpensItsBreakerAndTheGatewayStopsCallingIt() {
        for (int i = 0; i < 10; i++) {
            client.post().uri("/api/units/" + TOWNSHIP + "/cases/unavailable").bodyValue("{}").exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        assertThat(breakers.getCircuitBreakerRegistry().circuitBreaker("tier-township").getState())
                .isEqualTo(CircuitBreaker.State.OPEN);

        client.get().uri("/api/units/" + TOWNSHIP).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("stopped calling it"));
        assertThat(township.calls("/api/units/" + TOWNSHIP)).isZero();
        // other tiers keep working
        client.get().uri("/api/units/" + COMMUNITY).exchange().expectStatus().isOk();
    }

    @Test
    void aCodeThatIsNotAUnitCodeIsABadRequest() {
        for (String code : new String[] { "12345", "41010500200x", "410000000000" }) {
            client.get().uri("/api/units/" + code + "/cases").exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.title").isEqualTo("Not a unit code")
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(code).contains("12 digits"));
        }
        client.post().uri("/api/units/abc").bodyValue("{}").exchange().expectStatus().isBadRequest();
    }

    @Test
    void anUnknownApiPathIsANotFoundProblem() {
        client.get().uri("/api/nothing-here").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("No such API");
        client.post().uri("/api/units").bodyValue("{}").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/no-such-page.html").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // only a breaker may forward to a fallback
        client.get().uri("/fallback/community").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBodyOverOneMegabyteIsRefusedWith413() {
        client.post().uri("/api/units/" + COMMUNITY + "/cases")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[1024 * 1024 + 1])
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Request too large")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("1048576 bytes"));

        assertThat(community.received()).isEmpty();
    }

    @Test
    void aChunkedBodyIsLimitedTooAndForwardedWhenSmallEnough() {
        client.post().uri("/api/units/" + COMMUNITY + "/cases")
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(BodyInserters.fromDataBuffers(chunks(300, 4096)))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(community.received()).isEmpty();

        client.post().uri("/api/units/" + COMMUNITY + "/cases")
                .contentType(MediaType.TEXT_PLAIN)
                .body(BodyInserters.fromDataBuffers(chunks(3, 10)))
                .exchange()
                .expectStatus().isOk();
        assertThat(community.received()).singleElement()
                .extracting(StubNode.Received::body).isEqualTo("a".repeat(30));
    }

    @Test
    void thePlatformIsDescribedByTheGateway() {
        anonymous.get().uri("/api/platform").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cityCode").isEqualTo("410100000000")
                .jsonPath("$.name").isEqualTo("郑州市")
                .jsonPath("$.tiers.community").isEqualTo(community.uri().toString())
                .jsonPath("$.tiers.city").isEqualTo(city.uri().toString())
                .jsonPath("$.identity.issuer").isEqualTo(tokens.issuer().toString())
                .jsonPath("$.identity.clientId").isEqualTo("gridlink-console");
    }

    @Test
    void theConsoleIsServedAtTheRootWithTheBrowserSecurityHeaders() {
        anonymous.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "strict-origin-when-cross-origin")
                .expectHeader().valueEquals("X-XSS-Protection", "0")
                .expectHeader().doesNotExist("Strict-Transport-Security") // plain HTTP here
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("default-src 'self'").contains("connect-src 'self' " + tokens.issuer())
                        .contains("frame-ancestors 'none'"))
                .expectBody(String.class).value(html -> assertThat(html).contains("gridlink").contains("id=\"error\"").contains("app.js"));
        anonymous.get().uri("/app.js").exchange().expectStatus().isOk();
    }

    @Test
    void healthAndPrometheusAreExposed() {
        anonymous.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        // an authenticated API call, so that Spring Security's filter chain, authentication and authorization ran
        client.get().uri("/api/units/" + COMMUNITY + "/cases").exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(metrics -> assertThat(metrics).contains("jvm_")
                        .contains("http_server_requests_seconds_count")
                        // no observations of Spring Security's own (SecurityObservations): a cost per request, read by nobody
                        .doesNotContain("spring_security_"));
    }

    @Test
    void aUnitsOpen311DiscoveryReachesItsNodeWithoutAToken() {
        // Open311's service discovery is read before an app has a key (the node's own security lets it by too)
        anonymous.get().uri("/api/units/" + COMMUNITY + "/open311/discovery.json")
                .header("X-Forwarded-Host", "evil.example")
                .exchange()
                .expectStatus().isOk();
        assertThat(community.received()).singleElement().satisfies(request -> {
            assertThat(request.uri()).isEqualTo("/api/units/" + COMMUNITY + "/open311/discovery.json");
            assertThat(request.authorization()).isNull();
            assertThat(request.header("X-Forwarded-Host")).isEmpty();
        });
        // nothing else of a unit's is open: the endpoint itself, a POST to the discovery
        anonymous.get().uri("/api/units/" + COMMUNITY + "/open311/v2/services.json").exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/units/" + COMMUNITY + "/open311/discovery.json").exchange()
                .expectStatus().isUnauthorized();
        assertThat(community.received()).hasSize(1);
    }

    @Test
    void theApiNeedsATokenFromTheTrustedProviderAndNothingElseReachesANode() {
        anonymous.get().uri("/api/units/" + COMMUNITY + "/cases").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*")
                .expectBody().jsonPath("$.status").isEqualTo(401);
        anonymous.post().uri("/api/units/" + COMMUNITY + "/cases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"x\"}").exchange().expectStatus().isUnauthorized();
        String expired = tokens.token("late", COMMUNITY, java.util.List.of("HANDLER"), java.util.List.of(),
                java.time.Instant.now().minus(Duration.ofMinutes(2)));
        anonymous.get().uri("/api/units/" + COMMUNITY + "/cases").headers(h -> h.setBearerAuth(expired)).exchange()
                .expectStatus().isUnauthorized();
        try (TestTokens stranger = TestTokens.start()) {
            String foreign = stranger.token("intruder", COMMUNITY, java.util.List.of("SUPERVISOR"), java.util.List.of());
            anonymous.get().uri("/api/units/" + COMMUNITY + "/cases").headers(h -> h.setBearerAuth(foreign)).exchange()
                    .expectStatus().isUnauthorized();
        }
        String[] parts = token.split("\\.");
        String tamperedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                        .replace(COMMUNITY, CITY).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + tamperedPayload + "." + parts[2];
        anonymous.get().uri("/api/units/" + COMMUNITY + "/cases").headers(h -> h.setBearerAuth(tampered)).exchange()
                .expectStatus().isUnauthorized();
        assertThat(community.received()).isEmpty();
    }

    @Test
    void aBurstFromOneUserIsLimitedWhileAnotherUserGoesOn() {
        WebTestClient greedy = anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token("greedy-" + users.get()))).build();
        WebTestClient patient = anonymous.mutate().defaultHeaders(h -> h.setBearerAuth(token("patient-" + users.get()))).build();
        int refused = 0;
        String retryAfter = null;
        for (int i = 0; i < 30; i++) {
            var result = greedy.get().uri("/api/units/" + COMMUNITY + "/cases").exchange().returnResult(String.class);
            if (result.getStatus().value() == 429) {
                refused++;
                retryAfter = result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            } else {
                assertThat(result.getStatus().value()).isEqualTo(200);
            }
            if (i % 5 == 0) {
                patient.get().uri("/api/units/" + COMMUNITY + "/cases").exchange().expectStatus().isOk();
            }
        }
        // 20 per 10 s each: the greedy user's last 10 are refused; the patient one's 6 all pass
        assertThat(refused).isEqualTo(10);
        assertThat(retryAfter).isEqualTo("10");
        assertThat(community.received()).hasSize(20 + 6);
    }

    @Test
    void crossOriginCallsAreAllowedOnlyFromTheConsolesOrigins() {
        anonymous.options().uri("/api/units/" + COMMUNITY + "/cases")
                .header(HttpHeaders.ORIGIN, "http://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    private static Flux<DataBuffer> chunks(int count, int size) {
        return Flux.range(0, count).map(i -> DefaultDataBufferFactory.sharedInstance.wrap("a".repeat(size).getBytes()));
    }
}
