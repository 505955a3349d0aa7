package org.gridlink.kernel.support.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request body declared larger than the limit with 413 before anything reads it. Uploads of evidence
 * ({@code POST .../evidence}) have their own, larger limit.
 */
public class RequestSizeLimit implements WebFilter, Ordered {

    private final long maxBytes;
    private final long maxUploadBytes;
    private final ProblemWriter problems;

    public RequestSizeLimit(long maxBytes, ProblemWriter problems) {
        this(maxBytes, maxBytes, problems);
    }

    public RequestSizeLimit(long maxBytes, long maxUploadBytes, ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.maxUploadBytes = Math.max(maxBytes, maxUploadBytes);
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        long maxBytes = exchange.getRequest().getPath().value().endsWith("/evidence") ? maxUploadBytes : this.maxBytes;
        if (length > maxBytes) {
            return problems.write(exchange.getResponse(), HttpStatus.CONTENT_TOO_LARGE, "too-large",
                    "Request body too large", "the request body has " + length + " bytes; this API accepts at most "
                            + maxBytes, exchange.getRequest().getPath().value());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
