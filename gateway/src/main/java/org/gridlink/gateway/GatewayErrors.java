package org.gridlink.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/** Every error the gateway itself makes (no such path, a failure while routing) answers problem+json. */
@Order(-2)
final class GatewayErrors implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrors.class);

    private final Problems problems;

    GatewayErrors(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        String path = exchange.getRequest().getPath().value();
        if (ex instanceof ResponseStatusException rse) {
            HttpStatus status = HttpStatus.resolve(rse.getStatusCode().value());
            status = status == null ? HttpStatus.BAD_GATEWAY : status;
            String detail = status == HttpStatus.NOT_FOUND ? "nothing at " + path
                    : rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
            return problems.write(exchange.getResponse(),
                    Problems.of(status, "http-" + status.value(), status.getReasonPhrase(), detail));
        }
        log.error("gateway error on {} {}", exchange.getRequest().getMethod(), path, ex);
        return problems.write(exchange.getResponse(), Problems.of(HttpStatus.BAD_GATEWAY, "gateway",
                "Gateway error", "the gateway could not complete the request; it is logged"));
    }
}
