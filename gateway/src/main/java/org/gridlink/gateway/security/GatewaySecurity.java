package org.gridlink.gateway.security;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.net.URI;
import java.util.List;
import org.gridlink.security.BearerTokens;
import org.gridlink.security.OpenPaths;
import org.gridlink.security.CityTokens;
import org.gridlink.security.HeaderFirewall;
import org.gridlink.security.SecurityHeaders;
import org.gridlink.security.SecurityObservations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.ContentSecurityPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * The gateway's share of security: it checks bearer tokens on the API (the nodes check them again, and the
 * jurisdiction), relays them unchanged to the nodes, limits request rates per user and per address, sets the
 * browser security headers for the console, and allows cross-origin calls only from the console's origins.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
// no Spring Security observations (a cost per request); its firewall's header checks without a regular expression
@Import({SecurityObservations.class, HeaderFirewall.class})
@EnableConfigurationProperties(SecuritySettings.class)
public class GatewaySecurity {

    /**
     * The one address in the API that anyone may fetch: the platform's description, which the console reads before
     * anyone signs in. Everything outside {@code /api} (the console's files, health, metrics) is open too.
     */
    private static final String PLATFORM = "/api/platform";

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecuritySettings settings) {
        return CityTokens.decoder(settings.issuer(), settings.keys(), settings.clockSkew());
    }

    @Bean
    RateLimiterRegistry gatewayRateLimiters() {
        return RateLimiterRegistry.ofDefaults();
    }

    @Bean
    SecurityWebFilterChain gatewaySecurityChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                                SecuritySettings settings, RateLimiterRegistry limiters) {
        return securityHeaders(origin(settings.issuer())).applyTo(http)
                .csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, no cookies: nothing to forge
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // stateless: a request is signed in by its bearer token alone, never by a session (Spring Security's
                // default keeps the security context in a WebSession)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(c -> c.configurationSource(cors(settings.consoleOrigins())))
                // an API request meets four path matchers (a list of every open address made it twelve)
                .authorizeExchange(a -> a
                        .pathMatchers(HttpMethod.OPTIONS, "/api/**").permitAll()
                        .pathMatchers(PLATFORM).permitAll()
                        // a unit's Open311 service discovery, read before an app has a token (the node's own too)
                        .pathMatchers(HttpMethod.GET, OpenPaths.OPEN311_DISCOVERY).permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(o -> o
                        .bearerTokenConverter(new BearerTokens())
                        .jwt(j -> j.jwtDecoder(decoder))
                        .authenticationEntryPoint((exchange, e) -> Mono.error(unauthenticated(e.getMessage())))
                        .accessDeniedHandler((exchange, e) -> Mono.error(forbidden(e.getMessage()))))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((exchange, ex) -> Mono.error(unauthenticated(ex.getMessage())))
                        .accessDeniedHandler((exchange, ex) -> Mono.error(forbidden(ex.getMessage()))))
                .addFilterBefore(new RateLimits(settings.rateLimit(), limiters), SecurityWebFiltersOrder.AUTHORIZATION)
                .build();
    }

    /**
     * Spring Security's headers on every answer (no caching, no sniffing, no framing: {@link SecurityHeaders}), with
     * the console's content security policy (its scripts, styles and calls from the gateway's own origin, sign-in at the
     * identity provider's) and a referrer policy that tells another origin only where a link came from.
     */
    static SecurityHeaders securityHeaders(String identity) {
        return SecurityHeaders.springDefaults()
                .with(ContentSecurityPolicyServerHttpHeadersWriter.CONTENT_SECURITY_POLICY, "default-src 'self';"
                        + " connect-src 'self' " + identity + "; img-src 'self' data:; object-src 'none';"
                        + " base-uri 'none'; frame-ancestors 'none'; form-action 'self' " + identity)
                .with(ReferrerPolicyServerHttpHeadersWriter.REFERRER_POLICY,
                        ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN.getPolicy());
    }

    /**
     * The API to a console served from another origin: what the console sends (its token, a JSON body, a request's
     * {@code Idempotency-Key}, an action's {@code If-Match}) and what it reads (a report's {@code Location}, a record's
     * {@code ETag}, a 503's {@code Retry-After}).
     */
    static UrlBasedCorsConfigurationSource cors(List<String> origins) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(origins);
        config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        config.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
                "Idempotency-Key", HttpHeaders.IF_MATCH));
        config.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER));
        config.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        return source;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    static ErrorResponseException unauthenticated(String why) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "a valid bearer access token from the city's identity provider is required: " + why);
        problem.setTitle("Authentication required");
        ErrorResponseException e = new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
        e.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gridlink\"");
        return e;
    }

    static ErrorResponseException forbidden(String why) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, why);
        problem.setTitle("Not allowed");
        return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
    }
}
