package org.gridlink.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * A {@link ReactiveJwtDecoder} that checks a token's signature once and keeps the verified token, while it still
 * checks its claims (expiry, issuer: the {@code validator}) on every request.
 *
 * <p>A supervisor's console sends the same access token with every request for as long as it lives, and each
 * request passes the gateway and a node, each a resource server of its own. Parsing the token and verifying its
 * RSA signature was the largest single cost of a request in both (issue 8's profile: about a tenth of a request
 * thread's CPU). The cache is keyed by the whole token: only the byte-identical string that was verified is ever
 * taken from it, so it accepts nothing the signature check would refuse. An entry lasts until the token expires,
 * and at most {@code maxAge}, so a signing key the identity provider withdraws stops being honoured within that
 * time. A token that fails verification is never kept.
 */
public final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private static final String ERROR_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    private final ReactiveJwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifier  parses the token and verifies its signature; its own claim validation should accept
     *                  everything, as this class validates on every request
     * @param validator the claims checks made on every request, hit or miss
     * @param maxSize   the most tokens kept (least recently used go first)
     * @param maxAge    the longest a verified token is kept, whatever its expiry
     * @param clock     the clock an entry's expiry is read against
     */
    public VerifiedTokenCache(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, long maxSize,
                              Duration maxAge, Clock clock) {
        this.verifier = verifier;
        this.validator = validator;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(clockTicker(clock))
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> lifetime(jwt, maxAge, clock)))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            return validated(known);
        }
        return verifier.decode(token).flatMap(this::validated).doOnNext(jwt -> verified.put(token, jwt));
    }

    /** How many verified tokens are kept now (after pending evictions). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private Mono<Jwt> validated(Jwt jwt) {
        OAuth2TokenValidatorResult result = validator.validate(jwt);
        if (!result.hasErrors()) {
            return Mono.just(jwt);
        }
        Collection<OAuth2Error> errors = result.getErrors();
        String description = errors.stream().map(OAuth2Error::getDescription).filter(d -> d != null && !d.isBlank())
                .findFirst().orElse("Unable to validate Jwt");
        return Mono.error(new JwtValidationException(ERROR_PREFIX + description, errors));
    }

    /** Until the token's expiry, at most {@code maxAge}; zero for a token already expired. */
    static Duration lifetime(Jwt jwt, Duration maxAge, Clock clock) {
        Instant expires = jwt.getExpiresAt();
        if (expires == null) {
            return maxAge;
        }
        Duration left = Duration.between(clock.instant(), expires);
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(maxAge) < 0 ? left : maxAge;
    }

    /** Caffeine's clock from a {@link Clock}, so that a test clock moves the entries' ages too. */
    private static Ticker clockTicker(Clock clock) {
        if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
            return Ticker.systemTicker();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
