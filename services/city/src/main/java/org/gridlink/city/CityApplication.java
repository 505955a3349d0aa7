package org.gridlink.city;

import org.gridlink.security.EventLoops;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The city tier's node: the shared case engine plus what is specific to the city tier. */
@SpringBootApplication(scanBasePackages = {"org.gridlink.kernel", "org.gridlink.city"})
public class CityApplication {

    /** The app with its own config file name (city.yml), so that several tiers can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(CityApplication.class).properties("spring.config.name=city");
    }

    public static void main(String[] args) {
        EventLoops.onePerCore();
        builder().run(args);
    }
}
