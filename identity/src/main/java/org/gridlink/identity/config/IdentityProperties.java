package org.gridlink.identity.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The identity service's settings ({@code gridlink.identity.*}); defaults in identity.yml.
 *
 * @param issuer               the issuer URL put into every token ({@code iss}) and the metadata; blank: taken from
 *                             each request's host
 * @param keyFile              a JWK Set file (with the private key) to sign tokens with, created with a fresh RSA key
 *                             if missing; blank: a new key in memory at every start
 * @param consoleRedirectUris  where the web console may receive its authorization code
 * @param consoleOrigins       the browser origins allowed to call the token, JWK Set and user info endpoints
 * @param accessTokenTtl       how long an access token is valid
 */
@ConfigurationProperties("gridlink.identity")
public record IdentityProperties(String issuer, String keyFile, List<String> consoleRedirectUris,
                                 List<String> consoleOrigins, Duration accessTokenTtl) {

    public IdentityProperties {
        consoleRedirectUris = consoleRedirectUris == null ? List.of() : List.copyOf(consoleRedirectUris);
        consoleOrigins = consoleOrigins == null ? List.of() : List.copyOf(consoleOrigins);
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(30) : accessTokenTtl;
    }
}
