package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@link HeaderFirewall}'s header and parameter name checks allow and refuse exactly what Spring Security's strict
 * firewall does.
 */
class HeaderFirewallTest {

    @Test
    void headerChecksAgreeWithTheFirewallsOwnOnManyStrings() {
        List<String> samples = new ArrayList<>(List.of("", "Bearer abc.def", "application/json", "a\tb", "a\u0000b",
                "\u007f", "\u0085", "\u00e9t\u00e9", "\u7f51\u683c", "\ud83d\ude00", "\ud800", "\u0378", "x\r\ny"));
        Random random = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(10); j > 0; j--) {
                s.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x110) : (char) random.nextInt(0x10000));
            }
            samples.add(s.toString());
        }
        check(HeaderFirewall.printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES),
                StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES, samples);
        check(HeaderFirewall.printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES),
                StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES, samples);
        check(HeaderFirewall.printableAsciiOr(StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES),
                StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES, samples);
    }

    private static void check(Predicate<String> ours, Predicate<String> theirs, List<String> samples) {
        assertThat(ours.test(null)).as("null, a missing header").isEqualTo(theirs.test(null));
        for (String s : samples) {
            assertThat(ours.test(s)).as(s.codePoints().mapToObj(Integer::toHexString).toList().toString())
                    .isEqualTo(theirs.test(s));
        }
    }

    /** The request through the firewall {@link HeaderFirewall} gives every app, its checks still to come. */
    private static ServerWebExchange firewalled(MockServerHttpRequest.BaseBuilder<?> request) {
        return HeaderFirewall.strictFirewall().getFirewalledExchange(MockServerWebExchange.from(request)).block();
    }

    @Test
    void stillRefusesAControlCharacterInAHeaderAndAnUnknownMethod() {
        ServerWebExchangeFirewall firewall = HeaderFirewall.strictFirewall();
        ServerWebExchange control = firewalled(MockServerHttpRequest.get("/api/units").header("X-Note", "a\u0007b"));
        assertThat(control).isNotNull();
        assertThatThrownBy(() -> control.getRequest().getHeaders().getFirst("X-Note"))
                .isInstanceOf(ServerExchangeRejectedException.class);

        ServerWebExchange plain = firewalled(MockServerHttpRequest.get("/api/units").header("X-Note", "plain text"));
        assertThat(plain.getRequest().getHeaders().getFirst("X-Note")).isEqualTo("plain text");

        assertThat(firewall.getFirewalledExchange(MockServerWebExchange.from(
                        MockServerHttpRequest.method(HttpMethod.valueOf("TRACE"), "/api/units")))
                .map(e -> "allowed")
                .onErrorResume(ServerExchangeRejectedException.class, e -> Mono.just("refused"))
                .block()).isEqualTo("refused");
    }

    @Test
    void anExchangesRequestAndHeadersAreMadeOnceAndStillChecked() {
        ServerWebExchange exchange = firewalled(MockServerHttpRequest.get("/api/units").header("X-Note", "a\u0007b")
                .header("X-Other", "plain"));
        assertThat(exchange.getRequest()).isSameAs(exchange.getRequest());
        assertThat(exchange.getRequest().getHeaders()).isSameAs(exchange.getRequest().getHeaders());
        // the firewall's checks run on each read, as before
        assertThat(exchange.getRequest().getHeaders().getFirst("X-Other")).isEqualTo("plain");
        assertThatThrownBy(() -> exchange.getRequest().getHeaders().getFirst("X-Note"))
                .isInstanceOf(ServerExchangeRejectedException.class);
        assertThatThrownBy(() -> exchange.getRequest().getHeaders().getFirst("X-Note"))
                .isInstanceOf(ServerExchangeRejectedException.class);

        // a request made from it is the firewall's too
        ServerHttpRequest mutated = exchange.getRequest().mutate().header("X-Added", "b\u0007").build();
        assertThatThrownBy(() -> mutated.getHeaders().getFirst("X-Added"))
                .isInstanceOf(ServerExchangeRejectedException.class);
        ServerWebExchange mutatedExchange = exchange.mutate().request(r -> r.header("X-Added", "fine")).build();
        assertThat(mutatedExchange.getRequest().getHeaders().getFirst("X-Added")).isEqualTo("fine");
        assertThatThrownBy(() -> mutatedExchange.getRequest().getHeaders().getFirst("X-Note"))
                .isInstanceOf(ServerExchangeRejectedException.class);
    }

    @Test
    void stillRefusesAControlCharacterInAQueryParameterName() {
        String queue = "/api/units/410105001001/cases";
        ServerWebExchange control = firewalled(MockServerHttpRequest.get(queue).queryParam("st\u0085atus", "OPEN"));
        assertThat(control).isNotNull();
        assertThatThrownBy(() -> control.getRequest().getQueryParams())
                .isInstanceOf(ServerExchangeRejectedException.class);

        ServerWebExchange plain = firewalled(MockServerHttpRequest.get(queue).queryParam("status", "OPEN")
                .queryParam("\u7f51\u683c", "x"));
        assertThat(plain.getRequest().getQueryParams()).containsKeys("status", "\u7f51\u683c");
    }
}
