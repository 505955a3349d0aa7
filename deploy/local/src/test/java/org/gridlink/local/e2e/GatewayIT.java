package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The gateway in front of real nodes: a down tier is a quick 503 naming it, for reads and writes alike. */
class GatewayIT {

    static TestPlatform platform;
    static WebTestClient http;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        http = platform.gateway();
    }

    @Test
    void aDownTierAnswers503NamingItForGetAndPostAndComesBack() {
        platform.crashNode(Tier.TOWNSHIP);
        try {
            for (var request : new WebTestClient.RequestHeadersSpec<?>[] {
                    http.get().uri("/api/units/{u}/cases", JINGBALU),
                    http.post().uri("/api/units/{u}/cases", JINGBALU).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Api.aReport("GARBAGE_PILE", "while the township is down"))}) {
                request.exchange().expectStatus().isEqualTo(503)
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.tier").isEqualTo("township")
                        .jsonPath("$.title").value(t -> assertThat((String) t).contains("township"));
            }
            // the other tiers are not affected
            http.get().uri("/api/units/{u}", JINGBALU_COMMUNITY).exchange().expectStatus().isOk();
        } finally {
            platform.startNode(Tier.TOWNSHIP, null);
        }
        http.get().uri("/api/units/{u}", JINGBALU).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.children.length()").isEqualTo(3);
    }

    @Test
    void theConsoleAndThePlatformSummaryAreServed() {
        http.get().uri("/").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("gridlink", "app.js"));
        http.get().uri("/api/platform").exchange().expectStatus().isOk()
                .expectBody(Map.class).value(m -> assertThat(m.get("cityCode")).isEqualTo("410100000000"));
    }

    @Test
    void unknownPathsAnswerProblemJson() {
        http.get().uri("/api/nothing-here").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
