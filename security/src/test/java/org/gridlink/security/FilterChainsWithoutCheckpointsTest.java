package org.gridlink.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.handler.DefaultWebFilterChain;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link FilterChainsWithoutCheckpoints} runs the filters as Spring's own chain does (in order, each when subscribed
 * to, a throw as an error signal, an answer without the chain ending it), and leaves no checkpoint on an error.
 */
class FilterChainsWithoutCheckpointsTest {

    private final List<String> ran = new ArrayList<>();

    private WebFilter named(String name) {
        return (exchange, chain) -> {
            ran.add(name);
            return chain.filter(exchange);
        };
    }

    private WebFilterChain handler() {
        return exchange -> Mono.fromRunnable(() -> ran.add("handler"));
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/units"));
    }

    @Test
    void runsTheFiltersInTheirOrderThenTheChainItWasGiven() {
        WebFilter inOrder = new FilterChainsWithoutCheckpoints.InOrder(List.of(named("a"), named("b"), named("c")));
        StepVerifier.create(inOrder.filter(exchange(), handler())).verifyComplete();
        assertThat(ran).containsExactly("a", "b", "c", "handler");

        ran.clear();
        StepVerifier.create(FilterChainsWithoutCheckpoints.IN_ORDER
                .decorate(handler(), List.of(named("x"), named("y"))).filter(exchange())).verifyComplete();
        assertThat(ran).containsExactly("x", "y", "handler");
    }

    @Test
    void aFilterThatAnswersWithoutTheChainEndsIt() {
        WebFilter answers = (exchange, chain) -> {
            ran.add("answers");
            return Mono.empty();
        };
        StepVerifier.create(new FilterChainsWithoutCheckpoints.InOrder(List.of(named("a"), answers, named("c")))
                .filter(exchange(), handler())).verifyComplete();
        assertThat(ran).containsExactly("a", "answers");
    }

    @Test
    void aFilterIsCalledWhenSubscribedToAndItsThrowIsAnErrorSignal() {
        WebFilter throwing = (exchange, chain) -> {
            ran.add("throws");
            throw new IllegalStateException("refused");
        };
        Mono<Void> answer = new FilterChainsWithoutCheckpoints.InOrder(List.of(named("a"), throwing, named("c")))
                .filter(exchange(), handler());
        assertThat(ran).as("nothing runs before a subscriber asks").isEmpty();
        StepVerifier.create(answer).expectErrorMessage("refused").verify();
        assertThat(ran).containsExactly("a", "throws");
    }

    @Test
    void anErrorPassesWithoutACheckpointWhereSpringsOwnChainAddsOne() {
        List<WebFilter> filters = List.of(named("a"), named("b"));
        WebHandler failing = exchange -> Mono.error(new IllegalStateException("failed"));

        StepVerifier.create(new DefaultWebFilterChain(failing, filters).filter(exchange()))
                .expectErrorSatisfies(e -> assertThat(e.getSuppressed()).as("Spring's chain, the test's control")
                        .anySatisfy(s -> assertThat(s.getMessage()).contains("checkpoint")))
                .verify();

        StepVerifier.create(new FilterChainsWithoutCheckpoints.InOrder(filters).filter(exchange(), failing::handle))
                .expectErrorSatisfies(e -> {
                    assertThat(e).hasMessage("failed");
                    assertThat(e.getSuppressed()).isEmpty();
                })
                .verify();
    }

    @Test
    void anApplicationsFiltersBecomeOneAndItsSecurityChainRunsWithoutCheckpoints() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FilterChainsWithoutCheckpoints.class))
                .withBean(WebFilterChainProxy.class, () -> new WebFilterChainProxy(new MatcherSecurityWebFilterChain(
                        ServerWebExchangeMatchers.anyExchange(), List.of(named("security")))))
                .run(context -> {
                    WebHttpHandlerBuilder builder = WebHttpHandlerBuilder
                            .webHandler(exchange -> Mono.error(new IllegalStateException("failed")))
                            .filters(filters -> filters.addAll(List.of(named("first"),
                                    context.getBean(WebFilterChainProxy.class), named("last"))));
                    context.getBeanProvider(WebHttpHandlerBuilderCustomizer.class).orderedStream()
                            .forEach(customizer -> customizer.customize(builder));
                    builder.filters(filters -> assertThat(filters).singleElement()
                            .isInstanceOfSatisfying(FilterChainsWithoutCheckpoints.InOrder.class,
                                    inOrder -> assertThat(inOrder.filters()).hasSize(3)));

                    StepVerifier.create(onlyFilter(builder).filter(exchange(), exchange -> Mono.error(new IllegalStateException("x"))))
                            .expectErrorSatisfies(e -> assertThat(e.getSuppressed()).isEmpty())
                            .verify();
                    assertThat(ran).containsExactly("first", "security", "last");
                });
    }

    private static WebFilter onlyFilter(WebHttpHandlerBuilder builder) {
        List<WebFilter> found = new ArrayList<>();
        builder.filters(found::addAll);
        return found.get(0);
    }
}
