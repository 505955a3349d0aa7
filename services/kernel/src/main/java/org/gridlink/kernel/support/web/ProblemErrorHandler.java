package org.gridlink.kernel.support.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The last resort for errors outside the controllers (no such path, a method not allowed, a failure in a
 * filter): answers problem+json rather than Boot's default error body. A real server fault stays a 500 and
 * is logged; its detail never leaks internals.
 */
@Order(-2)
public class ProblemErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final ProblemWriter problems;

    public ProblemErrorHandler(ProblemWriter problems) {
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
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            if (status == HttpStatus.NOT_FOUND) {
                return problems.write(exchange.getResponse(), status, ApiProblems.NO_SUCH_RESOURCE,
                        ApiProblems.NO_SUCH_RESOURCE_TITLE, ApiProblems.noSuchResource(exchange), path);
            }
            String detail = rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
            return problems.write(exchange.getResponse(), status, "http-" + status.value(), status.getReasonPhrase(),
                    detail, path);
        }
        log.error("unhandled error on {} {}", exchange.getRequest().getMethod(), path, ex);
        return problems.write(exchange.getResponse(), HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "Internal error", "the node failed to handle the request; it is logged", path);
    }
}
