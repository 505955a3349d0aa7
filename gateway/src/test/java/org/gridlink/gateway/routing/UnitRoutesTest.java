package org.gridlink.gateway.routing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
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

    @Test
    void aGetGoesThroughTheRetries() {
        UnitRoutes.forGetOnly(retries).filter(exchange(HttpMethod.GET), node).block();

        assertThat(passed).containsExactly("retries", "node");
    }

    @Test
    void everyOtherMethodGoesStraightToTheNode() {
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE,
                HttpMethod.HEAD)) {
            passed.clear();

            UnitRoutes.forGetOnly(retries).filter(exchange(method), node).block();

            assertThat(passed).as(method.name()).containsExactly("node");
        }
    }

    private static MockServerWebExchange exchange(HttpMethod method) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(method, "/api/units/410105001001/cases"));
    }
}
