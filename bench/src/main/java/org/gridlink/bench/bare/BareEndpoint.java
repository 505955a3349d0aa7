package org.gridlink.bench.bare;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The HTTP ceiling of this machine: a Spring Boot WebFlux app on Reactor Netty, as the nodes are, that answers a small
 * JSON document and does nothing else (no security, no database).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class BareEndpoint {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BareEndpoint.class);
        app.setDefaultProperties(Map.of(
                "spring.main.web-application-type", "reactive",
                "spring.main.banner-mode", "off"));
        app.run(args);
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        Map<String, Object> hello = Map.of("status", "ok", "unitCode", "410105001001");
        return RouterFunctions.route()
                .GET("/hello", request -> ServerResponse.ok().bodyValue(hello))
                // what the launcher's readiness wait asks for
                .GET("/actuator/health", request -> ServerResponse.ok().bodyValue(Map.of("status", "UP")))
                .build();
    }
}
