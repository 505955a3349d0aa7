package org.gridlink.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.gridlink.gateway.routing.LeanHeaderFilters;
import org.gridlink.security.LogEventMetrics;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.http.HttpHeaders;

/**
 * Two request paths the gateway and the nodes take on every request, measured in one JVM against what they replaced,
 * alternated in one run: a small share of a request each, which the platform-wide scenarios cannot tell from the
 * hour-to-hour spread of the same work's CPU (issue 8, 2026-12-01: a few per cent either way between runs).
 * <ul>
 *   <li>the gateway's header filters on an intake request's headers and its answer's: Spring Cloud Gateway's own
 *   filters, which copy every header per filter, against {@link LeanHeaderFilters}, which hand them back untouched
 *   when there is nothing to remove;</li>
 *   <li>a level check that is off ({@code isDebugEnabled()} at INFO), with Micrometer's {@code logback.events}
 *   turbo filter installed, against {@link LogEventMetrics}' appender.</li>
 * </ul>
 * Each is timed in rounds of {@link HotPathCosts#CALLS} calls after a warm-up, alternating the two sides, and
 * reported as the median round's nanoseconds per call. It runs in a child JVM on the gateway's own jar (see
 * {@link HotPathCosts}, the benchmark's side, which has none of these classes).
 */
public final class HotPaths {

    /** Keeps the results alive so that the JIT cannot drop the work. */
    private static volatile long sink;

    static HotPathCosts.Result measure(String bearerToken) {
        HttpHeaders request = intakeRequest(bearerToken);
        HttpHeaders response = intakeResponse();
        List<HttpHeadersFilter> gateways = List.of(new RemoveForwardedHeadersFilter(),
                new RemoveXForwardedHeadersFilter(), new RemoveHopByHopHeadersFilter(), new GRPCRequestHeadersFilter());
        LeanHeaderFilters processor = new LeanHeaderFilters();
        List<HttpHeadersFilter> lean = gateways.stream()
                .map(filter -> (HttpHeadersFilter) processor.postProcessAfterInitialization(filter, "filter"))
                .toList();
        HotPathCosts.Pair headers = alternate(
                i -> filtered(gateways, request, response),
                i -> filtered(lean, request, response));

        Logger withTurboFilter = logger(context -> new LogbackMetrics(List.of(), context));
        Logger withAppender = logger(context -> new LogEventMetrics(List.of(), context));
        HotPathCosts.Pair levels = alternate(
                i -> withTurboFilter.isDebugEnabled() ? i : 1,
                i -> withAppender.isDebugEnabled() ? i : 1);
        return new HotPathCosts.Result(headers, levels);
    }

    /** A request as the benchmark's intake sends it through the gateway. */
    static HttpHeaders intakeRequest(String bearerToken) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.HOST, "127.0.0.1:28080");
        headers.add(HttpHeaders.ACCEPT, "application/json");
        headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken);
        headers.add(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.add(HttpHeaders.CONTENT_LENGTH, "212");
        headers.add(HttpHeaders.USER_AGENT, "ReactorNetty/1.3.8");
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }

    /** A node's 201 to a report, as the gateway receives it. */
    static HttpHeaders intakeResponse() {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.LOCATION, "/api/units/410105001001/cases/0b7f4f6e-8c1a-4f7e-9a57-3d3c2b9e6a01");
        headers.add(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.add(HttpHeaders.CONTENT_LENGTH, "1490");
        headers.add(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
        headers.add(HttpHeaders.PRAGMA, "no-cache");
        headers.add(HttpHeaders.EXPIRES, "0");
        headers.add("X-Content-Type-Options", "nosniff");
        headers.add("X-Frame-Options", "DENY");
        headers.add("X-XSS-Protection", "0");
        headers.add("Referrer-Policy", "no-referrer");
        return headers;
    }

    // the exchange is not read by these filters (the gRPC response filter, which reads it, is left out: it copies
    // nothing and was not changed)
    private static int filtered(List<HttpHeadersFilter> filters, HttpHeaders request, HttpHeaders response) {
        return HttpHeadersFilter.filter(filters, request, null, Type.REQUEST).size()
                + HttpHeadersFilter.filter(filters, response, null, Type.RESPONSE).size();
    }

    private static Logger logger(Function<LoggerContext, LogbackMetrics> metrics) {
        LoggerContext context = new LoggerContext();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        metrics.apply(context).bindTo(new SimpleMeterRegistry());
        return context.getLogger("org.gridlink.bench.HotPaths");
    }

    /** Warms both up, then times {@link HotPathCosts#ROUNDS} rounds of each, alternating. */
    static HotPathCosts.Pair alternate(IntUnaryOperator before, IntUnaryOperator after) {
        for (int warm = 0; warm < 5; warm++) {
            round(before);
            round(after);
        }
        List<Double> b = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        for (int r = 0; r < HotPathCosts.ROUNDS; r++) {
            b.add(round(before));
            a.add(round(after));
        }
        return new HotPathCosts.Pair(HotPathCosts.median(b), HotPathCosts.median(a));
    }

    private static double round(IntUnaryOperator call) {
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < HotPathCosts.CALLS; i++) {
            sum += call.applyAsInt(i);
        }
        long elapsed = System.nanoTime() - start;
        sink += sum;
        return (double) elapsed / HotPathCosts.CALLS;
    }

    /**
     * Run in a child JVM on the gateway's executable jar (Spring Boot's PropertiesLauncher, with this class's jar on
     * {@code loader.path}): Spring Cloud Gateway and Spring Security stay off the benchmark's own classpath. The one
     * argument is a bearer token as the intake sends it.
     */
    public static void main(String[] args) {
        HotPathCosts.Result result = measure(args[0]);
        System.out.println(HotPathCosts.LINE + " " + result.headerFilters().before() + " "
                + result.headerFilters().after() + " " + result.levelCheck().before() + " "
                + result.levelCheck().after());
    }

    private HotPaths() {
    }
}
