package org.gridlink.gateway;

import java.io.IOException;
import java.time.Duration;

import org.gridlink.gateway.routing.GridlinkGatewayProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped gateway.yml: the timeouts and limits the brief sets, not the libraries' defaults. */
class GatewayConfigTest {

    @Test
    void gatewayYmlSetsTheTimeoutsAndLimits() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("gateway", new ClassPathResource("gateway.yml"))
                .forEach(environment.getPropertySources()::addLast);

        GridlinkGatewayProperties properties = Binder.get(environment)
                .bind("gridlink.gateway", GridlinkGatewayProperties.class).get();

        assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.maxConcurrentCalls()).isEqualTo(256);
        assertThat(properties.maxRequestBytes()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(properties.cityCode()).isEqualTo("410100000000");
        assertThat(properties.cityName()).isEqualTo("郑州市");
        assertThat(properties.nodes().community()).hasToString("http://127.0.0.1:8081");
        assertThat(properties.nodes().city()).hasToString("http://127.0.0.1:8084");
        // the timeout is Reactor Netty's on the connection (UnitRoutes.responseTimeout), with no timer of the gateway's
        // or the breaker's on Reactor's parallel scheduler beside it
        assertThat(environment.getProperty("spring.cloud.gateway.server.webflux.httpclient.response-timeout")).isNull();
        assertThat(environment.getProperty("spring.cloud.circuitbreaker.resilience4j.disable-time-limiter")).isEqualTo("true");
        assertThat(environment.getProperty("spring.cloud.gateway.server.webflux.httpclient.connect-timeout")).isEqualTo("2000");
        assertThat(environment.getProperty("spring.webflux.problemdetails.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("server.port")).isEqualTo("8080");
        assertThat(environment.getProperty("spring.cloud.gateway.server.webflux.observability.enabled")).isEqualTo("false");
    }
}
