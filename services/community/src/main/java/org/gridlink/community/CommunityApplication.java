package org.gridlink.community;

import org.gridlink.security.EventLoops;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The community tier's node: the shared case engine plus what is specific to the community tier. */
@SpringBootApplication(scanBasePackages = {"org.gridlink.kernel", "org.gridlink.community"})
public class CommunityApplication {

    /** The app with its own config file name (community.yml), so that several tiers can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(CommunityApplication.class).properties("spring.config.name=community");
    }

    public static void main(String[] args) {
        EventLoops.onePerCore();
        builder().run(args);
    }
}
