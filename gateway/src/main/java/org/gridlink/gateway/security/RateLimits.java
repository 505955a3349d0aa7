package org.gridlink.gateway.security;


import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per-user and per-address request limits on the API (Resilience4j rate limiters, one per key, refusing at once
 * rather than queueing). A refused request gets 429 problem+json with Retry-After; one user's burst never uses up
 * another user's allowance.
 */
public class RateLimits implements WebFilter {

    private final RateLimiterRegistry limiters;
    private final RateLimiterConfig perUser;
    private final RateLimiterConfig perAddress;
    private final long retryAfterSeconds;

    public RateLimits(SecuritySettings.RateLimit settings, RateLimiterRegistry limiters) {
        this.limiters = limiters;
        this.perUser = config(settings.perUser(), settings.period());
        this.perAddress = config(settings.perAddress(), settings.period());
        this.retryAfterSeconds = Math.max(1, (settings.period().toMillis() + 999) / 1000);
    }

    private static RateLimiterConfig config(int limit, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String address = address(exchange);
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(Authentication::isAuthenticated)
                .map(Authentication::getName)
                .map(user -> "user:" + user)
                .defaultIfEmpty("")
                .flatMap(userKey -> {
                    if (!limiters.rateLimiter("address:" + address, perAddress).acquirePermission()) {
                        return Mono.error(tooMany("this client address (" + address + ")"));
                    }
                    if (!userKey.isEmpty() && !limiters.rateLimiter(userKey, perUser).acquirePermission()) {
                        return Mono.error(tooMany("user " + userKey.substring("user:".length())));
                    }
                    return chain.filter(exchange);
                });
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private ErrorResponseException tooMany(String who) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "too many requests from " + who + "; try again in " + retryAfterSeconds + " s");
        problem.setTitle("Rate limit reached");
        ErrorResponseException refusal = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return refusal;
    }
}
