package org.gridlink.kernel.support.web;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Handles the requests under the given paths on Reactor's bounded elastic threads instead of the HTTP event loop that
 * read them: for handlers that block and are not ours to change. springdoc builds a node's OpenAPI description
 * ({@code /v3/api-docs}) synchronously in its handler on the first request for each locale, scanning the class path's
 * jars: hundreds of milliseconds in which that loop would serve no other request (found by BlockHound in the platform's
 * tests, deploy/local's {@code BlockingCalls}).
 */
public class OffTheEventLoop implements WebFilter, Ordered {

    private final List<String> pathPrefixes;

    public OffTheEventLoop(List<String> pathPrefixes) {
        this.pathPrefixes = List.copyOf(pathPrefixes);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        for (String prefix : pathPrefixes) {
            if (path.startsWith(prefix)) {
                return chain.filter(exchange).subscribeOn(Schedulers.boundedElastic());
            }
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // after the size limit and security: only the handling moves
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
