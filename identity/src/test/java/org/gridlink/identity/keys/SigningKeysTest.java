package org.gridlink.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file: made once with a private RSA key and a kid, read back as it is, refused when unusable. */
class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsCreatedWithAFreshKeyAndReadBackUnchanged() throws Exception {
        Path file = dir.resolve("a/b/jwks.json");
        JWKSet created = SigningKeys.fromFile(file);
        assertThat(file).exists();

        // plain nimbus JSON with the private part: anyone holding the file can sign tokens the server accepts
        RSAKey stored = JWKSet.parse(Files.readString(file)).getKeys().get(0).toRSAKey();
        assertThat(stored.isPrivate()).isTrue();
        assertThat(stored.size()).isEqualTo(2048);
        assertThat(stored.getKeyID()).isEqualTo(created.getKeys().get(0).getKeyID());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stored.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("test").build());
        jwt.sign(new RSASSASigner(stored));
        assertThat(jwt.verify(new RSASSAVerifier(created.getKeys().get(0).toRSAKey().toPublicJWK()))).isTrue();

        assertThat(SigningKeys.fromFile(file).getKeys().get(0).getKeyID()).isEqualTo(stored.getKeyID());
    }

    @Test
    void aFileWithoutThePrivateKeyIsRefused() throws Exception {
        Path file = dir.resolve("public.json");
        Files.writeString(file, SigningKeys.inMemory().toString(true));
        assertThatThrownBy(() -> SigningKeys.fromFile(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("private part");
    }

    @Test
    void aFileThatIsNoJwkSetIsRefused() throws Exception {
        Path file = dir.resolve("garbage.json");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> SigningKeys.fromFile(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a JWK Set");
    }
}
