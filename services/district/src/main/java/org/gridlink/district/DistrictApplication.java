package org.gridlink.district;

import org.gridlink.security.EventLoops;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The district tier's node: the shared case engine plus what is specific to the district tier. */
@SpringBootApplication(scanBasePackages = {"org.gridlink.kernel", "org.gridlink.district"})
public class DistrictApplication {

    /** The app with its own config file name (district.yml), so that several tiers can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(DistrictApplication.class).properties("spring.config.name=district");
    }

    public static void main(String[] args) {
        EventLoops.onePerCore();
        builder().run(args);
    }
}
