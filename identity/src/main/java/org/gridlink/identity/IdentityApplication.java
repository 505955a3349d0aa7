package org.gridlink.identity;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The identity service: an OAuth 2.1 / OpenID Connect authorization server for the people in the seeds. */
@SpringBootApplication
public class IdentityApplication {

    /** The app with its own config file name (identity.yml), so that it can share one JVM with other apps in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IdentityApplication.class).properties("spring.config.name=identity");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
