package org.gridlink.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The identity provider's signing keys, as its JWK Set publishes them, for checking the city's access tokens
 * ({@link NimbusReactiveJwtDecoder#withJwkSource}).
 *
 * <p>Spring Security's own source for a JWK Set URI keeps the set it fetched first until a token names a key id that
 * set lacks, and fetches the set again for every such token. So a key the identity provider withdraws went on
 * verifying tokens in a node until a token signed with its successor reached that node (a stolen key would have
 * gone on signing tokens that pass), and any request bearing a made-up key id was a fetch from the identity
 * provider. Here:
 * <ul>
 * <li>the set is fetched again by the first check, or in the background by the first {@link #current} (a request
 *     with a kept token), made once it is {@code refreshAfter} old, so a withdrawn key verifies no token after that,
 *     kept or new;</li>
 * <li>a key id the set lacks (a new key) fetches it at once, but at most once every {@code retryAfter}: made-up key
 *     ids cost the identity provider nothing more;</li>
 * <li>the checks that want a fetch meanwhile share it;</li>
 * <li>a fetch that fails keeps the last set and is tried again after {@code retryAfter}: an identity provider that
 *     is down refuses none of the tokens it signed. Without a set yet, the check fails.</li>
 * </ul>
 * A check waits for the fetch it makes; {@link VerifiedTokenCache} makes them off the event loops, and only for a
 * token it does not hold yet, or holds but whose key is no longer the one that verified it ({@link #current}).
 */
public final class PublishedKeys implements Function<SignedJWT, Flux<JWK>> {

    private static final Log log = LogFactory.getLog(PublishedKeys.class);

    /** How long a fetch may take before it counts as failed. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private final Mono<JWKSet> fetch;
    private final String from;
    private final long refreshAfterNanos;
    private final long retryAfterNanos;
    private final LongSupplier nanoTime;
    private final AtomicReference<Mono<JWKSet>> fetching = new AtomicReference<>();
    private volatile Known known;
    private volatile Long warnedAt;

    /** The last set fetched, when, and when a fetch was last tried (the same time, unless it failed since). */
    private record Known(JWKSet keys, long fetchedAt, long triedAt) {
    }

    /**
     * @param fetch        the set as published now, fetched again on each subscription
     * @param from         where it is fetched from, for the log
     * @param refreshAfter the age at which a check fetches the set again
     * @param retryAfter   the least time between fetches for key ids the set lacks, and after a fetch that failed
     * @param nanoTime     the clock those times are read on ({@link System#nanoTime})
     */
    PublishedKeys(Mono<JWKSet> fetch, String from, Duration refreshAfter, Duration retryAfter, LongSupplier nanoTime) {
        if (refreshAfter.isNegative() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("the keys' refresh and retry intervals must not be negative");
        }
        this.fetch = fetch.timeout(FETCH_TIMEOUT);
        this.from = from;
        this.refreshAfterNanos = refreshAfter.toNanos();
        this.retryAfterNanos = retryAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The keys the JWK Set at {@code jwkSetUri} publishes, fetched with {@code client}. */
    public static PublishedKeys at(URI jwkSetUri, WebClient client, Duration refreshAfter, Duration retryAfter) {
        return at(jwkSetUri, client, refreshAfter, retryAfter, System::nanoTime);
    }

    /** {@link #at(URI, WebClient, Duration, Duration)} on the given clock (for tests). */
    static PublishedKeys at(URI jwkSetUri, WebClient client, Duration refreshAfter, Duration retryAfter,
                            LongSupplier nanoTime) {
        Mono<JWKSet> fetch = client.get().uri(jwkSetUri)
                .accept(MediaType.APPLICATION_JSON, MediaType.valueOf("application/jwk-set+json"))
                .retrieve()
                .bodyToMono(String.class)
                .map(PublishedKeys::parse);
        return new PublishedKeys(fetch, jwkSetUri.toString(), refreshAfter, retryAfter, nanoTime);
    }

    /** The keys that may have signed {@code token}: those with its key id, or all of them if it names none. */
    @Override
    public Flux<JWK> apply(SignedJWT token) {
        String keyId = token.getHeader().getKeyID();
        // deferred: Nimbus's decoder asks for the keys when the Mono is made, and a fetch begun for a Mono nobody
        // subscribes to would never end
        return Mono.defer(() -> keySet(keyId)).flatMapIterable(keys -> keyId == null ? keys.getKeys() : matching(keys, keyId));
    }

    /**
     * The key that verifies tokens naming {@code keyId} now ({@code null} for none: the whole set), or {@code null}
     * when the set holds no such key or none was fetched yet; compared by {@link VerifiedTokenCache} with what it was
     * when a kept token was verified. Never waits: once the set is {@code refreshAfter} old it is fetched again in the
     * background (the keys of a city whose tokens are all kept would otherwise never be fetched again), and a key the
     * identity provider withdrew is missing here from that fetch on.
     */
    public Object current(String keyId) {
        Known last = known;
        if (last == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - last.fetchedAt() >= refreshAfterNanos && now - last.triedAt() >= retryAfterNanos
                && fetching.get() == null) {
            fetched().subscribe(keys -> { }, failure -> { }); // failed(…) has logged it
        }
        return keyId == null ? last.keys() : last.keys().getKeyByKeyId(keyId);
    }

    private Mono<JWKSet> keySet(String keyId) {
        Known last = known;
        if (last == null) {
            return fetched().onErrorMap(failure -> new Unavailable(from, failure));
        }
        long now = nanoTime.getAsLong();
        boolean old = now - last.fetchedAt() >= refreshAfterNanos;
        boolean lacksKey = keyId != null && last.keys().getKeyByKeyId(keyId) == null;
        boolean mayTry = now - last.triedAt() >= retryAfterNanos;
        if ((old || lacksKey) && mayTry) {
            return fetched().onErrorResume(failure -> Mono.just(last.keys()));
        }
        return Mono.just(last.keys());
    }

    /** The set fetched now: one fetch shared by every check that asks while it runs. */
    private Mono<JWKSet> fetched() {
        Mono<JWKSet> running = fetching.get();
        if (running != null) {
            return running.publishOn(Schedulers.parallel());
        }
        // the fetch stops being the running one as its set (or its failure) arrives, before any check is told: a check
        // that came after it must not be handed its result as if it were still running (doFinally alone would clear it
        // only after the checks waiting on it were told, and a check in between got the old set after a refresh was due)
        AtomicReference<Mono<JWKSet>> self = new AtomicReference<>();
        Mono<JWKSet> mine = Mono.defer(() -> fetch)
                .doOnNext(keys -> {
                    long at = nanoTime.getAsLong();
                    known = new Known(keys, at, at);
                    fetching.compareAndSet(self.get(), null);
                })
                .doOnError(failure -> {
                    failed(failure);
                    fetching.compareAndSet(self.get(), null);
                })
                .doFinally(signal -> fetching.compareAndSet(self.get(), null)) // cancelled, or ended without a set
                .cache();
        self.set(mine);
        // the signature is checked where the set arrives: not on the HTTP client's event loop, which serves requests too
        return fetching.compareAndSet(null, mine) ? mine.publishOn(Schedulers.parallel()) : fetched();
    }

    private void failed(Throwable failure) {
        Known last = known;
        if (last == null) {
            // each check fetches until one succeeds (for the first tokens once it is up): said once a retry interval
            long now = nanoTime.getAsLong();
            Long said = warnedAt;
            if (said == null || now - said >= retryAfterNanos) {
                warnedAt = now;
                log.warn("cannot fetch the identity provider's signing keys from " + from + ": " + failure
                        + "; no token can be checked until they are");
            }
            return;
        }
        long now = nanoTime.getAsLong();
        known = new Known(last.keys(), last.fetchedAt(), now);
        // tried again every retry interval while requests come (current): said once a refresh interval
        Long said = warnedAt;
        if (said != null && now - said < refreshAfterNanos) {
            return;
        }
        warnedAt = now;
        log.warn("cannot fetch the identity provider's signing keys from " + from + " (" + failure
                + "); checking tokens with the keys fetched " + Duration.ofNanos(nanoTime.getAsLong()
                - last.fetchedAt()).toSeconds() + " s ago, and trying again in "
                + Duration.ofNanos(retryAfterNanos).toSeconds() + " s (said again in "
                + Duration.ofNanos(refreshAfterNanos).toSeconds() + " s if it goes on failing)");
    }

    /** No keys to check a token with: none fetched yet, and the fetch failed. */
    public static final class Unavailable extends IllegalStateException {

        Unavailable(String from, Throwable cause) {
            super("the identity provider's signing keys cannot be fetched from " + from + ": " + cause.getMessage(),
                    cause);
        }

        /** Whether {@code failure} is one, or was caused by one. */
        public static boolean in(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof Unavailable) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<JWK> matching(JWKSet keys, String keyId) {
        JWK key = keys.getKeyByKeyId(keyId);
        return key == null ? List.of() : List.of(key);
    }

    private static JWKSet parse(String body) {
        try {
            return JWKSet.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException("the identity provider's JWK Set is not one: " + e.getMessage(), e);
        }
    }
}
