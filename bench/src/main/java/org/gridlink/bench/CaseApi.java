package org.gridlink.bench;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.gridlink.bench.driver.Failures;
import org.gridlink.identity.client.PkceLogin;
import org.gridlink.seeds.CaseBatch;
import tools.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The case API as the benchmark calls it, asynchronously with the JDK's HTTP client, at any base URL (the gateway or a
 * node itself: both check the same bearer token), always as the supervisor of the unit in question, whose token is
 * got by the browser's login flow (PKCE) at the identity service, and again before it expires.
 */
final class CaseApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final java.util.regex.Pattern NEXT_CURSOR = java.util.regex.Pattern.compile(
            "\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final String issuer;
    private final String redirectUri;
    private final AccessTokens tokens;
    private final boolean idempotencyKeys;
    private final Failures failures = new Failures(first -> BenchPlatform.say("first failure of its kind: " + first));

    /** {@code idempotencyKeys}: every report with an {@code Idempotency-Key} of its own, as the console sends them. */
    CaseApi(String issuer, String gatewayUrl, boolean idempotencyKeys) {
        this.idempotencyKeys = idempotencyKeys;
        this.issuer = issuer;
        this.redirectUri = gatewayUrl + "/";
        this.tokens = new AccessTokens(u -> PkceLogin.accessToken(URI.create(issuer), "gridlink-console",
                URI.create(redirectUri), "supervisor." + u, "supervisor-demo"), System::currentTimeMillis,
                ForkJoinPool.commonPool());
        // Reactor Netty rather than the JDK's client: the driver shares the machine's two cores with the platform it
        // measures, and the JDK's client cost about 1.4 ms of CPU per request here (13.8% of the cores at 194
        // reports/s), about what the gateway costs. Connections as many as the open loop needs, never a queue of
        // its own: a request that waits, waits for the platform.
        this.http = HttpClient.create(ConnectionProvider.builder("bench").maxConnections(2_000)
                        .pendingAcquireMaxCount(-1).pendingAcquireTimeout(TIMEOUT).build())
                .runOn(LoopResources.create("bench-http", 2, true))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .responseTimeout(TIMEOUT);
    }

    /** What a request was answered: its status and body (the driver reads nothing else). */
    record Reply(String method, URI uri, int statusCode, String body) {
    }

    /** The unit's supervisor's token: logged in (PKCE) once, and again before it expires ({@link AccessTokens}). */
    String token(String unit) {
        return tokens.token(unit);
    }

    /** A report in the community's first grid cell, as {@code Api.aReport} in the cross-tier tests. */
    static String aReport(String community, String title) {
        return """
                {"categoryCode":"GARBAGE_PILE","title":"%s","description":"found on patrol",\
                "location":{"lat":34.77,"lon":113.68,"address":"经八路 12号"},"gridCode":"%s-01",\
                "source":"GRID_PATROL","reporter":"grid-worker-7"}""".formatted(title, community);
    }

    /**
     * A planned case's report ({@link CaseBatch}): its category, source and grid cell, an address and no coordinates
     * (the cell is named, so nothing needs placing; a generated city's cells are not where the address is).
     */
    static String aReport(CaseBatch.PlannedCase c) {
        return """
                {"categoryCode":"%s","title":"bench case %d","description":"planned by CaseBatch",\
                "location":{"address":"bench"},%s"source":"%s","reporter":"grid-worker-7"}""".formatted(c.category(),
                c.n(), c.gridCode() == null ? "" : "\"gridCode\":\"" + c.gridCode() + "\",", c.source());
    }

    /** A report of the category in the grid cell (none: no cell), an address and no coordinates. */
    static String aReport(String category, String title, String gridCode, String source) {
        return """
                {"categoryCode":"%s","title":"%s","description":"bench","location":{"address":"bench"},%s\
                "source":"%s","reporter":"grid-worker-7"}""".formatted(category, title,
                gridCode == null ? "" : "\"gridCode\":\"" + gridCode + "\",", source);
    }

    CompletableFuture<Reply> report(String base, String community, String json) {
        return send(base, community, "POST", "/api/units/" + community + "/cases", json);
    }

    CompletableFuture<Reply> report(String base, CaseBatch.PlannedCase c) {
        return send(base, c.community(), "POST", "/api/units/" + c.community() + "/cases", aReport(c));
    }

    CompletableFuture<Reply> report(String base, String community) {
        return send(base, community, "POST", "/api/units/" + community + "/cases", aReport(community, "bench intake"));
    }

    CompletableFuture<Reply> act(String base, String unit, String caseId, String action) {
        String body = "ESCALATE".equals(action) ? "{\"action\":\"ESCALATE\",\"note\":\"beyond this level (bench)\"}"
                : "{\"action\":\"" + action + "\"}";
        return send(base, unit, "POST", "/api/units/" + unit + "/cases/" + caseId + "/actions", body);
    }

    CompletableFuture<Reply> read(String base, String unit, String caseId) {
        return send(base, unit, "GET", "/api/units/" + unit + "/cases/" + caseId, null);
    }

    /** A page of the unit's queue; {@code query}: the parameters, such as {@code limit=20&cursor=123}. */
    CompletableFuture<Reply> queue(String base, String unit, String query) {
        return send(base, unit, "GET", "/api/units/" + unit + "/cases?" + query, null);
    }

    /** The unit's figures ({@code GET …/stats}); {@code query} as for {@link #queue}, or empty. */
    CompletableFuture<Reply> stats(String base, String unit, String query) {
        return send(base, unit, "GET", "/api/units/" + unit + "/stats" + (query.isEmpty() ? "" : "?" + query), null);
    }

    /** The assessment of the unit's children for {@code period} ({@code GET …/assessment?period=YYYY-MM}). */
    CompletableFuture<Reply> assessment(String base, String unit, String period) {
        return send(base, unit, "GET", "/api/units/" + unit + "/assessment?period=" + period, null);
    }

    /** A plain GET with no token (the bare endpoint). */
    CompletableFuture<Reply> get(String url) {
        return exchange("GET", url, null, null);
    }

    private CompletableFuture<Reply> send(String base, String unit, String method, String path,
                                                         String body) {
        return exchange(body == null ? "GET" : method, base + path, "Bearer " + token(unit), body);
    }

    private CompletableFuture<Reply> exchange(String method, String url, String authorization, String body) {
        URI uri = URI.create(url);
        // the headers set on the request itself: HttpClient.headers(…) would copy the client's configuration per request
        return http.request(HttpMethod.valueOf(method)).uri(uri)
                .send((request, outbound) -> {
                    if (authorization != null) {
                        request.header(HttpHeaderNames.AUTHORIZATION, authorization);
                    }
                    if (body == null) {
                        return outbound;
                    }
                    request.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    if (idempotencyKeys && uri.getRawPath().endsWith("/cases")) {
                        request.header("Idempotency-Key", UUID.randomUUID().toString());
                    }
                    return outbound.sendString(Mono.just(body), StandardCharsets.UTF_8);
                })
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new Reply(method, uri, response.status().code(), text)))
                .doOnNext(reply -> {
                    if (!ok(reply)) {
                        failures.answered(method, uri.getRawPath(), reply.statusCode(), reply.body());
                    }
                })
                .doOnError(error -> failures.ended(method, uri.getRawPath(), error))
                .toFuture();
    }

    /** The requests that failed so far, by kind (status and problem title, or exception), most first. */
    Map<String, Long> failures() {
        return failures.counts();
    }

    static boolean ok(Reply response) {
        return response.statusCode() / 100 == 2;
    }

    static String caseId(Reply response) {
        return json(response).path("caseId").asString();
    }

    /** An instant field of a case view, such as {@code createdAt} or {@code updatedAt}. */
    static Instant instant(Reply response, String field) {
        return Instant.parse(json(response).path(field).asString());
    }

    /** The keyset cursor of the next page of a queue page, found without parsing the page; empty on the last page. */
    static java.util.Optional<String> nextCursor(String body) {
        java.util.regex.Matcher m = NEXT_CURSOR.matcher(body);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    static JsonNode json(Reply response) {
        if (!ok(response)) {
            throw new IllegalStateException(response.method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
