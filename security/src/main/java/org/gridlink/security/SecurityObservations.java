package org.gridlink.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * No observations of Spring Security's own, in the gateway and every node (each imports this). Its filter chain,
 * authentication and authorization each made a Micrometer observation (timers) per request: 13% of the gateway's
 * request CPU and 5% of a node's in issue 8's settled profile, for figures nobody reads. Requests are still measured
 * as http.server.requests, 401s and 403s among them.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityObservations {

    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
