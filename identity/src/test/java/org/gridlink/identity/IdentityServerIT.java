package org.gridlink.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gridlink.identity.client.PkceLogin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging in through the real browser flow over HTTP, and what the tokens say. */
class IdentityServerIT {

    private static final String CONSOLE = "gridlink-console";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    static RunningIdentity identity;

    @BeforeAll
    static void start() {
        identity = RunningIdentity.start(data.resolve("identity/jwks.json"));
    }

    @AfterAll
    static void stop() {
        identity.close();
    }

    @Test
    void aGridWorkerGetsASignedTokenNamingUnitRolesAndGrid() throws Exception {
        String token = login("gridworker.410105001001-01", "grid-worker-demo");

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) publishedKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is published at /oauth2/jwks").isNotNull();
        assertThat(key.isPrivate()).as("/oauth2/jwks publishes no private key").isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature").isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("gridworker.410105001001-01");
        assertThat(claims.getIssuer()).isEqualTo(identity.issuer().toString());
        assertThat(claims.getStringClaim("name")).isEqualTo("经八路社区第一网格网格员");
        assertThat(claims.getStringClaim("unit")).isEqualTo("410105001001");
        assertThat(claims.getStringListClaim("roles")).containsExactly("GRID_WORKER");
        assertThat(claims.getStringListClaim("grids")).containsExactly("410105001001-01");
        assertThat(claims.getStringListClaim("assignments")).isEmpty();
        assertThat(claims.getStringListClaim("contracts")).isEmpty();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aLeaderCarriesTheUnitsHeAnswersForAndAnOfficerHisAssignments() throws Exception {
        JWTClaimsSet leader = SignedJWT.parse(login("leader.410100000000", "leader-demo")).getJWTClaimsSet();
        assertThat(leader.getStringListClaim("roles")).containsExactly("LEADER");
        assertThat(leader.getStringClaim("unit")).isEqualTo("410100000000");
        assertThat(leader.getStringListClaim("contracts"))
                .containsExactly("410105000000", "410108000000", "410184000000");

        JWTClaimsSet officer = SignedJWT.parse(login("officer.URBAN_MANAGEMENT.410105001000", "department-officer-demo"))
                .getJWTClaimsSet();
        assertThat(officer.getStringListClaim("roles")).containsExactly("DEPARTMENT_OFFICER");
        assertThat(officer.getStringListClaim("assignments"))
                .containsExactly("410105001001", "410105001002", "410105001003");
        assertThat(officer.getStringListClaim("grids")).isEmpty();
    }

    @Test
    void userInfoAnswersWithTheSameClaims() throws Exception {
        String token = login("supervisor.410105001000", "supervisor-demo");
        HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(identity.uri("/userinfo"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"sub\":\"supervisor.410105001000\"", "\"unit\":\"410105001000\"",
                "\"roles\":[\"SUPERVISOR\"]", "经八路街道办事处督办员");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> login("supervisor.410105001000", "handler-demo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("login refused for supervisor.410105001000");
    }

    @Test
    void someoneNotInTheSeedsIsRefused() {
        assertThatThrownBy(() -> login("handler.419999000000", "handler-demo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("login refused for handler.419999000000");
    }

    @Test
    void anUnregisteredRedirectUriGetsNoCode() {
        assertThatThrownBy(() -> PkceLogin.accessToken(identity.issuer(), CONSOLE,
                URI.create("http://evil.example/"), "supervisor.410105001000", "supervisor-demo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("400");
    }

    @Test
    void theConsoleOriginMayCallTheTokenEndpointFromTheBrowserAndNoOtherOrigin() throws Exception {
        HttpResponse<String> allowed = preflight("/oauth2/token", "http://localhost:8080");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:8080");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");

        HttpResponse<String> refused = preflight("/oauth2/token", "http://evil.example");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> jwks = HTTP.send(HttpRequest.newBuilder(identity.uri("/oauth2/jwks"))
                .header("Origin", "http://127.0.0.1:8080").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");
    }

    @Test
    void theKeyFileHoldsThePublishedKeyWithItsPrivatePart() throws Exception {
        Path keyFile = data.resolve("identity/jwks.json");
        assertThat(keyFile).exists();
        JWKSet stored = JWKSet.parse(Files.readString(keyFile));
        assertThat(stored.getKeys()).singleElement().satisfies(k -> {
            assertThat(k.isPrivate()).isTrue();
            assertThat(k.getKeyID()).isNotBlank();
            assertThat(k.toRSAKey().size()).isEqualTo(2048);
        });
        assertThat(publishedKeys().getKeys()).extracting(k -> k.getKeyID())
                .isEqualTo(List.of(stored.getKeys().get(0).getKeyID()));
    }

    @Test
    void healthIsOpenAndEverythingElseWantsALogin() throws Exception {
        assertThat(HTTP.send(HttpRequest.newBuilder(identity.uri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> home = HTTP.send(HttpRequest.newBuilder(identity.uri("/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElse("")).endsWith("/login");
    }

    private static String login(String username, String password) {
        return PkceLogin.accessToken(identity.issuer(), CONSOLE, RunningIdentity.CONSOLE_REDIRECT, username, password);
    }

    private static JWKSet publishedKeys() throws Exception {
        return JWKSet.load(identity.uri("/oauth2/jwks").toURL());
    }

    private static HttpResponse<String> preflight(String path, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(identity.uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
