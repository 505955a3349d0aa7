package org.gridlink.gateway;

import org.gridlink.contracts.UnitCode;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Refuses, before routing, a body declared larger than the limit (413) and a path whose unit code is malformed (400). */
final class RequestGuards implements WebFilter, Ordered {

    private final long maxBytes;
    private final Problems problems;

    RequestGuards(long maxBytes, Problems problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxBytes) {
            return problems.write(exchange.getResponse(), Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large",
                    "Request body too large", "the request body has " + length + " bytes; the gateway accepts at most "
                            + maxBytes));
        }
        String code = UnitRoutes.codeOf(exchange).orElse(null);
        if (code != null && !UnitCode.isValid(code)) {
            return problems.write(exchange.getResponse(), Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                    "Malformed unit code", "'" + code + "' is not a unit code: a unit code has 12 digits, PPCCDDTTTVVV"
                            + " (province, city, district, township, community)"));
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
