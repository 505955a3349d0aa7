package org.gridlink.gateway.web;

import org.gridlink.gateway.routing.GridlinkGatewayProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses request bodies over {@code gridlink.gateway.max-request-bytes} with a 413 problem. A declared
 * length is checked up front; a chunked body is read up to the limit before it is forwarded, so an
 * oversized one is refused instead of failing half-way to the node.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimit implements WebFilter {

    private final long maxBytes;
    private final long maxUploadBytes;

    /** Evidence uploads ({@code POST .../evidence}) may be larger: {@code gridlink.gateway.max-upload-bytes}. */
    public RequestSizeLimit(GridlinkGatewayProperties properties,
                            @Value("${gridlink.gateway.max-upload-bytes:11MB}") DataSize maxUploadBytes) {
        this.maxBytes = properties.maxRequestBytes().toBytes();
        this.maxUploadBytes = Math.max(maxBytes, maxUploadBytes.toBytes());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long maxBytes = request.getPath().value().endsWith("/evidence") ? maxUploadBytes : this.maxBytes;
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes, "the request body is " + declared + " bytes"));
        }
        if (declared >= 0 || request.getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING) == null) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(request.getBody(), (int) Math.min(maxBytes, Integer.MAX_VALUE))
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(maxBytes, "the request body is larger than that"))
                .map(body -> exchange.mutate().request(withBody(request, body)).build())
                .defaultIfEmpty(exchange)
                .flatMap(chain::filter);
    }

    private static ServerHttpRequest withBody(ServerHttpRequest request, DataBuffer body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.just(body);
            }
        };
    }

    private static ErrorResponseException tooLarge(long maxBytes, String what) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "the gateway accepts request bodies of at most " + maxBytes + " bytes; " + what);
        problem.setTitle("Request too large");
        return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, problem, null);
    }
}
