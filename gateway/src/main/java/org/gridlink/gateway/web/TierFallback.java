package org.gridlink.gateway.web;

import java.net.ConnectException;
import java.net.URI;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.gateway.routing.GridlinkGatewayProperties;
import org.gridlink.gateway.routing.NodeDirectory;
import org.gridlink.gateway.routing.UnitRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerFilterFactory.CircuitBreakerStatusCodeException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;

/**
 * Where a tier's circuit breaker forwards when the tier's node cannot answer: a 503 problem naming the
 * tier. It answers every method, since a POST that timed out is forwarded here as a POST.
 */
@Component
public class TierFallback implements HandlerFunction<ServerResponse> {

    /** The path the client asked for; the breaker rewrites the request to the fallback's path. */
    static final String REQUESTED_PATH = TierFallback.class.getName() + ".requestedPath";

    private static final Logger log = LoggerFactory.getLogger(TierFallback.class);

    private final GridlinkGatewayProperties properties;

    public TierFallback(GridlinkGatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        Throwable failure = request.exchange().getAttribute(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        Tier routeTier = tier(request.pathVariable("tier"));
        if (failure == null || routeTier == null) {
            // only a breaker forwards here; a client asking directly finds nothing
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        }
        String requested = request.exchange().getAttributeOrDefault(REQUESTED_PATH, request.path());
        // a unit node may serve units of lower tiers too: name the tier of the unit asked for
        Tier tier = NodeDirectory.unitCodeIn(requested).map(UnitCode::tier).orElse(routeTier);
        log.warn("{} tier unavailable for {} {}: {}", tier.id(), request.method(), requested, failure.toString());

        long retryAfter = Math.max(1, properties.retryAfter().toSeconds());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the " + tier.id() + " tier is unavailable: " + reason(failure) + "; try again in " + retryAfter + " s");
        problem.setTitle("The " + tier.id() + " tier is unavailable");
        problem.setInstance(URI.create(requested));
        problem.setProperty("tier", tier.id());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        return ProblemExceptionHandler.problem(problem, headers);
    }

    private String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BulkheadFullException) {
                return "the gateway already has " + properties.maxConcurrentCalls() + " calls open to its node";
            }
            if (cause instanceof CallNotPermittedException) {
                return "its node failed repeatedly, so the gateway stopped calling it for a while";
            }
            if (UnitRoutes.timedOut(cause)
                    || cause instanceof ResponseStatusException status && status.getStatusCode().value() == 504) {
                return "its node did not answer within " + properties.timeout().toSeconds() + " s";
            }
            if (cause instanceof ConnectException) {
                return "its node cannot be reached";
            }
            if (cause instanceof CircuitBreakerStatusCodeException status) {
                return "its node answered " + status.getStatusCode().value();
            }
        }
        return "its node did not answer";
    }

    private static Tier tier(String id) {
        try {
            return Tier.fromId(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
