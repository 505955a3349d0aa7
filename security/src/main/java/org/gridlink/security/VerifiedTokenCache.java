package org.gridlink.security;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link ReactiveJwtDecoder} that checks a token's signature once and keeps the verified token, while it still
 * checks its claims (expiry, issuer: the {@code validator}) on every request.
 *
 * <p>A supervisor's console sends the same access token with every request for as long as it lives, and each
 * request passes the gateway and a node, each a resource server of its own. Parsing the token and verifying its
 * RSA signature was the largest single cost of a request in both (issue 8's profile: about a tenth of a request
 * thread's CPU). The cache is keyed by the whole token: only the byte-identical string that was verified is ever
 * taken from it, so it accepts nothing the signature check would refuse. An entry lasts until the token expires,
 * and at most {@code maxAge} after its signature was last checked, so a token whose signing key the identity
 * provider withdraws is dropped within that time of the verifier's learning it ({@link PublishedKeys}). A token that
 * fails verification is never kept.
 *
 * <p>Signatures are checked on {@code verifyOn}, never on the thread that asked (a server's event loop): the check
 * is rare, so its code stays cold, and a cold RSA check takes milliseconds that every other request on that event
 * loop would wait for. A token still in use when four fifths of {@code maxAge} have passed is checked again in the
 * background while its requests go on being served, so it never drops out of the cache while in use. Without
 * that, all the tokens first seen together (every client of a node that has just restarted) dropped out together
 * every {@code maxAge}, and each was checked again on an event loop: the benchmark's queue page stalled for a few
 * hundred milliseconds every five minutes (issue 8).
 */
public final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private static final String ERROR_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    private final ReactiveJwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Scheduler verifying;
    private final AsyncLoadingCache<String, Jwt> verified;
    private final Map<String, Mono<Jwt>> checking = new ConcurrentHashMap<>();

    /**
     * As {@link #VerifiedTokenCache(ReactiveJwtDecoder, OAuth2TokenValidator, long, Duration, Clock, Executor)},
     * the signatures checked on Reactor's parallel scheduler (for work that takes CPU and never blocks).
     */
    public VerifiedTokenCache(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, long maxSize,
                              Duration maxAge, Clock clock) {
        this(verifier, validator, maxSize, maxAge, clock, task -> Schedulers.parallel().schedule(task));
    }

    /**
     * @param verifier  parses the token and verifies its signature; its own claim validation should accept
     *                  everything, as this class validates on every request
     * @param validator the claims checks made on every request, hit or miss
     * @param maxSize   the most tokens kept (least recently used go first)
     * @param maxAge    the longest a verified token is kept after its signature was checked, whatever its expiry
     * @param clock     the clock an entry's expiry is read against
     * @param verifyOn  where signatures are checked, first and again
     */
    public VerifiedTokenCache(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, long maxSize,
                              Duration maxAge, Clock clock, Executor verifyOn) {
        this.verifier = verifier;
        this.validator = validator;
        this.verifying = Schedulers.fromExecutor(verifyOn);
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(clockTicker(clock))
                .executor(verifyOn)
                // from the check, first or again: until the token's expiry, at most maxAge
                .expireAfter(Expiry.writing((String token, Jwt jwt) -> lifetime(jwt, maxAge, clock)))
                .refreshAfterWrite(refreshAfter(maxAge))
                .buildAsync(new AsyncCacheLoader<String, Jwt>() {
                    @Override
                    public CompletableFuture<Jwt> asyncLoad(String token, Executor executor) {
                        return verify(token).toFuture();
                    }

                    @Override
                    public CompletableFuture<Jwt> asyncReload(String token, Jwt old, Executor executor) {
                        // a token that no longer verifies (its key withdrawn) leaves the cache: the next request
                        // checks it again and is refused with the reason
                        return verify(token).onErrorResume(e -> Mono.empty()).toFuture();
                    }
                });
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.synchronous().getIfPresent(token);
        if (known != null) {
            return validated(known);
        }
        return checking.computeIfAbsent(token, this::firstCheck);
    }

    /**
     * The one check of a token not kept yet, shared by every request that brings it meanwhile: taken off the event
     * loop, a client's burst with a new token would otherwise be read in whole before the first check ended, and be
     * checked once per request (an event loop that checked it itself read the next request only after the token
     * was kept). A token whose signature or claims fail is not kept, and the next request checks it again.
     */
    private Mono<Jwt> firstCheck(String token) {
        return verify(token)
                .flatMap(this::validated)
                .doOnNext(jwt -> verified.synchronous().put(token, jwt))
                .doFinally(signal -> checking.remove(token))
                .cache();
    }

    /** How many verified tokens are kept now (after pending evictions). */
    long size() {
        verified.synchronous().cleanUp();
        return verified.synchronous().estimatedSize();
    }

    /**
     * The token parsed and its signature checked, on the verifying executor: deferred, as Nimbus's decoder parses
     * the token (its Base64) when asked for the Mono, before anything subscribes.
     */
    private Mono<Jwt> verify(String token) {
        return Mono.defer(() -> verifier.decode(token)).subscribeOn(verifying);
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

    /** When a token in use is checked again in the background: four fifths of the way to its maximum age. */
    static Duration refreshAfter(Duration maxAge) {
        return maxAge.multipliedBy(4).dividedBy(5);
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
