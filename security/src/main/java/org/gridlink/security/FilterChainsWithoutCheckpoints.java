package org.gridlink.security;

import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.WebFilterChainProxy.WebFilterChainDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The gateway's and every node's web filters, and Spring Security's filters among them, run in their order without a
 * Reactor checkpoint for each filter on each request.
 * <p>
 * Spring's {@code DefaultWebFilterChain}, which runs both, marks each filter's answer with
 * {@code checkpoint(filter.toString())}: the filter's class name and identity hash made into a string, and a snapshot
 * that builds another from it, for each of about twenty filters a request in the gateway. On a queue page through the
 * gateway that was 3% of its CPU samples and 8% of its garbage (sixty-second session, full JIT). A checkpoint only adds
 * the names of the filters an error passed through to its stack trace; the error itself, its status and its
 * problem+json answer are the same without. The chains here call each filter as Spring's does, when the answer is
 * subscribed to, so a filter that throws gives an error signal, and a filter that answers without calling the chain
 * ends it.
 * <p>
 * The filters Spring Boot collects for the web handler are put into one filter that runs them in their order, after
 * every other customizer of the handler; Spring Security's filter chain proxy runs its chain's filters with
 * {@link #IN_ORDER} (which also leaves out its observations: {@link SecurityObservations} turns them off everywhere).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebHttpHandlerBuilderCustomizer.class)
public class FilterChainsWithoutCheckpoints {

    /** Runs a request through the filters in their order, then through the chain it was given. */
    static final WebFilterChainDecorator IN_ORDER = new WebFilterChainDecorator() {
        @Override
        public WebFilterChain decorate(WebFilterChain original) {
            return original;
        }

        /** {@code filters}: the proxy collects its chain's filters into a new list for each request. */
        @Override
        public WebFilterChain decorate(WebFilterChain original, List<WebFilter> filters) {
            return filters.isEmpty() ? original : new Links(filters, 0, original);
        }
    };

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebHttpHandlerBuilderCustomizer webFiltersInOrder() {
        return builder -> builder.filters(filters -> {
            if (filters.size() > 1) {
                WebFilter inOrder = new InOrder(List.copyOf(filters));
                filters.clear();
                filters.add(inOrder);
            }
        });
    }

    @Bean
    @ConditionalOnClass(WebFilterChainProxy.class)
    static BeanPostProcessor securityFiltersInOrder() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof WebFilterChainProxy proxy) {
                    proxy.setFilterChainDecorator(IN_ORDER);
                }
                return bean;
            }
        };
    }

    /** The web handler's filters as one, run in their order, then the handler's chain. */
    static final class InOrder implements WebFilter {

        private final List<WebFilter> filters;
        private final String name;

        InOrder(List<WebFilter> filters) {
            this.filters = filters;
            this.name = "gridlink's web filters in order "
                    + filters.stream().map(f -> f.getClass().getSimpleName()).toList();
        }

        List<WebFilter> filters() {
            return filters;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return new Links(filters, 0, chain).filter(exchange);
        }

        /** The name of this filter's one checkpoint in Spring's chain, made once rather than on each request. */
        @Override
        public String toString() {
            return name;
        }
    }

    /** The filters from {@code next} on, then {@code last}; each called when its answer is subscribed to. */
    record Links(List<WebFilter> filters, int next, WebFilterChain last) implements WebFilterChain {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange) {
            return Mono.defer(() -> next < filters.size()
                    ? filters.get(next).filter(exchange, new Links(filters, next + 1, last))
                    : last.filter(exchange));
        }
    }
}
