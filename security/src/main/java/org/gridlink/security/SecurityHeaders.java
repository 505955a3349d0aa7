package org.gridlink.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.header.CacheControlServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentTypeOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.StrictTransportSecurityServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XXssProtectionServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The security headers Spring Security writes on every answer (its {@code headers()} defaults: no caching, no content
 * sniffing, HSTS over HTTPS, no framing, the XSS auditor off, no referrer) and any the app adds, written with the same
 * rules, in the gateway and every node: a group of headers is written only when the answer has none of its names yet,
 * the cache headers not on a 304, HSTS only on a request that came over HTTPS.
 * <p>
 * Spring Security's writers build two case-insensitive sets of their own header names for each answer (Spring
 * Framework 7's {@code HttpHeaders.headerNames()} and {@code forEach}), and its composite writer a Reactor pipeline
 * over the dozen of them: 3.4% of the gateway's samples serving queue pages in issue 8's profile (the sixty-third session).
 * Here the names and values are made once, and an answer costs a lookup of each name. {@code SecurityHeadersTest}
 * checks that Spring Security's own writers, configured alike, leave every mix of answer the same headers.
 */
public final class SecurityHeaders implements ServerHttpHeadersWriter {

    /** Headers written together when the answer has none of their names and {@code when} holds. */
    private record Group(String[] names, String[] values, Predicate<ServerWebExchange> when) {

        boolean absentFrom(HttpHeaders headers) {
            for (String name : names) {
                if (headers.containsHeader(name)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Predicate<ServerWebExchange> ALWAYS = exchange -> true;

    private final List<Group> groups;

    private SecurityHeaders(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    /** Spring Security's defaults, in its order. */
    public static SecurityHeaders springDefaults() {
        List<Group> groups = new ArrayList<>();
        groups.add(new Group(
                new String[] { HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES },
                new String[] { CacheControlServerHttpHeadersWriter.CACHE_CONTROL_VALUE,
                        CacheControlServerHttpHeadersWriter.PRAGMA_VALUE,
                        CacheControlServerHttpHeadersWriter.EXPIRES_VALUE },
                SecurityHeaders::notNotModified));
        groups.add(new Group(new String[] { ContentTypeOptionsServerHttpHeadersWriter.X_CONTENT_OPTIONS },
                new String[] { ContentTypeOptionsServerHttpHeadersWriter.NOSNIFF }, ALWAYS));
        groups.add(new Group(new String[] { StrictTransportSecurityServerHttpHeadersWriter.STRICT_TRANSPORT_SECURITY },
                new String[] { "max-age=31536000 ; includeSubDomains" }, SecurityHeaders::overHttps));
        groups.add(new Group(new String[] { XFrameOptionsServerHttpHeadersWriter.X_FRAME_OPTIONS },
                new String[] { XFrameOptionsServerHttpHeadersWriter.Mode.DENY.name() }, ALWAYS));
        groups.add(new Group(new String[] { XXssProtectionServerHttpHeadersWriter.X_XSS_PROTECTION },
                new String[] { XXssProtectionServerHttpHeadersWriter.HeaderValue.DISABLED.toString() }, ALWAYS));
        groups.add(new Group(new String[] { ReferrerPolicyServerHttpHeadersWriter.REFERRER_POLICY },
                new String[] { ReferrerPolicy.NO_REFERRER.getPolicy() }, ALWAYS));
        return new SecurityHeaders(groups);
    }

    /**
     * These headers with one more, or another value for one of them written alone (the referrer policy, say), written
     * on every answer that does not have it yet.
     */
    public SecurityHeaders with(String name, String value) {
        List<Group> more = new ArrayList<>(groups);
        Group header = new Group(new String[] { name }, new String[] { value }, ALWAYS);
        for (int i = 0; i < more.size(); i++) {
            if (more.get(i).names().length == 1 && more.get(i).names()[0].equalsIgnoreCase(name)) {
                more.set(i, header);
                return new SecurityHeaders(more);
            }
        }
        more.add(header);
        return new SecurityHeaders(more);
    }

    /** In place of Spring Security's header writers, at their place in the chain. */
    public ServerHttpSecurity applyTo(ServerHttpSecurity http) {
        return http.headers(ServerHttpSecurity.HeaderSpec::disable)
                .addFilterAt(new HttpHeaderWriterWebFilter(this), SecurityWebFiltersOrder.HTTP_HEADERS_WRITER);
    }

    @Override
    public Mono<Void> writeHttpHeaders(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        for (Group group : groups) {
            if (group.when().test(exchange) && group.absentFrom(headers)) {
                for (int i = 0; i < group.names().length; i++) {
                    headers.set(group.names()[i], group.values()[i]);
                }
            }
        }
        return Mono.empty();
    }

    /** As Spring Security's cache headers: not on a 304, whose cache headers are the resource's own. */
    private static boolean notNotModified(ServerWebExchange exchange) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return status == null || status.value() != 304;
    }

    /** As Spring Security's HSTS: only on a request whose URI's scheme is https. */
    private static boolean overHttps(ServerWebExchange exchange) {
        return "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme());
    }
}
