package org.gridlink.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one way the gateway and the nodes read the city's access tokens: signatures verified against the identity
 * provider's published keys ({@link PublishedKeys}: fetched again every {@link #KEYS_REFRESH}, and at once, at most
 * every {@link #KEYS_RETRY}, for a key id not seen yet), the issuer and the token's times checked on every request,
 * and a verified token kept by {@link VerifiedTokenCache} while its key is still published. A signing key the
 * identity provider withdraws verifies no token, kept or new, once the keys fetched after that arrive (at most
 * {@link #KEYS_REFRESH} after the withdrawal, and the time of a fetch).
 */
public final class CityTokens {

    /** Verified tokens kept at most (a city's active sessions fit many times over). */
    public static final long MAX_KEPT = 20_000;
    /**
     * The longest a verified token is kept after its signature was checked, whatever its expiry (the identity
     * provider's tokens live 30 minutes); a token whose key is withdrawn is dropped long before, see
     * {@link VerifiedTokenCache}.
     */
    public static final Duration MAX_AGE = Duration.ofHours(1);
    /** How old the published keys may be when a token is checked; older, they are fetched again first. */
    public static final Duration KEYS_REFRESH = Duration.ofMinutes(1);
    /** The least time between fetches for key ids the keys lack, and after a fetch that failed. */
    public static final Duration KEYS_RETRY = Duration.ofSeconds(5);

    private CityTokens() {
    }

    /**
     * @param issuer    tokens must name it as {@code iss}
     * @param jwkSetUri where its signing keys are published
     * @param clockSkew how far token times may be off this machine's clock
     */
    public static ReactiveJwtDecoder decoder(URI issuer, URI jwkSetUri, Duration clockSkew) {
        PublishedKeys keys = PublishedKeys.at(jwkSetUri, WebClient.create(), KEYS_REFRESH, KEYS_RETRY);
        NimbusReactiveJwtDecoder signatures = NimbusReactiveJwtDecoder.withJwkSource(keys).build();
        // the claims are checked by the cache on every request, hit or miss
        signatures.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        ReactiveJwtDecoder checked = token -> signatures.decode(token)
                .onErrorMap(PublishedKeys.Unavailable::in, CityTokens::keysUnavailable);
        return new VerifiedTokenCache(checked, keys::current, validator(issuer, clockSkew), MAX_KEPT, MAX_AGE,
                Clock.systemUTC());
    }

    /**
     * No keys to check the token with (the identity provider unreachable since this process started): the platform's
     * fault, not the client's, so 503 problem+json rather than 401, which would send a person to sign in again, or a
     * bare 500. The keys' address stays in the log ({@link PublishedKeys}).
     */
    static ResponseStatusException keysUnavailable(Throwable failure) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "cannot check the access token now: the "
                + "identity provider's signing keys cannot be fetched; try again shortly", failure);
    }

    static DelegatingOAuth2TokenValidator<Jwt> validator(URI issuer, Duration clockSkew) {
        return new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(clockSkew),
                new JwtIssuerValidator(issuer.toString()));
    }
}
