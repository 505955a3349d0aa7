package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

/** {@link BearerTokens} reads every header as Spring Security's converter does, without its regular expression. */
class BearerTokensTest {

    private static final String JWT = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJoYW5kbGVyLjQxMDEwNTAwMTAwMSJ9"
            + ".c2lnbmF0dXJlLXBhcnQtd2l0aC1-Xy0rLw";

    private final ServerAuthenticationConverter ours = new BearerTokens();
    private final ServerAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();

    @Test
    void readsAWellFormedTokenInAnyCaseOfTheScheme() {
        assertThat(outcome(ours, "Bearer " + JWT)).isEqualTo("token " + JWT);
        assertThat(outcome(ours, "bearer " + JWT)).isEqualTo("token " + JWT);
        assertThat(outcome(ours, "BEARER abc==")).isEqualTo("token abc==");
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoToken() {
        assertThat(outcome(ours, null)).isEqualTo("none");
        assertThat(outcome(ours, "Basic dXNlcjpwYXNz")).isEqualTo("none");
        assertThat(outcome(ours, "")).isEqualTo("none");
    }

    @Test
    void aMalformedBearerTokenIsRefusedAsInvalid() {
        for (String header : List.of("Bearer", "Bearer ", "Bearer  " + JWT, "Bearer\t" + JWT, "BearerX " + JWT,
                "Bearer ===", "Bearer a=b", "Bearer a b", "Bearer " + JWT + " ", "Bearer é", "Bearer a\u0000")) {
            assertThat(outcome(ours, header)).as(header).isEqualTo("refused invalid_token");
        }
    }

    @Test
    void aTokenInTheQueryIsNotRead() {
        for (String query : List.of("?access_token=abc", "?x=1&access_token=abc&y=2", "?access_token=", "?token=abc")) {
            for (String header : Arrays.asList(null, "Bearer " + JWT, "Basic abc", "Bearer ===")) {
                assertThat(outcome(ours, header, query)).as(header + " " + query)
                        .isEqualTo(outcome(spring, header, query));
            }
        }
        assertThat(outcome(ours, "Bearer " + JWT, "?access_token=abc")).isEqualTo("token " + JWT);
        assertThat(outcome(ours, null, "?access_token=" + JWT)).isEqualTo("none");
    }

    @Test
    void answersAsSpringSecuritysConverterForManyHeaders() {
        List<String> headers = new ArrayList<>(List.of("Bearer " + JWT, "bearer " + JWT, "Bearer", "Bearer ",
                "Bearer ===", "Bearer a=b", "Bearer abc==", "BearerX abc", "Basic abc", "", "bear abc"));
        Random random = new Random(8);
        String alphabet = "aZ09-._~+/= \t\u00e9:,;\"Bb";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder header = new StringBuilder(random.nextInt(4) == 0 ? "bEaReR" : "Bearer");
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(header.toString());
        }
        for (String header : headers) {
            assertThat(outcome(ours, header)).as("[" + header + "]").isEqualTo(outcome(spring, header));
        }
    }

    /** What a converter makes of a request with this Authorization header: "none", "token …" or "refused …". */
    private static String outcome(ServerAuthenticationConverter converter, String header) {
        return outcome(converter, header, "");
    }

    private static String outcome(ServerAuthenticationConverter converter, String header, String query) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/units/410105001001/cases" + query);
        if (header != null) {
            request.header(HttpHeaders.AUTHORIZATION, header);
        }
        try {
            Authentication authentication = converter.convert(MockServerWebExchange.from(request)).block();
            return authentication == null ? "none"
                    : "token " + ((BearerTokenAuthenticationToken) authentication).getToken();
        } catch (OAuth2AuthenticationException e) {
            return "refused " + e.getError().getErrorCode();
        }
    }
}
