package org.gridlink.gateway.web;

import java.net.URI;
import java.util.List;

import org.gridlink.gateway.routing.GridlinkGatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every error the gateway itself raises into an RFC 9457 problem+json answer, never an HTML page:
 * it runs before Boot's error handler (order -1), which would render HTML for a browser.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    /** Reactor Netty's (package-private) failure of a request whose content did not all arrive in time. */
    private static final String REQUEST_TIMEOUT = "reactor.netty.http.server.RequestTimeoutException";

    private final ServerResponse.Context context;
    private final GridlinkGatewayProperties properties;

    public ProblemExceptionHandler(ServerCodecConfigurer codecs, GridlinkGatewayProperties properties) {
        this.properties = properties;
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        ProblemDetail problem;
        HttpHeaders headers = new HttpHeaders();
        if (failure instanceof ErrorResponse error) {
            problem = error.getBody();
            headers.addAll(error.getHeaders());
        } else if (REQUEST_TIMEOUT.equals(failure.getClass().getName())) {
            // the client's own doing (UnitRoutes.requestTimeout): nothing of it reached a node's database
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, "the request's body did not all arrive"
                    + " within " + properties.timeout().toSeconds() + " s");
            problem.setTitle("Request timeout");
            headers.set(HttpHeaders.CONNECTION, "close");
        } else {
            log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "the gateway failed to handle the request");
        }
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        // whatever a failed proxy attempt left behind (a node's content type or length) must not leak in
        exchange.getResponse().getHeaders().clear();
        return problem(problem, headers).flatMap(response -> response.writeTo(exchange, context));
    }

    static Mono<ServerResponse> problem(ProblemDetail problem, HttpHeaders headers) {
        return ServerResponse.status(problem.getStatus())
                .headers(h -> h.addAll(headers))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }
}
