package org.gridlink.kernel.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class OffTheEventLoopTest {

    final OffTheEventLoop filter = new OffTheEventLoop(List.of("/v3/api-docs"));

    /** The thread the rest of the chain (the handler) ran on. */
    String handledOn(String path) {
        AtomicReference<String> thread = new AtomicReference<>();
        WebFilterChain handler = exchange -> Mono.fromRunnable(() -> thread.set(Thread.currentThread().getName()));
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.get(path)), handler).block();
        return thread.get();
    }

    @Test
    void theOpenApiDescriptionIsBuiltOnABoundedElasticThread() {
        assertThat(handledOn("/v3/api-docs")).startsWith("boundedElastic-");
        assertThat(handledOn("/v3/api-docs.yaml")).startsWith("boundedElastic-");
    }

    @Test
    void everyOtherRequestIsHandledWhereItWasRead() {
        assertThat(handledOn("/api/units/410105001001/cases")).isEqualTo(Thread.currentThread().getName());
        assertThat(handledOn("/v3")).isEqualTo(Thread.currentThread().getName());
    }
}
