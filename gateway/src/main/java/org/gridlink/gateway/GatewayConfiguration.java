package org.gridlink.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The gateway's own web pieces: problem answers, request guards. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Problems problems(ObjectMapper json) {
        return new Problems(json);
    }

    @Bean
    RequestGuards requestGuards(GatewaySettings settings, Problems problems) {
        return new RequestGuards(settings.maxRequestBytes(), problems);
    }

    @Bean
    GatewayErrors gatewayErrors(Problems problems) {
        return new GatewayErrors(problems);
    }
}
