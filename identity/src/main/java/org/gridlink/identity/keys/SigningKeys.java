package org.gridlink.identity.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;

/**
 * The key that signs tokens: an RSA 2048 key with a key id, kept in a plain (nimbus) JWK Set file with its
 * private part, so that it survives a restart and tests can sign tokens of their own with it.
 */
public final class SigningKeys {

    private SigningKeys() {
    }

    /** A fresh key that lives as long as this process. */
    public static JWKSet inMemory() {
        return new JWKSet(generate());
    }

    /** The key in {@code file}; a fresh one, written there first, if the file does not exist. */
    public static JWKSet fromFile(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        JWKSet keys = inMemory();
        write(file, keys);
        return keys;
    }

    private static JWKSet read(Path file) {
        JWKSet keys;
        try {
            keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key file " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException("the signing key file " + file + " is not a JWK Set: " + e.getMessage(), e);
        }
        List<JWK> signing = keys.getKeys().stream()
                .filter(k -> k instanceof RSAKey && k.isPrivate() && k.getKeyID() != null).toList();
        if (signing.size() != 1 || keys.getKeys().size() != 1) {
            throw new IllegalStateException("the signing key file " + file + " must hold exactly one RSA key, with "
                    + "its private part and a key id (kid); delete it to have a new one made");
        }
        return keys;
    }

    private static void write(Path file, JWKSet keys) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, keys.toString(false) + System.lineSeparator(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key file " + file, e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }
}
