package org.gridlink.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The one way the gateway and the nodes read the city's access tokens: signatures verified against the identity
 * provider's published keys (fetched once and refreshed by Nimbus when an unknown key id appears), the issuer and
 * the token's times checked on every request, and a verified token kept by {@link VerifiedTokenCache}.
 */
public final class CityTokens {

    /** Verified tokens kept at most (a city's active sessions fit many times over). */
    public static final long MAX_KEPT = 20_000;
    /** The longest a verified token is kept; a withdrawn signing key is honoured at most this long after. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);

    private CityTokens() {
    }

    /**
     * @param issuer    tokens must name it as {@code iss}
     * @param jwkSetUri where its signing keys are published
     * @param clockSkew how far token times may be off this machine's clock
     */
    public static ReactiveJwtDecoder decoder(URI issuer, URI jwkSetUri, Duration clockSkew) {
        NimbusReactiveJwtDecoder signatures = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri.toString()).build();
        // the claims are checked by the cache on every request, hit or miss
        signatures.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return new VerifiedTokenCache(signatures, validator(issuer, clockSkew), MAX_KEPT, MAX_AGE, Clock.systemUTC());
    }

    static DelegatingOAuth2TokenValidator<Jwt> validator(URI issuer, Duration clockSkew) {
        return new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(clockSkew),
                new JwtIssuerValidator(issuer.toString()));
    }
}
