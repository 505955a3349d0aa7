package org.gridlink.security;

import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * Spring Security's strict firewall, in the gateway and every node (each imports this), with its header and query
 * parameter name checks answered at once for printable ASCII, which is every header and parameter name a client of
 * gridlink sends. Anything else goes to the firewall's own check. Its regular expression ran over each header read,
 * the whole bearer token included: 1–2% of a node's and the gateway's CPU in issue 8's profile. It also ran over every
 * parameter's name each time a handler's {@code @RequestParam} asked for the query's parameters (16 times a queue page,
 * a matcher each time: about 5% of the page's garbage in the sixty-first session's allocation profile). What is
 * allowed and refused is unchanged. The firewalled request is made once per exchange ({@link RequestOnce}).
 */
@Configuration(proxyBeanMethods = false)
public class HeaderFirewall {

    @Bean
    static ServerWebExchangeFirewall strictFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES));
        firewall.setAllowedHeaderValues(printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES));
        firewall.setAllowedParameterNames(printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES));
        return exchange -> firewall.getFirewalledExchange(exchange).map(RequestOnce::new);
    }

    /**
     * The firewalled exchange with its request, and that request's headers, made once. The strict firewall's exchange
     * wraps its request anew on every {@code getRequest()}, and that request its headers on every
     * {@code getHeaders()}: dozens of times a request in the gateway, whose every filter and handler mapping asks
     * (1.8% of its samples serving queue pages in issue 8's profile of the sixty-third session). The firewall's checks
     * are the same: they run on each header and query parameter read, as before.
     */
    static final class RequestOnce extends ServerWebExchangeDecorator {

        private final ServerHttpRequest request;

        RequestOnce(ServerWebExchange firewalled) {
            super(firewalled);
            this.request = new HeadersOnce(firewalled.getRequest());
        }

        @Override
        public ServerHttpRequest getRequest() {
            return request;
        }
    }

    /** A request whose headers are made once. */
    static final class HeadersOnce extends ServerHttpRequestDecorator {

        private final HttpHeaders headers;

        HeadersOnce(ServerHttpRequest firewalled) {
            super(firewalled);
            this.headers = firewalled.getHeaders();
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        /** The firewall's builder, whose request is checked as this one is. */
        @Override
        public Builder mutate() {
            return getDelegate().mutate();
        }
    }

    /**
     * True at once for a string of printable ASCII characters (all of them assigned, none a control character, which
     * the firewall's own checks allow); otherwise (a missing header's null among them) what {@code check} says.
     */
    static Predicate<String> printableAsciiOr(Predicate<String> check) {
        return s -> isPrintableAscii(s) || check.test(s);
    }

    static boolean isPrintableAscii(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
