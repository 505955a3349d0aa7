package org.gridlink.security;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.header.ContentSecurityPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SecurityHeaders} leaves every answer the headers Spring Security's own writers leave, configured alike. */
class SecurityHeadersTest {

    static final String POLICY = "default-src 'self'; object-src 'none'";

    /** Every name the writers write, and one they do not. */
    static final String[] NAMES = { "Cache-Control", "Pragma", "Expires", "X-Content-Type-Options",
            "Strict-Transport-Security", "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy",
            "Referrer-Policy", "X-Request-Id" };

    static final HttpStatus[] STATUSES = { null, HttpStatus.OK, HttpStatus.CREATED, HttpStatus.NOT_MODIFIED,
            HttpStatus.NOT_FOUND, HttpStatus.INTERNAL_SERVER_ERROR };

    @Test
    void springSecuritysDefaults() {
        int written = sameOnEveryMix(springSecurity(Customizer.withDefaults()), SecurityHeaders.springDefaults());
        assertThat(written).isGreaterThan(1000);
    }

    @Test
    void springSecuritysDefaultsWithAPolicyAndAReferrerPolicy() {
        ServerHttpHeadersWriter spring = springSecurity(h -> h
                .contentSecurityPolicy(csp -> csp.policyDirectives(POLICY))
                .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .frameOptions(f -> f.mode(Mode.DENY)));
        SecurityHeaders ours = SecurityHeaders.springDefaults()
                .with(ContentSecurityPolicyServerHttpHeadersWriter.CONTENT_SECURITY_POLICY, POLICY)
                .with(ReferrerPolicyServerHttpHeadersWriter.REFERRER_POLICY,
                        ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN.getPolicy());
        int written = sameOnEveryMix(spring, ours);
        assertThat(written).isGreaterThan(1000);
    }

    @Test
    void anAnswerWithoutAnyGetsTheDefaults() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("https://city.example/api"));
        SecurityHeaders.springDefaults().writeHttpHeaders(exchange).block();
        HttpHeaders headers = exchange.getResponse().getHeaders();
        assertThat(headers.getFirst("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
        assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(headers.getFirst("X-XSS-Protection")).isEqualTo("0");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @Test
    void theyTakeTheWritersPlaceInTheChain() {
        ServerHttpSecurity http = ServerHttpSecurity.http();
        SecurityHeaders ours = SecurityHeaders.springDefaults();
        List<WebFilter> filters = ours.applyTo(http).build().getWebFilters().collectList().block();
        assertThat(filters).filteredOn(HttpHeaderWriterWebFilter.class::isInstance).singleElement()
                .satisfies(filter -> assertThat(ReflectionTestUtils.getField(filter, "writer")).isSameAs(ours));
        // at Spring Security's own place for it: right after the first filter it puts before it
        List<WebFilter> defaults = ServerHttpSecurity.http().build().getWebFilters().collectList().block();
        assertThat(indexOfHeaderWriter(filters)).isEqualTo(indexOfHeaderWriter(defaults));
    }

    private static int indexOfHeaderWriter(List<WebFilter> filters) {
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i) instanceof HttpHeaderWriterWebFilter) {
                return i;
            }
        }
        return -1;
    }

    /** Spring Security's own writer, as its header spec builds it. */
    static ServerHttpHeadersWriter springSecurity(Customizer<ServerHttpSecurity.HeaderSpec> headers) {
        List<WebFilter> filters = ServerHttpSecurity.http().headers(headers).build().getWebFilters().collectList()
                .block();
        WebFilter writerFilter = filters.stream().filter(HttpHeaderWriterWebFilter.class::isInstance).findFirst()
                .orElseThrow();
        return (ServerHttpHeadersWriter) ReflectionTestUtils.getField(writerFilter, "writer");
    }

    /**
     * Answers with every mix of those names already set (in any case), each status, over HTTP and HTTPS: both writers
     * leave the same headers. Returns how many answers got at least one header from them.
     */
    static int sameOnEveryMix(ServerHttpHeadersWriter spring, ServerHttpHeadersWriter ours) {
        Random random = new Random(63);
        int written = 0;
        for (int i = 0; i < 5000; i++) {
            String uri = (random.nextBoolean() ? "https" : "http") + "://city.example/api/units/410105001001/cases";
            HttpStatus status = STATUSES[random.nextInt(STATUSES.length)];
            Map<String, String> preset = new HashMap<>();
            for (String name : NAMES) {
                if (random.nextInt(5) == 0) {
                    String cased = random.nextBoolean() ? name.toLowerCase(Locale.ROOT) : name;
                    preset.put(cased, "preset-" + random.nextInt(3));
                }
            }
            MockServerWebExchange bySpring = exchange(uri, status, preset);
            MockServerWebExchange byOurs = exchange(uri, status, preset);
            spring.writeHttpHeaders(bySpring).block();
            ours.writeHttpHeaders(byOurs).block();
            Map<String, List<String>> expected = byName(bySpring.getResponse().getHeaders());
            assertThat(byName(byOurs.getResponse().getHeaders())).as("%s %s %s", uri, status, preset)
                    .isEqualTo(expected);
            if (expected.size() > preset.size()) {
                written++;
            }
        }
        return written;
    }

    private static MockServerWebExchange exchange(String uri, HttpStatus status, Map<String, String> preset) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
        if (status != null) {
            exchange.getResponse().setStatusCode(status);
        }
        preset.forEach(exchange.getResponse().getHeaders()::add);
        return exchange;
    }

    private static Map<String, List<String>> byName(HttpHeaders headers) {
        Map<String, List<String>> byName = new HashMap<>();
        headers.forEach((name, values) -> byName.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return byName;
    }
}
