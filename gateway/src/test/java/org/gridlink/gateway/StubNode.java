package org.gridlink.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A plain HTTP server standing in for a tier's node. It records what reaches it and, by the last path
 * segment, misbehaves on purpose: {@code conflict} answers 409 problem+json, {@code flaky} fails once with
 * 503, {@code unavailable} always answers 503, {@code slow} takes 5 s, {@code created} answers 201 with a
 * Location; anything else answers 200 naming the node. A query {@code ?stub=flaky} (or another of them) asks
 * for that behaviour on any path.
 */
final class StubNode implements AutoCloseable {

    static final String CONFLICT = """
            {"type":"about:blank","title":"Conflict","status":409,"detail":"case c-1 was already accepted","caseId":"c-1"}""";

    record Received(String method, String uri, String authorization, String contentType, String body,
                    Map<String, List<String>> headers) {

        /** The values of a header as the node received them, by its name in any case; empty when it was not sent. */
        List<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private final String name;
    private final DisposableServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private StubNode(String name) {
        this.name = name;
        this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    static StubNode start(String name) {
        return new StubNode(name);
    }

    /** A base URI where nothing listens: a node that is down. */
    static URI closedPort() {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        int port = server.port();
        server.disposeNow();
        return URI.create("http://127.0.0.1:" + port);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    List<Received> received() {
        return received;
    }

    int calls(String path) {
        return calls.getOrDefault(path, new AtomicInteger()).get();
    }

    void reset() {
        received.clear();
        calls.clear();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            Map<String, List<String>> headers = new TreeMap<>();
            request.requestHeaders().forEach(header -> headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                    name -> new ArrayList<>()).add(header.getValue()));
            received.add(new Received(request.method().name(), request.uri(), request.requestHeaders().get("Authorization"),
                    request.requestHeaders().get("Content-Type"), body, headers));
            String path = request.fullPath();
            int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String uri = request.uri();
            String behaviour = uri.contains("?stub=") ? uri.substring(uri.indexOf("?stub=") + 6)
                    : path.substring(path.lastIndexOf('/') + 1);
            return switch (behaviour) {
                case "conflict" -> response.status(HttpResponseStatus.CONFLICT)
                        .header("Content-Type", "application/problem+json")
                        .sendString(Mono.just(CONFLICT)).then();
                case "flaky" -> call == 1 ? unavailable(response) : ok(response);
                case "unavailable" -> unavailable(response);
                case "slow" -> Mono.delay(Duration.ofSeconds(5)).then(ok(response));
                case "created" -> response.status(HttpResponseStatus.CREATED)
                        .header("Location", "/api/units/410105002001/cases/c-1")
                        .header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"caseId\":\"c-1\"}")).then();
                default -> ok(response);
            };
        });
    }

    private Mono<Void> ok(HttpServerResponse response) {
        return response.header("Content-Type", "application/json")
                .sendString(Mono.just("{\"node\":\"" + name + "\"}")).then();
    }

    private static Mono<Void> unavailable(HttpServerResponse response) {
        return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                .header("Content-Type", "text/plain")
                .sendString(Mono.just("busy")).then();
    }

    @Override
    public void close() {
        server.dispose();
    }
}
