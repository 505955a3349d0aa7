package org.gridlink.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the bearer token of a request's {@code Authorization} header, for the gateway and every node, as Spring
 * Security's {@code ServerBearerTokenAuthenticationConverter} does with its default settings (the scheme's name in any
 * case, exactly one space, RFC 6750's token characters; a token in the query is not read), without its regular
 * expression: matching it over a whole token took 2–3% of a node's and the gateway's CPU in issue 8's profile.
 * <p>
 * No {@code Authorization} header, or one of another scheme, is no token (the request goes on unauthenticated and is
 * refused where the API needs a person); a bearer header whose token is malformed is refused as an invalid token.
 */
public final class BearerTokens implements ServerAuthenticationConverter {

    private static final String SCHEME = "Bearer";
    // RFC 6750's b64token characters, looked up by their code (a token is some 800 of them)
    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/".toCharArray()) {
            TOKEN_CHARS[c] = true;
        }
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Mono.empty();
        }
        String token = token(header);
        if (token == null) {
            return Mono.error(new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed")));
        }
        return Mono.just(new BearerTokenAuthenticationToken(token));
    }

    /**
     * The token of a header that begins with the bearer scheme's name, or null when the rest is not one space and a
     * {@code b64token} (RFC 6750 §2.1: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}).
     */
    static String token(String header) {
        int start = SCHEME.length() + 1;
        if (header.length() <= start || header.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        int end = header.length();
        int padding = end;
        while (padding > start && header.charAt(padding - 1) == '=') {
            padding--;
        }
        if (padding == start) {
            return null;
        }
        for (int i = start; i < padding; i++) {
            if (!isTokenChar(header.charAt(i))) {
                return null;
            }
        }
        return header.substring(start);
    }

    private static boolean isTokenChar(char c) {
        return c < 128 && TOKEN_CHARS[c];
    }
}
