package org.gridlink.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

/**
 * Each lean header filter answers exactly as the Spring Cloud Gateway filter it replaces, for every mix of the headers
 * they act on (all 2^14 subsets of the candidates below, in the letter cases clients send), and hands back the very
 * headers it was given when it has nothing to do.
 */
class LeanHeaderFiltersTest {

    /** Headers the filters remove or look at, in several letter cases, and some they must leave alone. */
    private static final List<String[]> CANDIDATES = List.of(
            new String[] {"Forwarded", "for=203.0.113.9;proto=https"},
            new String[] {"X-Forwarded-For", "203.0.113.9"},
            new String[] {"x-forwarded-prefix", "/evil"},
            new String[] {"X-FORWARDED-Host", "example.org"},
            new String[] {"Connection", "keep-alive, X-Hop-Secret"},
            new String[] {"X-Hop-Secret", "named by Connection"},
            new String[] {"keep-alive", "timeout=5"},
            new String[] {"Transfer-Encoding", "chunked"},
            new String[] {"TE", "trailers"},
            new String[] {"Upgrade", "websocket"},
            new String[] {"Proxy-Authorization", "Basic Zm9vOmJhcg=="},
            new String[] {"Content-Type", "application/grpc+proto"},
            new String[] {"Authorization", "Bearer t"},
            new String[] {"X-Forwarded", "not a prefix match: no dash after it"});

    private final ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/units/1"));
    private final LeanHeaderFilters processor = new LeanHeaderFilters();

    @Test
    void removingForwardedAnswersAsTheGatewaysOwn() {
        assertSameAnswers(RemoveForwardedHeadersFilter::new);
    }

    @Test
    void removingXForwardedAnswersAsTheGatewaysOwn() {
        assertSameAnswers(RemoveXForwardedHeadersFilter::new);
    }

    @Test
    void removingHopByHopHeadersAnswersAsTheGatewaysOwn() {
        assertSameAnswers(RemoveHopByHopHeadersFilter::new);
    }

    @Test
    void removingTheHopByHopHeadersAnOperatorConfiguredAnswersAsTheGatewaysOwn() {
        assertSameAnswers(() -> {
            RemoveHopByHopHeadersFilter filter = new RemoveHopByHopHeadersFilter();
            filter.setHeaders(Set.of("x-hop-secret", "upgrade"));
            filter.setOrder(42);
            return filter;
        });
    }

    @Test
    void addingTrailersToGrpcCallsAnswersAsTheGatewaysOwn() {
        assertSameAnswers(GRPCRequestHeadersFilter::new);
    }

    @Test
    void replacesOnlyTheGatewaysOwnFiltersAndKeepsWhatTheyWereGiven() {
        RemoveHopByHopHeadersFilter configured = new RemoveHopByHopHeadersFilter();
        configured.setHeaders(Set.of("x-hop-secret"));
        configured.setOrder(7);

        Object lean = processor.postProcessAfterInitialization(configured, "removeHopByHopHeadersFilter");

        assertThat(lean).isInstanceOf(LeanHeaderFilters.LeanRemoveHopByHop.class);
        assertThat(((RemoveHopByHopHeadersFilter) lean).getHeaders()).containsExactly("x-hop-secret");
        assertThat(((RemoveHopByHopHeadersFilter) lean).getOrder()).isEqualTo(7);
        assertThat(processor.postProcessAfterInitialization(new RemoveForwardedHeadersFilter(), "f"))
                .isInstanceOf(LeanHeaderFilters.LeanRemoveForwarded.class);
        assertThat(processor.postProcessAfterInitialization(new RemoveXForwardedHeadersFilter(), "x"))
                .isInstanceOf(LeanHeaderFilters.LeanRemoveXForwarded.class);
        assertThat(processor.postProcessAfterInitialization(new GRPCRequestHeadersFilter(), "g"))
                .isInstanceOf(LeanHeaderFilters.LeanGrpcRequest.class);
        Object other = new Object();
        assertThat(processor.postProcessAfterInitialization(other, "other")).isSameAs(other);
    }

    private void assertSameAnswers(Supplier<? extends HttpHeadersFilter> gateways) {
        HttpHeadersFilter original = gateways.get();
        HttpHeadersFilter lean = (HttpHeadersFilter) processor.postProcessAfterInitialization(gateways.get(), "filter");
        assertThat(lean).isNotSameAs(original).isInstanceOf(original.getClass());
        int untouched = 0;
        for (int subset = 0; subset < 1 << CANDIDATES.size(); subset++) {
            HttpHeaders headers = headers(subset);
            HttpHeaders expected = original.filter(HttpHeaders.readOnlyHttpHeaders(headers), exchange);
            HttpHeaders input = HttpHeaders.readOnlyHttpHeaders(headers);
            HttpHeaders actual = lean.filter(input, exchange);

            assertThat(contents(actual)).as("headers %s", contents(headers)).isEqualTo(contents(expected));
            if (contents(expected).equals(contents(headers))) {
                assertThat(actual).as("nothing to do for %s", contents(headers)).isSameAs(input);
                untouched++;
            }
        }
        assertThat(untouched).as("subsets the filter leaves as they are").isPositive();
    }

    private static HttpHeaders headers(int subset) {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Accept", "application/json");
        for (int i = 0; i < CANDIDATES.size(); i++) {
            if ((subset & 1 << i) != 0) {
                headers.add(CANDIDATES.get(i)[0], CANDIDATES.get(i)[1]);
            }
        }
        return headers;
    }

    /** Names in lower case (HTTP's are case-insensitive) with their values in order. */
    private static Map<String, List<String>> contents(HttpHeaders headers) {
        Map<String, List<String>> contents = new TreeMap<>();
        headers.forEach((name, values) -> contents.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                n -> new ArrayList<>()).addAll(values));
        return contents;
    }
}
