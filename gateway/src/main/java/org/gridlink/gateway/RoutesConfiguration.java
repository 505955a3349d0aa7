package org.gridlink.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.BackoffConfig;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * One route per tier (the tier follows from the unit code) and one per unit that runs its own node, each with
 * a circuit breaker named after the tier and retries for GET only.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

    private static final String[] PATHS = {"/api/units/{code}", "/api/units/{code}/**"};

    @Bean
    UnitRoutes unitRoutes(GatewaySettings settings) {
        return new UnitRoutes(settings);
    }

    @Bean
    RouteLocator unitRouteLocator(RouteLocatorBuilder builder, GatewaySettings settings, UnitRoutes routes) {
        RouteLocatorBuilder.Builder r = builder.routes();
        int order = -1000;
        for (Map.Entry<String, java.net.URI> own : settings.unitNodes().entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, java.net.URI> e) -> e.getKey().length()).reversed())
                .toList()) {
            String prefix = own.getKey();
            Tier tier = tierOfPrefix(prefix);
            int routeOrder = order++;
            r = r.route("unit-" + prefix, p -> p.order(routeOrder).path(PATHS)
                    .and().predicate(ex -> UnitRoutes.codeOf(ex).filter(UnitCode::isValid)
                            .map(c -> routes.ownNode(c).map(Map.Entry::getKey).filter(prefix::equals).isPresent())
                            .orElse(false))
                    .filters(f -> resilience(f, tier, settings))
                    .uri(own.getValue()));
        }
        for (Tier tier : Tier.values()) {
            r = r.route(tier.id(), p -> p.order(0).path(PATHS)
                    .and().predicate(ex -> UnitRoutes.tierOf(ex).map(tier::equals).orElse(false))
                    .filters(f -> resilience(f, tier, settings))
                    .uri(routes.tierNode(tier)));
        }
        return r.build();
    }

    private static GatewayFilterSpec resilience(GatewayFilterSpec f, Tier tier, GatewaySettings settings) {
        return f.circuitBreaker(c -> c.setName(tier.id())
                        .setFallbackUri("forward:/fallback/" + tier.id())
                        .addStatusCode(String.valueOf(HttpStatus.BAD_GATEWAY.value()))
                        .addStatusCode(String.valueOf(HttpStatus.GATEWAY_TIMEOUT.value())))
                .retry(c -> c.setRetries(2)
                        .setMethods(HttpMethod.GET)
                        .setSeries()
                        .setStatuses(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.GATEWAY_TIMEOUT)
                        .setExceptions(IOException.class, TimeoutException.class)
                        .setBackoff(new BackoffConfig(Duration.ofMillis(50), Duration.ofMillis(500), 2, true)));
    }

    /** A unit-node prefix is at least the code of the unit it names; its tier is that unit's tier. */
    private static Tier tierOfPrefix(String prefix) {
        String padded = (prefix + "000000000000").substring(0, 12);
        return UnitCode.of(padded).tier();
    }
}
