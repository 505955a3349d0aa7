package org.gridlink.township;

import org.gridlink.security.EventLoops;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The township tier's node: the shared case engine plus what is specific to the township tier. */
@SpringBootApplication(scanBasePackages = {"org.gridlink.kernel", "org.gridlink.township"})
public class TownshipApplication {

    /** The app with its own config file name (township.yml), so that several tiers can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(TownshipApplication.class).properties("spring.config.name=township");
    }

    public static void main(String[] args) {
        EventLoops.onePerCore();
        builder().run(args);
    }
}
