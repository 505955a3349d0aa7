package org.gridlink.gateway.routing;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.EventExecutor;
import org.gridlink.gateway.routing.NodeDirectory.Node;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory.CircuitBreakerStatusCodeException;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One route per node: a unit's API goes to the node that serves its code, behind that node's circuit
 * breaker, with retries for a GET and for a report or an evidence upload that carries an {@code Idempotency-Key}.
 */
@Configuration(proxyBeanMethods = false)
public class UnitRoutes {

    /** What a node answers, or fails with, that says the node itself is in trouble. */
    static final HttpStatus[] UNAVAILABLE = { HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.GATEWAY_TIMEOUT };

    /** The exchange attribute that keeps the route id of the node serving the request's unit. */
    private static final String ROUTE_ID = UnitRoutes.class.getName() + ".routeId";

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String UNITS = "/api/units/";

    @Bean
    NodeDirectory nodeDirectory(GridlinkGatewayProperties properties) {
        return properties.directory();
    }

    /** Spring Cloud Gateway's header filters, without a copy of every header when they have nothing to do. */
    @Bean
    static LeanHeaderFilters leanHeaderFilters() {
        return new LeanHeaderFilters();
    }

    @Bean
    RouteLocator unitRouteLocator(RouteLocatorBuilder builder, NodeDirectory directory,
                                  SpringCloudCircuitBreakerFilterFactory breakers, RetryGatewayFilterFactory retries) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (Node node : directory.nodes()) {
            routes.route(node.routeId(), route -> route
                    // the node's own test first: it reads the unit code once per request (kept in the exchange), so
                    // the routes of other nodes answer no without matching the path pattern
                    .predicate(exchange -> node.routeId().equals(routeIdOf(exchange, directory)))
                    .and()
                    .path("/api/units/{code}", "/api/units/{code}/**")
                    // the breaker wraps the retries: a GET that succeeds on its second try is a success. Both are
                    // made without the route's id: either factory, given it, has every request's body on the route
                    // read into memory before it is sent on, a GET's empty one included (see BODY_READ_WHOLE)
                    .filters(filters -> filters
                            // outside the breaker: a body that does not arrive in time is the client's 408
                            .filter(BODY_READ_WHOLE)
                            .filter(breakers.apply(breaker -> {
                                breaker.setName(node.routeId());
                                breaker.setFallbackUri("forward:/fallback/" + node.tier().id());
                                for (HttpStatus status : UNAVAILABLE) {
                                    breaker.addStatusCode(String.valueOf(status.value()));
                                }
                            }))
                            .filter(retriedWhereSafe(retries.apply(retry -> retry
                                    .setRetries(2)
                                    .setMethods(HttpMethod.GET, HttpMethod.POST)
                                    .setStatuses(UNAVAILABLE)
                                    .setSeries()
                                    .setExceptions(ConnectException.class)
                                    .setBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 2, false)))))
                    .uri(node.uri()));
        }
        return routes.build();
    }

    /**
     * The retries, for the requests that may be sent again: a GET, and a report or an evidence upload that carries an
     * {@code Idempotency-Key} (the node answers one sent again under its key with what the first made; its body was
     * kept by {@link #BODY_READ_WHOLE}). Any other request goes on without them: Spring Cloud Gateway's retry
     * filter wraps every request in its retry and repeat operators, whatever the method, and asks whether the method
     * may be retried only when a failure comes (issue 8: leaving the filter out saved about 9% of the gateway's CPU per
     * proxied GET, measured in front of a bare backend; docs/benchmarks.md).
     */
    static GatewayFilter retriedWhereSafe(GatewayFilter retries) {
        return (exchange, chain) -> {
            ServerHttpRequest request = exchange.getRequest();
            return HttpMethod.GET.equals(request.getMethod()) || isAppliedOnceUnderItsKey(request)
                    ? retries.filter(exchange, chain)
                    : chain.filter(exchange);
        };
    }

    /**
     * A request with a body is read whole before it is sent on: a client that holds its body back is answered 408
     * without ever taking a call to the node (or a place in its bulkhead), and a keyed request (a report, an upload, an
     * action, a notice) can be sent again from the copy. A request without one (a GET, as a rule) is sent on as it is.
     * The breaker's and the retry filter's factories, given a route's id, would have every request on the route copied
     * (their {@code EnableBodyCachingEvent}), an empty body included; an empty body reads as empty again for a retry.
     */
    static final GatewayFilter BODY_READ_WHOLE = (exchange, chain) -> hasBody(exchange.getRequest())
            ? ServerWebExchangeUtils.cacheRequestBody(exchange,
                    whole -> chain.filter(exchange.mutate().request(whole).build()))
            : chain.filter(exchange);

    static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * A POST that the node applies once however often it comes, since it carries an {@code Idempotency-Key}: a report
     * ({@code POST /api/units/{code}/cases}), an evidence upload ({@code POST /api/units/{code}/cases/{id}/evidence}),
     * an action on a record ({@code POST /api/units/{code}/cases/{id}/actions}), a supervision notice
     * ({@code POST /api/units/{code}/supervision}), a patrol's start, check-in or end
     * ({@code POST /api/units/{code}/patrols}, {@code …/patrols/{id}/check-ins}, {@code …/patrols/{id}/end}), a notice
     * ({@code POST /api/units/{code}/notices}) or a signature for one ({@code …/notices/{id}/sign}, which the node
     * answers with the signature kept when the same person signs again), or an officer's work handed over
     * ({@code …/todo/officers/{officer}/handover}, each record's REASSIGN kept under a key derived from it).
     * Other POSTs take no key at the node, so a key on them makes nothing safe to send twice.
     */
    static boolean isAppliedOnceUnderItsKey(ServerHttpRequest request) {
        if (!HttpMethod.POST.equals(request.getMethod()) || !request.getHeaders().containsHeader(IDEMPOTENCY_KEY)) {
            return false;
        }
        String path = request.getPath().value();
        if (!path.startsWith(UNITS)) {
            return false;
        }
        String[] parts = path.substring(UNITS.length()).split("/", -1);
        if (parts.length < 2 || parts[0].isEmpty()) {
            return false;
        }
        return "cases".equals(parts[1]) && (parts.length == 2
                || parts.length == 4 && !parts[2].isEmpty() && ("evidence".equals(parts[3])
                        || "actions".equals(parts[3])))
                || "supervision".equals(parts[1]) && parts.length == 2
                || "notices".equals(parts[1]) && (parts.length == 2
                || parts.length == 4 && !parts[2].isEmpty() && "sign".equals(parts[3]))
                || "todo".equals(parts[1]) && parts.length == 5 && "officers".equals(parts[2]) && !parts[3].isEmpty()
                && "handover".equals(parts[4])
                || "patrols".equals(parts[1]) && (parts.length == 2
                || parts.length == 4 && !parts[2].isEmpty() && ("check-ins".equals(parts[3]) || "end".equals(parts[3])));
    }

    /**
     * The route id of the node serving the unit in the exchange's path ("" for none), found once per request and
     * kept in its attributes: every route's predicate asks, the community's (the busiest) last.
     */
    static String routeIdOf(ServerWebExchange exchange, NodeDirectory directory) {
        return (String) exchange.getAttributes().computeIfAbsent(ROUTE_ID,
                key -> directory.routeIdFor(exchange.getRequest().getPath().value()).orElse(""));
    }

    /**
     * A call to a node times out when the node sends nothing for {@code gridlink.gateway.timeout}, first for its
     * answer, then between the reads of its body: Reactor Netty's response timeout, a timer on the connection's own
     * event loop (which set it, so setting it wakes no other thread), removed when the answer is complete. The breaker
     * counts the timeout as a failure ({@link #meansNodeUnavailable}) and answers from its fallback.
     * <p>
     * It replaces two timers a call that Reactor's parallel scheduler kept: Spring Cloud Gateway's
     * {@code httpclient.response-timeout} and the breaker's time limiter (Resilience4j's, 1 s by default), both
     * {@code timeout} operators. Each call's timer there became the earliest one when no other call was open, and woke
     * the scheduler's thread to wait for it: about 1.2 wake-ups a proxied request under issue 8's intake (the
     * gateway.yml leaves both out, {@code disable-time-limiter}).
     */
    @Bean
    HttpClientCustomizer responseTimeout(GridlinkGatewayProperties properties) {
        return client -> client.responseTimeout(properties.timeout());
    }

    /**
     * Spring Cloud Gateway's HTTP client to the nodes, as it would make it (the same properties, customizers and TLS
     * settings), but on the HTTP server's event loops (Spring Boot's {@link ReactorResourceFactory}: in the app Reactor
     * Netty's global loops, which Spring Cloud Gateway's client takes by itself), with a pool of connections for each
     * of them ({@link LoopLocalNodeConnections}): a request is sent on to its node and answered on the loop
     * that serves it.
     */
    @Bean
    HttpClientFactory gatewayHttpClientFactory(HttpClientProperties properties, ServerProperties server,
                                               List<HttpClientCustomizer> customizers, HttpClientSslConfigurer ssl,
                                               ObjectProvider<ReactorResourceFactory> resources) {
        ReactorResourceFactory factory = resources.getIfAvailable();
        LoopResources loops = factory == null ? null : factory.getLoopResources();
        return new HttpClientFactory(properties, server, ssl, customizers) {
            @Override
            protected HttpClient createInstance() {
                HttpClient client = super.createInstance();
                return loops == null ? client : client.runOn(loops);
            }

            @Override
            protected ConnectionProvider buildConnectionProvider(HttpClientProperties settings) {
                List<EventExecutor> httpLoops = new ArrayList<>();
                if (loops != null) {
                    loops.onServer(LoopResources.DEFAULT_NATIVE).forEach(httpLoops::add);
                }
                return LoopLocalNodeConnections.of(super.buildConnectionProvider(settings), httpLoops);
            }
        };
    }

    /**
     * A client has {@code gridlink.gateway.timeout} to send the whole of its request, or it is answered 408 and its
     * connection closed (Reactor Netty's request timeout, again a timer on the connection's own event loop). The
     * response timeout starts only once a request is sent on to the node, so without this a client that announced a
     * body and held it back would hold its call to the node, and a place in the node's bulkhead, for as long as it
     * liked (the breaker's time limiter used to cut it at the same time limit).
     */
    @Bean
    NettyServerCustomizer requestTimeout(GridlinkGatewayProperties properties) {
        return server -> server.requestTimeout(properties.timeout());
    }

    /**
     * Every breaker counts only what says the node is in trouble: connection failures, timeouts, 502/503/504. A 404
     * or 409 the node answered is the node working. Its time limit is the response timeout ({@link #responseTimeout}).
     */
    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> breakerDefaults(GridlinkGatewayProperties properties) {
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(properties.retryAfter())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(UnitRoutes::meansNodeUnavailable)
                .build();
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(breaker)
                .build());
    }

    /**
     * Each node's bulkhead: at most {@code gridlink.gateway.max-concurrent-calls} calls open at a time (Spring Cloud
     * CircuitBreaker's default is 25, which a busy city's community node outgrows at a few hundred requests a second
     * of 100 ms each). A call over the limit is answered 503 at once, naming the cause.
     */
    @Bean
    Customizer<ReactiveResilience4jBulkheadProvider> bulkheadDefaults(GridlinkGatewayProperties properties) {
        if (properties.maxConcurrentCalls() < 1) {
            throw new IllegalArgumentException("gridlink.gateway.max-concurrent-calls must be at least 1, not "
                    + properties.maxConcurrentCalls());
        }
        BulkheadConfig bulkhead = BulkheadConfig.custom().maxConcurrentCalls(properties.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO).build();
        return provider -> provider.configureDefault(id -> new Resilience4jBulkheadConfigurationBuilder()
                .bulkheadConfig(bulkhead).build());
    }

    static boolean meansNodeUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || timedOut(cause)) {
                return true;
            }
            if (cause instanceof CircuitBreakerStatusCodeException statusCode) {
                return isUnavailable(statusCode.getStatusCode().value());
            }
            if (cause instanceof ResponseStatusException status) {
                return isUnavailable(status.getStatusCode().value());
            }
        }
        return false;
    }

    /** The response timeout (Netty's) or a timeout operator's. */
    public static boolean timedOut(Throwable cause) {
        return cause instanceof ReadTimeoutException || cause instanceof TimeoutException;
    }

    private static boolean isUnavailable(int status) {
        for (HttpStatus unavailable : UNAVAILABLE) {
            if (unavailable.value() == status) {
                return true;
            }
        }
        return false;
    }
}
