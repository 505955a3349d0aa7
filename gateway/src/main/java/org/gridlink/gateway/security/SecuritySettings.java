package org.gridlink.gateway.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gridlink.security.*}, the same settings the nodes read, plus what only the gateway needs.
 *
 * @param issuer         the city's identity provider; tokens must name it as {@code iss}
 * @param jwkSetUri      where its signing keys are published (default {@code <issuer>/oauth2/jwks})
 * @param clockSkew      how far token times may be off this machine's clock
 * @param consoleClient  the console's OAuth2 client id at the provider
 * @param consoleOrigins origins other than the gateway's own allowed to call the API from a browser (CORS)
 * @param rateLimit      requests per period, per user and per client address
 */
@ConfigurationProperties("gridlink.security")
public record SecuritySettings(@DefaultValue("http://localhost:9000") URI issuer, URI jwkSetUri,
                               @DefaultValue("30s") Duration clockSkew,
                               @DefaultValue("gridlink-console") String consoleClient,
                               @DefaultValue List<String> consoleOrigins,
                               @DefaultValue RateLimit rateLimit) {

    public URI keys() {
        return jwkSetUri != null ? jwkSetUri : URI.create(issuerText() + "/oauth2/jwks");
    }

    public String issuerText() {
        return issuer.toString().replaceAll("/+$", "");
    }

    /**
     * @param perUser    requests a signed-in user may make per period
     * @param perAddress requests one client address may make per period, signed in or not
     * @param period     the period; a refused client is told to come back after it
     */
    public record RateLimit(@DefaultValue("50") int perUser, @DefaultValue("200") int perAddress,
                            @DefaultValue("1s") Duration period) {
    }
}
