package org.gridlink.gateway.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.gridlink.contracts.UnitCode;
import org.gridlink.gateway.routing.GridlinkGatewayProperties;
import org.gridlink.gateway.security.SecuritySettings;
import org.gridlink.gateway.routing.NodeDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * What the gateway answers itself: the platform description, the circuit breakers' fallback, and the
 * problems for API paths no node serves. These handlers run before the gateway's routes, so the catch-all
 * leaves every well-formed unit path to them.
 */
@Configuration(proxyBeanMethods = false)
public class ApiRoutes {

    @Bean
    RouterFunction<ServerResponse> gatewayApi(GridlinkGatewayProperties properties, NodeDirectory directory,
            TierFallback fallback, SecuritySettings security) {
        RequestPredicate unroutedApiPath = request -> {
            String path = request.requestPath().pathWithinApplication().value();
            return (path.equals("/api") || path.startsWith("/api/")) && NodeDirectory.unitCodeIn(path).isEmpty();
        };
        return route()
                .GET("/api/platform", request -> ServerResponse.ok().bodyValue(platform(properties, directory, security)))
                .route(path("/api/platform"), request -> Mono.error(new MethodNotAllowedException(request.method(), Set.of(HttpMethod.GET))))
                .route(path("/fallback/{tier}"), fallback)
                .route(unroutedApiPath, ApiRoutes::unrouted)
                .build();
    }

    @Bean
    WebFilter rememberRequestedPath() {
        return (exchange, chain) -> {
            exchange.getAttributes().putIfAbsent(TierFallback.REQUESTED_PATH, exchange.getRequest().getPath().value());
            return chain.filter(exchange);
        };
    }

    private static Map<String, Object> platform(GridlinkGatewayProperties properties, NodeDirectory directory,
                                                SecuritySettings security) {
        Map<String, String> tiers = new LinkedHashMap<>();
        directory.tierUris().forEach((tier, uri) -> tiers.put(tier.id(), uri.toString()));
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("cityCode", properties.cityCode());
        platform.put("name", properties.cityName());
        platform.put("tiers", tiers);
        // where the console signs people in: OAuth2 authorization code with PKCE, as a public client
        platform.put("identity", Map.of("issuer", security.issuerText(),
                "authorizationEndpoint", security.issuerText() + "/oauth2/authorize",
                "tokenEndpoint", security.issuerText() + "/oauth2/token",
                "clientId", security.consoleClient()));
        return platform;
    }

    private static Mono<ServerResponse> unrouted(ServerRequest request) {
        String path = request.requestPath().pathWithinApplication().value();
        ProblemDetail problem = NodeDirectory.codeSegment(path)
                .map(ApiRoutes::notAUnitCode)
                .orElseGet(() -> {
                    ProblemDetail notFound = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "there is no API at " + path
                            + "; a unit's API is under /api/units/{code}, the platform is described at /api/platform");
                    notFound.setTitle("No such API");
                    return notFound;
                });
        problem.setInstance(URI.create(path));
        return Mono.error(new ErrorResponseException(HttpStatus.valueOf(problem.getStatus()), problem, null));
    }

    private static ProblemDetail notAUnitCode(String segment) {
        String reason;
        try {
            UnitCode.of(segment);
            reason = "'" + segment + "' is not a unit code";
        } catch (IllegalArgumentException e) {
            reason = e.getMessage();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason
                + ": a unit code is 12 digits PPCCDDTTTVVV (province, city, district, township, community), e.g. 410105001001");
        problem.setTitle("Not a unit code");
        return problem;
    }
}
