package org.gridlink.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class UnitRoutesTest {

    final List<String> passed = new ArrayList<>();
    final GatewayFilter retries = (exchange, chain) -> {
        passed.add("retries");
        return chain.filter(exchange);
    };
    final GatewayFilterChain node = exchange -> {
        passed.add("node");
        return Mono.empty();
    };

    final List<String> bodies = new ArrayList<>();
    final GatewayFilterChain readingNode = exchange -> DataBufferUtils.join(exchange.getRequest().getBody())
            .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
            .defaultIfEmpty("")
            .doOnNext(body -> {
                passed.add("node");
                bodies.add(body);
            })
            .then();

    /** The route's two filters of these, in its order: the body read whole, then the retries where they are safe. */
    static Mono<Void> route(GatewayFilter retries, MockServerWebExchange exchange, GatewayFilterChain node) {
        return UnitRoutes.BODY_READ_WHOLE.filter(exchange,
                read -> UnitRoutes.retriedWhereSafe(retries).filter(read, node));
    }

    @Test
    void aGetGoesThroughTheRetriesAsItIs() {
        MockServerWebExchange exchange = exchange(HttpMethod.GET, REPORTS);

        route(retries, exchange, node).block();

        assertThat(passed).containsExactly("retries", "node");
        assertThat(exchange.<Object>getAttribute(ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR)).isNull();
    }

    @Test
    void aReportWithAnIdempotencyKeyGoesThroughTheRetriesWithItsBodyKeptToBeSentAgain() {
        GatewayFilter twice = (exchange, chain) -> chain.filter(exchange).then(chain.filter(exchange));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post(REPORTS)
                .header("Idempotency-Key", "k-1")
                .contentLength(REPORT.length()).body(REPORT));

        route(twice, exchange, readingNode).block();

        // the request's own body can be read once; the kept copy is read whole by each try
        assertThat(bodies).containsExactly(REPORT, REPORT);
        assertThat(exchange.<Object>getAttribute(ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR)).isNotNull();
    }

    @Test
    void everyOtherRequestGoesOnceToTheNodeAndOnlyABodyIsReadWholeFirst() {
        List<MockServerHttpRequest> others = new ArrayList<>();
        for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.HEAD)) {
            others.add(MockServerHttpRequest.method(method, REPORTS).header("Idempotency-Key", "k-1").build());
        }
        // a report and an action without a key; a key on a path the node takes no key on
        others.add(MockServerHttpRequest.post(REPORTS).contentLength(REPORT.length()).body(REPORT));
        others.add(MockServerHttpRequest.post(REPORTS + "/c-1/actions").contentLength(REPORT.length()).body(REPORT));
        others.add(MockServerHttpRequest.post(REPORTS + "/c-1/actions/a-1").header("Idempotency-Key", "k-1")
                .contentLength(REPORT.length()).body(REPORT));
        others.add(MockServerHttpRequest.post(REPORTS + "/").header("Idempotency-Key", "k-1").contentLength(REPORT.length()).body(REPORT));
        others.add(MockServerHttpRequest.post("/api/units/410105001001/sub/cases").header("Idempotency-Key", "k-1")
                .contentLength(REPORT.length()).body(REPORT));
        others.add(MockServerHttpRequest.post("/api/units//cases").header("Idempotency-Key", "k-1").contentLength(REPORT.length()).body(REPORT));
        for (MockServerHttpRequest request : others) {
            passed.clear();
            bodies.clear();
            MockServerWebExchange exchange = MockServerWebExchange.from(request);
            String what = request.getMethod() + " " + request.getPath();

            route(retries, exchange, readingNode).block();

            assertThat(passed).as(what).containsExactly("node");
            assertThat(bodies).as(what).containsExactly(UnitRoutes.hasBody(request) ? REPORT : "");
            assertThat(exchange.<Object>getAttribute(ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR)).as(what)
                    .matches(cached -> (cached != null) == UnitRoutes.hasBody(request));
        }
    }

    @Test
    void onlyAReportAnEvidenceUploadAnActionASupervisionNoticeAPatrolsStepOrANoticeWithAKeyIsAppliedOnceUnderIt() {
        for (String path : List.of(REPORTS, REPORTS + "/c-1/evidence", REPORTS + "/c-1/actions",
                "/api/units/410105001000/supervision", PATROLS, PATROLS + "/p-1/check-ins", PATROLS + "/p-1/end",
                NOTICES, NOTICES + "/n-1/sign", "/api/units/410105001000/todo/officers/o-1/handover")) {
            assertThat(UnitRoutes.isAppliedOnceUnderItsKey(MockServerHttpRequest.post(path)
                    .header("idempotency-key", "k-1").build())).as(path).isTrue();
            assertThat(UnitRoutes.isAppliedOnceUnderItsKey(MockServerHttpRequest.post(path).build())).as(path).isFalse();
            assertThat(UnitRoutes.isAppliedOnceUnderItsKey(MockServerHttpRequest.put(path)
                    .header("Idempotency-Key", "k-1").build())).as(path).isFalse();
        }
        for (String path : List.of(REPORTS + "/c-1", REPORTS + "//actions", REPORTS + "/c-1/actions/a-1",
                REPORTS + "/c-1/duplicates", REPORTS + "//evidence",
                REPORTS + "/c-1/evidence/e-1", "/api/units/410105001000/supervision/n-1", "/api/units//supervision",
                "/api/units/410105001000/supervision/", "/api/units//cases",
                "/api/units/410105001001/sub/cases", REPORTS + "/", PATROLS + "/p-1", PATROLS + "//end",
                PATROLS + "/p-1/check-ins/1", PATROLS + "/coverage", NOTICES + "/n-1", NOTICES + "//sign",
                NOTICES + "/sent", NOTICES + "/n-1/sign/1", "/api/units/410105001000/todo/officers//handover",
                "/api/units/410105001000/todo/officers/o-1", "/api/units/410105001000/todo/handover")) {
            assertThat(UnitRoutes.isAppliedOnceUnderItsKey(MockServerHttpRequest.post(path)
                    .header("Idempotency-Key", "k-1").build())).as(path).isFalse();
        }
    }

    private static final String REPORTS = "/api/units/410105001001/cases";
    private static final String PATROLS = "/api/units/410105001001/patrols";
    private static final String NOTICES = "/api/units/410105001000/notices";
    private static final String REPORT = "{\"title\":\"rubbish\"}";

    private static MockServerWebExchange exchange(HttpMethod method, String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
    }
}
