package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The published keys as the decoder uses them: real RSA keys, real signed tokens, Nimbus's own signature check; the
 * identity provider's JWK Set a value the test changes (and, in the last test, served over HTTP).
 */
class PublishedKeysTest {

    private static final Duration REFRESH = Duration.ofMinutes(1);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private static RSAKey first;
    private static RSAKey second;

    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void makeKeys() throws JOSEException {
        first = key();
        second = key();
    }

    private PublishedKeys published() {
        return keys(Mono.defer(() -> {
            fetches.incrementAndGet();
            return down.get() ? Mono.error(new ConnectException("Connection refused")) : Mono.just(published.get());
        }));
    }

    private PublishedKeys keys(Mono<JWKSet> fetch) {
        return new PublishedKeys(fetch, "http://identity.test/oauth2/jwks", REFRESH, RETRY, nanos::get);
    }

    private static ReactiveJwtDecoder decoder(PublishedKeys keys) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(keys).build();
        decoder.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return decoder;
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aTokenIsCheckedWithTheKeysFetchedOnceWhileTheyAreNew() {
        published.set(publicOnly(first));
        ReactiveJwtDecoder decoder = decoder(published());

        for (int i = 0; i < 5; i++) {
            assertThat(decoder.decode(token(first)).block().getSubject()).isEqualTo("handler.410105001001");
            advance(Duration.ofSeconds(10));
        }
        assertThat(fetches).as("fetched once in its first 50 s").hasValue(1);
    }

    @Test
    void aWithdrawnKeyVerifiesNoTokenOnceTheKeysAreARefreshOld() {
        published.set(publicOnly(first));
        ReactiveJwtDecoder decoder = decoder(published());
        String before = token(first);
        assertThat(decoder.decode(before).block()).isNotNull();

        // the identity provider withdraws the first key (a new one signs from now on)
        published.set(publicOnly(second));
        advance(REFRESH.minusSeconds(1));
        assertThat(decoder.decode(before).block()).as("the keys are not a refresh old yet").isNotNull();

        advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> decoder.decode(before).block())
                .isInstanceOf(BadJwtException.class).rootCause().hasMessageContaining("no matching key");
        assertThatThrownBy(() -> decoder.decode(token(first)).block())
                .as("nor a token signed with it now, by whoever holds it")
                .isInstanceOf(BadJwtException.class);
        assertThat(decoder.decode(token(second)).block()).isNotNull();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void currentNamesTheKeyOfAKeyIdAndFetchesTheKeysInTheBackgroundOnceTheyAreARefreshOld() {
        published.set(publicOnly(first));
        PublishedKeys keys = published();
        assertThat(keys.current(first.getKeyID())).as("nothing fetched yet").isNull();
        assertThat(fetches).as("and current never fetches the first keys itself").hasValue(0);

        assertThat(decoder(keys).decode(token(first)).block()).isNotNull();
        // the key as published, equal by value (each fetch parses new objects)
        assertThat(keys.current(first.getKeyID())).isEqualTo(first.toPublicJWK());
        assertThat(keys.current(second.getKeyID())).isNull();
        assertThat(keys.current(null)).isInstanceOf(JWKSet.class);

        // the first key withdrawn: current names it until the keys fetched after that arrive
        published.set(publicOnly(second));
        advance(REFRESH.minusSeconds(1));
        assertThat(keys.current(first.getKeyID())).isEqualTo(first.toPublicJWK());
        assertThat(fetches).hasValue(1);
        advance(Duration.ofSeconds(1));
        assertThat(keys.current(first.getKeyID())).as("answered at once, the fetch in the background")
                .isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.current(first.getKeyID()) == null);
        assertThat(keys.current(second.getKeyID())).isEqualTo(second.toPublicJWK());
        assertThat(fetches).as("one fetch for all the calls meanwhile").hasValue(2);
    }

    @Test
    void aFailedBackgroundFetchKeepsTheKeysAndIsTriedAgainAfterARetry() {
        published.set(publicOnly(first));
        PublishedKeys keys = published();
        assertThat(decoder(keys).decode(token(first)).block()).isNotNull();
        down.set(true);
        advance(REFRESH);
        keys.current(first.getKeyID());
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.get() == 2);
        for (int i = 0; i < 10; i++) {
            assertThat(keys.current(first.getKeyID())).as("the identity provider down refuses nothing")
                    .isEqualTo(first.toPublicJWK());
        }
        assertThat(fetches).as("not again before a retry").hasValue(2);
        down.set(false);
        published.set(publicOnly(second));
        advance(RETRY);
        keys.current(first.getKeyID());
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.current(first.getKeyID()) == null);
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aProviderThatStaysDownIsLoggedOnceARefreshNotEveryRetry() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(PublishedKeys.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> said =
                new ch.qos.logback.core.read.ListAppender<>();
        said.start();
        logger.addAppender(said);
        try {
            published.set(publicOnly(first));
            PublishedKeys keys = published();
            assertThat(decoder(keys).decode(token(first)).block()).isNotNull();
            down.set(true);
            advance(REFRESH);
            for (int tries = 2; tries <= 13; tries++) { // a try every retry interval for a minute
                keys.current(first.getKeyID());
                int expected = tries;
                await().atMost(Duration.ofSeconds(10)).until(() -> fetches.get() == expected);
                advance(RETRY);
            }
            assertThat(said.list).filteredOn(e -> e.getFormattedMessage().startsWith("cannot fetch")).hasSize(1);
            keys.current(first.getKeyID());
            await().atMost(Duration.ofSeconds(10)).until(() -> fetches.get() == 14);
            assertThat(said.list).as("a minute after the first").filteredOn(e -> e.getFormattedMessage()
                    .startsWith("cannot fetch")).hasSize(2);
        } finally {
            logger.detachAppender(said);
        }
    }

    @Test
    void aNewKeyIsFetchedAtOnceAndMadeUpKeyIdsAtMostOnceARetry() throws JOSEException {
        published.set(publicOnly(first));
        ReactiveJwtDecoder decoder = decoder(published());
        assertThat(decoder.decode(token(first)).block()).isNotNull();
        advance(RETRY);

        // the identity provider publishes a second key and signs with it
        published.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())));
        assertThat(decoder.decode(token(second)).block()).as("fetched at once").isNotNull();
        assertThat(fetches).hasValue(2);

        // tokens naming keys nobody published: one fetch for all of them within a retry interval
        RSAKey stranger = key();
        for (int i = 0; i < 20; i++) {
            RSAKey madeUp = new RSAKey.Builder(stranger).keyID(UUID.randomUUID().toString()).build();
            assertThatThrownBy(() -> decoder.decode(token(madeUp)).block()).isInstanceOf(BadJwtException.class);
            advance(Duration.ofMillis(100));
        }
        assertThat(fetches).as("no fetch within " + RETRY + " of the last").hasValue(2);
        advance(RETRY);
        RSAKey madeUp = new RSAKey.Builder(stranger).keyID("made-up").build();
        assertThatThrownBy(() -> decoder.decode(token(madeUp)).block()).isInstanceOf(BadJwtException.class);
        assertThat(fetches).hasValue(3);
        assertThat(decoder.decode(token(first)).block()).as("the known keys still verify").isNotNull();
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aFailedFetchKeepsTheLastKeysAndIsTriedAgainAfterARetry() {
        published.set(publicOnly(first));
        ReactiveJwtDecoder decoder = decoder(published());
        assertThat(decoder.decode(token(first)).block()).isNotNull();

        down.set(true);
        advance(REFRESH);
        assertThat(decoder.decode(token(first)).block()).as("the identity provider down: the last keys").isNotNull();
        assertThat(fetches).hasValue(2);
        advance(RETRY.minusMillis(1));
        assertThat(decoder.decode(token(first)).block()).isNotNull();
        assertThat(fetches).as("not tried again before a retry interval").hasValue(2);
        advance(Duration.ofMillis(1));
        assertThat(decoder.decode(token(first)).block()).isNotNull();
        assertThat(fetches).hasValue(3);

        // back, with the first key withdrawn
        down.set(false);
        published.set(publicOnly(second));
        advance(RETRY);
        assertThatThrownBy(() -> decoder.decode(token(first)).block()).isInstanceOf(BadJwtException.class);
        assertThat(decoder.decode(token(second)).block()).isNotNull();
        assertThat(fetches).hasValue(4);
    }

    @Test
    void withoutAnyKeysYetATokenIsRefused() {
        down.set(true);
        ReactiveJwtDecoder decoder = decoder(published());
        assertThatThrownBy(() -> decoder.decode(token(first)).block()).hasRootCauseInstanceOf(ConnectException.class);

        down.set(false);
        published.set(publicOnly(first));
        assertThat(decoder.decode(token(first)).block()).as("the next check fetches again").isNotNull();
    }

    @Test
    void checksMeanwhileShareOneFetch() {
        Sinks.One<JWKSet> answer = Sinks.one();
        PublishedKeys keys = keys(Mono.defer(() -> {
            fetches.incrementAndGet();
            return answer.asMono();
        }));
        ReactiveJwtDecoder decoder = decoder(keys);

        List<Mono<Jwt>> checks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            checks.add(decoder.decode(token(first)).cache());
        }
        checks.forEach(Mono::subscribe);
        assertThat(fetches).hasValue(1);

        answer.tryEmitValue(publicOnly(first));
        for (Mono<Jwt> check : checks) {
            assertThat(check.block(Duration.ofSeconds(5))).isNotNull();
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void theSetIsFetchedOverHttpAgainOnceARefreshOld() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(publicOnly(first).toString());
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = jwksServer(body, requests);
        try {
            ReactiveJwtDecoder decoder = decoder(keysOverHttp(server));
            String before = token(first);
            assertThat(decoder.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(decoder.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(requests).hasValue(1);

            body.set(publicOnly(second).toString());
            advance(REFRESH);
            assertThatThrownBy(() -> decoder.decode(before).block(Duration.ofSeconds(10)))
                    .isInstanceOf(BadJwtException.class);
            assertThat(decoder.decode(token(second)).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(requests).hasValue(2);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aKeptTokenIsServedWhileItsKeyIsPublishedAndRefusedOnceTheKeysWithoutItArrive() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(publicOnly(first).toString());
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = jwksServer(body, requests);
        try {
            PublishedKeys keys = keysOverHttp(server);
            ReactiveJwtDecoder signatures = decoder(keys);
            AtomicInteger checks = new AtomicInteger();
            VerifiedTokenCache cache = new VerifiedTokenCache(token -> {
                checks.incrementAndGet();
                return signatures.decode(token);
            }, keys::current, jwt -> OAuth2TokenValidatorResult.success(), 100, Duration.ofHours(1),
                    Clock.systemUTC());
            String before = token(first);
            // the keys known before the token comes (a token checked before any was known is checked once more)
            assertThat(signatures.decode(token(first)).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(cache.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(cache.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(checks).hasValue(1);
            int checked = checks.get();

            // the same keys fetched again (new objects, equal ones): the kept token is not checked again
            advance(REFRESH);
            assertThat(cache.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 2);
            for (int i = 0; i < 100; i++) {
                assertThat(cache.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            }
            assertThat(checks).hasValue(checked);

            // the first key withdrawn: served until the keys without it arrive (fetched in the background), then
            // checked again and refused, with no new token needed to fetch them
            body.set(publicOnly(second).toString());
            advance(REFRESH);
            assertThat(cache.decode(before).block(Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> keys.current(first.getKeyID()) == null);
            assertThatThrownBy(() -> cache.decode(before).block(Duration.ofSeconds(10)))
                    .isInstanceOf(BadJwtException.class);
            assertThat(cache.decode(token(second)).block(Duration.ofSeconds(10))).isNotNull();
        } finally {
            server.stop(0);
        }
    }

    /** An identity provider's JWK Set endpoint on the loopback, serving {@code body} and counting its requests. */
    private static HttpServer jwksServer(AtomicReference<String> body, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth2/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        server.start();
        return server;
    }

    /**
     * The keys {@code server} publishes, fetched over HTTP by {@link PublishedKeys#at} on this test's clock
     * ({@link #advance}), fetched again at once for key ids the set lacks.
     */
    private PublishedKeys keysOverHttp(HttpServer server) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/jwks");
        return PublishedKeys.at(uri, WebClient.create(), REFRESH, Duration.ZERO, nanos::get);
    }

    private static JWKSet publicOnly(RSAKey key) {
        return new JWKSet(key.toPublicJWK());
    }

    private static RSAKey key() throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).generate();
    }

    private static String token(RSAKey key) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:9000")
                .subject("handler.410105001001").issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(900))).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
