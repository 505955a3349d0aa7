package org.gridlink.gateway;

import org.gridlink.security.EventLoops;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The gateway: routes each unit's API to the node of its tier and serves the web console. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        EventLoops.onePerCore();
        builder().run(args);
    }

    /** Several apps share one JVM in the cross-tier tests, so each reads its own config file. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway");
    }
}
