package org.gridlink.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The gateway: routes /api/units/{code}/** to the node serving that unit, and serves the web console. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /** The app with its own config file name (gateway.yml), so that it can share a JVM with the nodes in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
