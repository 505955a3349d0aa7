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
        return new VerifiedTokenCache(verifier, times, 100, Duration.ofMinutes(5), clock, verifyOn);
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
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, jwt -> {
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
    void neverKeepsATokenItsClaimsRefused() {
        // the nodes' own validator (issuer and times), its time check on the test's clock: on the system clock the
        // tokens, made at T0, are expired from T0 + 10 min on, and the refusal names the expiry instead of the issuer
        JwtTimestampValidator times = new JwtTimestampValidator(Duration.ZERO);
        times.setClock(clock);
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, new DelegatingOAuth2TokenValidator<>(times,
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
    void checksATokenInUseAgainBeforeItsMaximumAgeWhileServingItFromTheCache() {
        // the refreshes on an executor the test runs by hand, so that what the request gets is seen before them
        List<Runnable> background = new ArrayList<>();
        VerifiedTokenCache cache = cache(background::add);
        // the first check on the executor too: the request waits for it
        StepVerifier.create(cache.decode("b:3600"))
                .then(() -> {
                    assertThat(verifications).hasValue(0);
                    runAll(background);
                })
                .expectNextCount(1).verifyComplete();
        assertThat(verifications).hasValue(1);

        clock.advance(Duration.ofMinutes(4).plusSeconds(1)); // past four fifths of the maximum age
        StepVerifier.create(cache.decode("b:3600"))
                .assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("b"))
                .verifyComplete(); // answered at once from the cache, the new check not yet run
        assertThat(verifications).hasValue(1);
        runAll(background);
        assertThat(verifications).hasValue(2);

        // five minutes after the first check, four seconds after the second: still kept
        clock.advance(Duration.ofMinutes(1));
        cache.decode("b:3600").block();
        runAll(background);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void dropsATokenThatNoLongerVerifiesWhenCheckedAgain() {
        List<Runnable> background = new ArrayList<>();
        VerifiedTokenCache cache = cache(background::add);
        StepVerifier.create(cache.decode("b:3600")).then(() -> runAll(background))
                .expectNextCount(1).verifyComplete();
        withdrawn.set(true); // its signing key withdrawn: the signature check now refuses it
        clock.advance(Duration.ofMinutes(4).plusSeconds(1));
        cache.decode("b:3600").block(); // still served while checked again
        runAll(background);
        assertThat(cache.size()).isZero();
        StepVerifier.create(cache.decode("b:3600")).then(() -> runAll(background))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BadJwtException.class)
                        .hasMessageContaining("Invalid signature"))
                .verify();
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
        }), jwt -> OAuth2TokenValidatorResult.success(), 100, Duration.ofMinutes(5), Clock.systemUTC());
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
    void refreshesFourFifthsOfTheWayToTheMaximumAge() {
        assertThat(VerifiedTokenCache.refreshAfter(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(4));
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
