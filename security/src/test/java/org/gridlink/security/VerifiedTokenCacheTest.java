package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class VerifiedTokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final URI ISSUER = URI.create("http://localhost:9000");

    /** A movable clock for the cache and the timestamp check. */
    private static final class TestClock extends Clock {
        private Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicBoolean withdrawn = new AtomicBoolean();
    /** The key the identity provider publishes for the tokens' key id now (null: none). */
    private final AtomicReference<Object> publishedKey = new AtomicReference<>("key-1");
    private final VerifiedTokenCache.Signers signers = keyId -> publishedKey.get();

    /** Stands in for the signature check: "sub:n" tokens expire n seconds after T0; "forged" ones fail. */
    private final ReactiveJwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (token.contains("forged") || withdrawn.get()) {
            return Mono.error(new BadJwtException("Signed JWT rejected: Invalid signature"));
        }
        String[] parts = token.split(":");
        Instant issued = T0;
        return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject(parts[0])
                .issuer(ISSUER.toString()).issuedAt(issued)
                .expiresAt(issued.plusSeconds(Long.parseLong(parts[1]))).build());
    };

    private VerifiedTokenCache cache() {
        return cache(Runnable::run);
    }

    private VerifiedTokenCache cache(Executor verifyOn) {
        JwtTimestampValidator times = new JwtTimestampValidator(Duration.ZERO);
        times.setClock(clock);
        return new VerifiedTokenCache(verifier, signers, times, 100, Duration.ofMinutes(5), clock, verifyOn);
    }

    @Test
    void verifiesATokenOnceAndServesItAgainFromTheCache() {
        VerifiedTokenCache cache = cache();
        assertThat(cache.decode("supervisor.410105001001:600").block().getSubject()).isEqualTo("supervisor.410105001001");
        assertThat(cache.decode("supervisor.410105001001:600").block().getSubject()).isEqualTo("supervisor.410105001001");
        assertThat(verifications).hasValue(1);
        cache.decode("handler.410105001001:600").block();
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void checksTheClaimsOnEveryRequestSoACachedTokenExpiresOnTime() {
        AtomicInteger checks = new AtomicInteger();
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, signers, jwt -> {
            checks.incrementAndGet();
            JwtTimestampValidator times = new JwtTimestampValidator(Duration.ZERO);
            times.setClock(clock);
            return times.validate(jwt);
        }, 100, Duration.ofHours(1), clock, Runnable::run);
        cache.decode("citizen.1:60").block();
        clock.advance(Duration.ofSeconds(59));
        cache.decode("citizen.1:60").block();
        assertThat(checks).hasValue(2);
        assertThat(verifications).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> cache.decode("citizen.1:60").block())
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("Jwt expired");
    }

    @Test
    void neverKeepsATokenThatFailedVerification() {
        VerifiedTokenCache cache = cache();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.decode("forged:600").block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aRequestThatFollowsARefusalIsCheckedAnewNotHandedTheRefusal() {
        // the first check fails (the keys cannot be fetched yet); the request that follows, sent by a client that has
        // the refusal, comes as soon as it is told (here: from within its onError), the keys published meanwhile
        VerifiedTokenCache cache = cache();
        withdrawn.set(true);
        AtomicReference<Object> next = new AtomicReference<>();
        cache.decode("supervisor.410105001001:600").subscribe(jwt -> next.set("served"), refused -> {
            withdrawn.set(false);
            cache.decode("supervisor.410105001001:600").subscribe(jwt -> next.set(jwt.getSubject()), next::set);
        });
        assertThat(next.get()).isEqualTo("supervisor.410105001001");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void neverKeepsATokenItsClaimsRefused() {
        // the nodes' own validator (issuer and times), its time check on the test's clock: on the system clock the
        // tokens, made at T0, are expired from T0 + 10 min on, and the refusal names the expiry instead of the issuer
        JwtTimestampValidator times = new JwtTimestampValidator(Duration.ZERO);
        times.setClock(clock);
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, signers, new DelegatingOAuth2TokenValidator<>(times,
                new JwtIssuerValidator("http://elsewhere")), 100, Duration.ofMinutes(5), clock, Runnable::run);
        assertThatThrownBy(() -> cache.decode("someone:600").block())
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("iss");
        assertThat(cache.size()).isZero();
    }

    @Test
    void keepsATokenUntilItExpiresAndAtMostTheMaximumAge() {
        VerifiedTokenCache cache = cache();
        cache.decode("a:120").block();
        cache.decode("b:3600").block();
        clock.advance(Duration.ofSeconds(121));
        assertThat(cache.size()).isEqualTo(1); // a expired and left; b stays
        clock.advance(Duration.ofMinutes(1));
        cache.decode("b:3600").block(); // three minutes after it was verified: kept
        assertThat(verifications).hasValue(2);
        clock.advance(Duration.ofMinutes(2));
        cache.decode("b:3600").block(); // five minutes after it was verified, unused since: verified again
        assertThat(verifications).hasValue(3);
    }

    @Test
    void servesAKeptTokenWithoutCheckingItAgainWhileItsKeyIsStillPublished() {
        VerifiedTokenCache cache = cache();
        cache.decode("b:3600").block();
        for (int minute = 1; minute < 5; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(cache.decode("b:3600").block().getSubject()).isEqualTo("b");
        }
        // the key published again as another object, equal to the first: still the same key
        publishedKey.set(new String("key-1"));
        assertThat(cache.decode("b:3600").block().getSubject()).isEqualTo("b");
        assertThat(verifications).as("checked once, never again in the background").hasValue(1);
    }

    @Test
    void aKeptTokenWhoseKeyIsWithdrawnIsCheckedAgainAndRefused() {
        List<Runnable> background = new ArrayList<>();
        VerifiedTokenCache cache = cache(background::add);
        StepVerifier.create(cache.decode("b:3600")).then(() -> runAll(background))
                .expectNextCount(1).verifyComplete();
        // the identity provider withdraws its key: the keys fetched since lack it, and the signature check refuses
        publishedKey.set(null);
        withdrawn.set(true);
        StepVerifier.create(cache.decode("b:3600")).then(() -> runAll(background))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BadJwtException.class)
                        .hasMessageContaining("Invalid signature"))
                .verify();
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aKeptTokenWhoseKeyIdNowNamesAnotherKeyIsCheckedAgainWithIt() {
        VerifiedTokenCache cache = cache();
        cache.decode("b:3600").block();
        publishedKey.set("key-2"); // replaced under the same key id
        assertThat(cache.decode("b:3600").block().getSubject()).as("it verifies with the new key too").isEqualTo("b");
        assertThat(verifications).hasValue(2);
        cache.decode("b:3600").block();
        assertThat(verifications).as("and is kept with it").hasValue(2);
    }

    @Test
    void theKeyIsTakenBeforeTheCheckSoKeysThatChangeDuringItCheckTheTokenAgain() {
        List<Runnable> background = new ArrayList<>();
        VerifiedTokenCache cache = cache(background::add);
        StepVerifier.create(cache.decode("b:3600"))
                .then(() -> {
                    publishedKey.set("key-2"); // new keys arrive while the signature is being checked
                    runAll(background);
                })
                .expectNextCount(1).verifyComplete();
        StepVerifier.create(cache.decode("b:3600")).then(() -> runAll(background))
                .expectNextCount(1).verifyComplete();
        assertThat(verifications).as("kept as checked under key-1: checked again under key-2").hasValue(2);
        cache.decode("b:3600").block();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenCheckedBeforeAnyKeyWasKnownIsCheckedOnceMore() {
        publishedKey.set(null); // the keys not fetched yet: the first check fetches them
        VerifiedTokenCache cache = cache();
        cache.decode("b:3600").block();
        publishedKey.set("key-1");
        cache.decode("b:3600").block();
        cache.decode("b:3600").block();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aBurstOfRequestsWithATokenNotKeptYetChecksItOnce() {
        List<Runnable> background = new ArrayList<>();
        VerifiedTokenCache cache = cache(background::add);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cache.decode("burst:600").subscribe(jwt -> subjects.add(jwt.getSubject()));
        }
        assertThat(subjects).isEmpty(); // all five waiting for the one check
        runAll(background);
        assertThat(subjects).containsExactly("burst", "burst", "burst", "burst", "burst");
        assertThat(verifications).hasValue(1);

        // a forged token's burst: checked once too, every request refused, and nothing kept
        List<Throwable> refusals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cache.decode("forged:600").subscribe(jwt -> { }, refusals::add);
        }
        runAll(background);
        assertThat(refusals).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(BadJwtException.class));
        assertThat(verifications).hasValue(2);
        StepVerifier.create(cache.decode("forged:600")).then(() -> runAll(background))
                .expectError(BadJwtException.class).verify();
        assertThat(verifications).as("a refused token is checked again next time").hasValue(3);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void checksSignaturesOffTheThreadThatAsked() {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> checkedOn = new AtomicReference<>();
        VerifiedTokenCache cache = new VerifiedTokenCache(token -> Mono.fromCallable(() -> {
            verifications.incrementAndGet();
            checkedOn.set(Thread.currentThread());
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("s").build();
        }), signers, jwt -> OAuth2TokenValidatorResult.success(), 100, Duration.ofMinutes(5), Clock.systemUTC());
        assertThat(cache.decode("t").block(Duration.ofSeconds(10)).getSubject()).isEqualTo("s");
        assertThat(checkedOn.get()).isNotNull().isNotSameAs(caller);
        assertThat(checkedOn.get().getName()).startsWith("parallel-");
        // on the system's clock too, kept once checked: the next requests are answered on their own thread
        for (int i = 0; i < 10_000; i++) {
            assertThat(cache.decode("t").block(Duration.ofSeconds(10)).getSubject()).isEqualTo("s");
        }
        assertThat(verifications).hasValue(1);
    }

    @Test
    void theKeyIdIsReadFromTheTokensHeaderWithoutCheckingAnything() {
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\",\"kid\":\"k-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(VerifiedTokenCache.keyId(header + ".e30.c2ln")).isEqualTo("k-1");
        String noKid = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(VerifiedTokenCache.keyId(noKid + ".e30.c2ln")).isNull();
        assertThat(VerifiedTokenCache.keyId("not-a-jwt")).isNull();
        assertThat(VerifiedTokenCache.keyId("!!!.e30.c2ln")).isNull();
        assertThat(VerifiedTokenCache.keyId(".e30.c2ln")).isNull();
    }

    private static void runAll(List<Runnable> tasks) {
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
    }

    @Test
    void lifetimeIsTheTimeLeftCappedAtTheMaximumAge() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("s").expiresAt(T0.plusSeconds(90)).build();
        assertThat(VerifiedTokenCache.lifetime(jwt, Duration.ofMinutes(5), clock)).isEqualTo(Duration.ofSeconds(90));
        assertThat(VerifiedTokenCache.lifetime(jwt, Duration.ofSeconds(30), clock)).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(91));
        assertThat(VerifiedTokenCache.lifetime(jwt, Duration.ofMinutes(5), clock)).isEqualTo(Duration.ZERO);
        Jwt forever = Jwt.withTokenValue("t").header("alg", "RS256").subject("s").build();
        assertThat(VerifiedTokenCache.lifetime(forever, Duration.ofMinutes(5), clock)).isEqualTo(Duration.ofMinutes(5));
    }
}
