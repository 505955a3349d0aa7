package org.gridlink.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
 * A {@link ReactiveJwtDecoder} that checks a token's signature once and keeps the verified token for as long as the
 * key that verified it is still published, while it checks its claims (expiry, issuer: the {@code validator}) on
 * every request.
 *
 * <p>A supervisor's console sends the same access token with every request for as long as it lives, and each
 * request passes the gateway and a node, each a resource server of its own. Parsing the token and verifying its
 * RSA signature was the largest single cost of a request in both (issue 8's profile: about a tenth of a request
 * thread's CPU). The cache is keyed by the whole token: only the byte-identical string that was verified is ever
 * taken from it, so it accepts nothing the signature check would refuse. An entry lasts until the token expires,
 * and at most {@code maxAge}. A token that fails verification is never kept.
 *
 * <p>A kept token is served only while its key is the one that verified it: each request compares the key the
 * {@link Signers} name for the token's key id now with the one they named before its signature was checked. A key
 * the identity provider withdraws (or replaces under the same id) is missing from the keys fetched after that
 * ({@link PublishedKeys#current}: at most a minute old), and the tokens it signed are checked again, and refused.
 * Until issue 8's intake benchmark, each kept token was checked again four fifths of the way to a maximum age of 5
 * minutes instead: tokens first seen together were all checked again together 4 minutes later, through code (the
 * keys' fetch with the HTTP client, Nimbus's decoder, the cache's refresh) that had not run since the request path
 * was compiled, and both the gateway and the node threw away over a hundred compiled methods of the request path
 * in that second (JFR: 169 and 109 deoptimizations), its p99 over 100 ms for the next four seconds.
 *
 * <p>Signatures are checked on {@code verifyOn}, never on the thread that asked (a server's event loop): the check
 * is rare, so its code stays cold, and a cold RSA check takes milliseconds that every other request on that event
 * loop would wait for.
 */
public final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private static final String ERROR_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    /** Which key verifies a token naming a key id now, as {@link PublishedKeys#current} answers it. */
    @FunctionalInterface
    public interface Signers {

        /**
         * The key that verifies tokens naming {@code keyId} ({@code null}: a token naming none) now, compared by
         * {@link Object#equals}; {@code null} when there is none or it is not known yet (the token is checked again).
         * Called on every request: it must never wait.
         */
        Object current(String keyId);
    }

    /** A verified token and the key its signers named for it just before its signature was checked. */
    private record Verified(Jwt jwt, Object signer) {
    }

    private final ReactiveJwtDecoder verifier;
    private final Signers signers;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Scheduler verifying;
    private final Cache<String, Verified> verified;
    private final Map<String, Mono<Jwt>> checking = new ConcurrentHashMap<>();

    /**
     * As {@link #VerifiedTokenCache(ReactiveJwtDecoder, Signers, OAuth2TokenValidator, long, Duration, Clock,
     * Executor)}, the signatures checked on Reactor's parallel scheduler (for work that takes CPU and never blocks).
     */
    public VerifiedTokenCache(ReactiveJwtDecoder verifier, Signers signers, OAuth2TokenValidator<Jwt> validator,
                              long maxSize, Duration maxAge, Clock clock) {
        this(verifier, signers, validator, maxSize, maxAge, clock, task -> Schedulers.parallel().schedule(task));
    }

    /**
     * @param verifier  parses the token and verifies its signature; its own claim validation should accept
     *                  everything, as this class validates on every request
     * @param signers   which key verifies a token now: a kept token is served only while it names the same one
     * @param validator the claims checks made on every request, hit or miss
     * @param maxSize   the most tokens kept (least recently used go first)
     * @param maxAge    the longest a verified token is kept, whatever its expiry
     * @param clock     the clock an entry's expiry is read against
     * @param verifyOn  where signatures are checked
     */
    public VerifiedTokenCache(ReactiveJwtDecoder verifier, Signers signers, OAuth2TokenValidator<Jwt> validator,
                              long maxSize, Duration maxAge, Clock clock, Executor verifyOn) {
        this.verifier = verifier;
        this.signers = signers;
        this.validator = validator;
        this.verifying = Schedulers.fromExecutor(verifyOn);
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(clockTicker(clock))
                .executor(verifyOn)
                // from the check: until the token's expiry, at most maxAge
                .expireAfter(Expiry.writing((String token, Verified v) -> lifetime(v.jwt(), maxAge, clock)))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (known.signer() != null && known.signer().equals(signers.current(keyId(known.jwt())))) {
                return validated(known.jwt());
            }
            verified.asMap().remove(token, known); // its key withdrawn or replaced: checked again (and refused)
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
        // the key named before the check: if the keys change while it runs, the next request checks the token again
        Object signer = signers.current(keyId(token));
        // the check stops being the running one as its token (or its failure) arrives, before any request is told: a
        // request that came after its answer must not be handed that answer (doFinally alone ran only after the
        // requests waiting on it were told, so a token refused while the keys could not be fetched was refused once
        // more to the request that followed, the keys fetched meanwhile: NodeWithoutIdentityIT, once in CI)
        AtomicReference<Mono<Jwt>> self = new AtomicReference<>();
        Mono<Jwt> check = verify(token)
                .flatMap(this::validated)
                .doOnNext(jwt -> {
                    verified.put(token, new Verified(jwt, signer));
                    checking.remove(token, self.get());
                })
                .doOnError(failure -> checking.remove(token, self.get()))
                .doFinally(signal -> checking.remove(token, self.get())) // cancelled, or ended without a token
                .cache();
        self.set(check);
        return check;
    }

    /** How many verified tokens are kept now (after pending evictions). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** The key id a verified token's header names, or null. */
    private static String keyId(Jwt jwt) {
        return jwt.getHeaders().get("kid") instanceof String id ? id : null;
    }

    /** The key id a token's header names, read without checking anything; null for none or no JWS at all. */
    static String keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            return JWSHeader.parse(new Base64URL(token.substring(0, dot))).getKeyID();
        } catch (ParseException | RuntimeException e) {
            return null; // the signature check refuses it, with the reason
        }
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
