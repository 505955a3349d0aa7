package org.gridlink.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gridlink.identity.client.PkceLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing key is made once, in the key file, and kept across restarts: tokens stay valid. */
class SigningKeyRestartIT {

    @TempDir
    Path data;

    @Test
    void theKeyFileIsCreatedOnceAndReusedAfterARestart() throws Exception {
        Path keyFile = data.resolve("nested/identity/jwks.json");
        String firstKid;
        String tokenBeforeRestart;
        try (RunningIdentity identity = RunningIdentity.start(keyFile)) {
            assertThat(keyFile).exists();
            firstKid = JWKSet.parse(Files.readString(keyFile)).getKeys().get(0).getKeyID();
            tokenBeforeRestart = login(identity);
            assertThat(SignedJWT.parse(tokenBeforeRestart).getHeader().getKeyID()).isEqualTo(firstKid);
        }
        String fileBeforeRestart = Files.readString(keyFile);

        try (RunningIdentity identity = RunningIdentity.start(keyFile)) {
            assertThat(Files.readString(keyFile)).as("the key file is left as it was").isEqualTo(fileBeforeRestart);
            JWKSet published = JWKSet.load(identity.uri("/oauth2/jwks").toURL());
            assertThat(published.getKeys()).singleElement().satisfies(k -> assertThat(k.getKeyID()).isEqualTo(firstKid));
            String tokenAfterRestart = login(identity);
            assertThat(SignedJWT.parse(tokenAfterRestart).getHeader().getKeyID()).isEqualTo(firstKid);
            // a token from before the restart still verifies against what is published now
            assertThat(SignedJWT.parse(tokenBeforeRestart)
                    .verify(new RSASSAVerifier(published.getKeyByKeyId(firstKid).toRSAKey()))).isTrue();
        }
    }

    private static String login(RunningIdentity identity) {
        return PkceLogin.accessToken(identity.issuer(), "gridlink-console", RunningIdentity.CONSOLE_REDIRECT,
                "handler.410105001000", "handler-demo");
    }
}
