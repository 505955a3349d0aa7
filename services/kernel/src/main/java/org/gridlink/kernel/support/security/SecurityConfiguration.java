package org.gridlink.kernel.support.security;

import java.net.URI;
import java.time.Duration;
import org.gridlink.kernel.support.web.ProblemWriter;
import org.gridlink.security.BearerTokens;
import org.gridlink.security.CityTokens;
import org.gridlink.security.HeaderFirewall;
import org.gridlink.security.OpenPaths;
import org.gridlink.security.SecurityHeaders;
import org.gridlink.security.SecurityObservations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * Every node is an OAuth2 resource server: each API request carries a bearer access token (JWT) from the
 * city's identity provider, verified against the provider's published keys; the person it names is checked
 * against {@link org.gridlink.kernel.access.Jurisdiction} by the handlers. Health, metrics scraping and the API
 * description stay open (they are meant for the platform's own network).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
// no Spring Security observations (a cost per request); its firewall's header checks without a regular expression
@Import({SecurityObservations.class, HeaderFirewall.class})
@EnableConfigurationProperties(SecurityConfiguration.SecuritySettings.class)
public class SecurityConfiguration {

    /**
     * {@code gridlink.security.*}.
     *
     * @param issuer     the identity provider; tokens must name it as {@code iss}
     * @param jwkSetUri  where its signing keys are published (default {@code <issuer>/oauth2/jwks})
     * @param clockSkew  how far token times may be off this node's clock
     */
    @ConfigurationProperties("gridlink.security")
    public record SecuritySettings(@DefaultValue("http://localhost:9000") URI issuer, URI jwkSetUri,
                                   @DefaultValue("30s") Duration clockSkew) {

        public URI keys() {
            return jwkSetUri != null ? jwkSetUri : URI.create(issuer.toString().replaceAll("/+$", "") + "/oauth2/jwks");
        }
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecuritySettings settings) {
        return CityTokens.decoder(settings.issuer(), settings.keys(), settings.clockSkew());
    }

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder, ProblemWriter problems) {
        ServerAuthenticationEntryPoint unauthenticated = (exchange, e) -> {
            exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer realm=\"gridlink\"");
            return problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "Authentication required", "a valid bearer access token from the city's identity provider is"
                            + " required: " + e.getMessage(), exchange.getRequest().getPath().value());
        };
        ServerAccessDeniedHandler denied = (exchange, e) -> problems.write(exchange.getResponse(),
                HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage(), exchange.getRequest().getPath().value());
        // Spring Security's headers on every answer, each written without its writers' sets of names per answer
        return SecurityHeaders.springDefaults().applyTo(http)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // stateless: a request is signed in by its bearer token alone, never by a session (Spring Security's
                // default keeps the security context in a WebSession)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                // the API first, so that an API request meets two path matchers, not the open addresses' six
                .authorizeExchange(a -> a
                        // Open311's service discovery is read before an app has a token (Open311Discovery)
                        .pathMatchers(HttpMethod.GET, OpenPaths.OPEN311_DISCOVERY).permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(o -> o
                        .bearerTokenConverter(new BearerTokens())
                        .jwt(j -> j.jwtDecoder(decoder).jwtAuthenticationConverter(new PersonClaims()))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
                .build();
    }
}
