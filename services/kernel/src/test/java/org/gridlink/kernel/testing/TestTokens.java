package org.gridlink.kernel.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stand-in identity provider for a single node's tests: an RSA key whose public half is served over real HTTP
 * at {@code <issuer>/oauth2/jwks}, and tokens with gridlink's claims signed by it. (The cross-tier tests use the
 * real identity server instead.)
 */
public final class TestTokens implements AutoCloseable {

    private final RSAKey key;
    private final HttpServer server;

    private TestTokens(RSAKey key, HttpServer server) {
        this.key = key;
        this.server = server;
    }

    public static TestTokens start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            publishKeys(server, key);
            server.start();
            return new TestTokens(key, server);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This provider's keys published at {@code /oauth2/jwks} on {@code port} of 127.0.0.1 as well, from now until the
     * answer is closed: an identity provider coming up where a node or the gateway has been looking for its keys.
     */
    public AutoCloseable publishKeysOn(int port) {
        try {
            HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            publishKeys(other, key);
            other.start();
            return () -> other.stop(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer of a process that has never had the identity provider's keys to check a token with (they were to be
     * fetched from {@code keysPort}): 503 problem+json saying so, without the keys' address.
     */
    public static void expectKeysUnavailable(WebTestClient.ResponseSpec response, int keysPort) {
        response.expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("cannot check the access token now")
                        .doesNotContain(String.valueOf(keysPort)));
    }

    private static void publishKeys(HttpServer server, RSAKey key) {
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/oauth2/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The node argument that makes it trust this provider. */
    public String nodeArgument() {
        return "--gridlink.security.issuer=" + issuer();
    }

    /** A token valid for ten minutes. */
    public String token(String username, String unit, List<String> roles, List<String> grids) {
        return token(username, unit, roles, grids, Instant.now().plus(Duration.ofMinutes(10)));
    }

    public String token(String username, String unit, List<String> roles, List<String> grids, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer().toString())
                .subject(username)
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(expires))
                .claim("name", username)
                .claim("unit", unit)
                .claim("roles", roles)
                .claim("grids", grids)
                .claim("assignments", List.of())
                .claim("contracts", List.of())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
