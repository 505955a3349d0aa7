package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridlink.local.e2e.CrossTierFlowIT.CITY;
import static org.gridlink.local.e2e.CrossTierFlowIT.HUAYUANLU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINSHUI;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.OverdueScan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record nobody signs for runs out of its acceptance clock: the community node's overdue scan tells the
 * township, the district and the city, each of which lists it among its subtree's overdue cases; a sibling
 * township may not read that list.
 */
class OverdueIT {

    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void platform() {
        platform = TestPlatform.get();
        api = new Api(platform);
    }

    @Test
    void anOverdueRecordIsListedByEveryUnitAboveIt() {
        String id = api.reportCase(JINGBALU_COMMUNITY, "overdue: nobody signed for it");
        // the scan as of a week from now: by then the acceptance clock (2 working hours) has run out
        OverdueScan scan = platform.node(Tier.COMMUNITY).getBean(OverdueScan.class);
        assertThat(scan.scan(Instant.now().plus(Duration.ofDays(7))).block()).isGreaterThanOrEqualTo(1);

        for (String unit : List.of(JINGBALU, JINSHUI, CITY)) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(overdue(unit, "supervisor." + unit)).as("%s's overdue list", unit)
                            .anySatisfy(n -> {
                                assertThat(n.get("caseId")).isEqualTo(id);
                                assertThat(n.get("unitCode")).isEqualTo(JINGBALU_COMMUNITY);
                                assertThat(n.get("clock")).isEqualTo("ACCEPTANCE");
                                assertThat(n.get("status")).isEqualTo("REPORTED");
                            }));
        }
        // a city leader reads it too; the supervisor of another township may not read 经八路's list
        assertThat(overdue(CITY, "leader.410100000000")).anySatisfy(n -> assertThat(n.get("caseId")).isEqualTo(id));
        platform.gatewayAs("supervisor." + HUAYUANLU).get().uri("/api/units/{u}/cases/overdue", JINGBALU)
                .exchange().expectStatus().isForbidden();
        // told once: a second scan tells nobody about it again
        scan.scan(Instant.now().plus(Duration.ofDays(7))).block();
        assertThat(overdue(JINGBALU, "supervisor." + JINGBALU)).filteredOn(n -> id.equals(n.get("caseId"))).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> overdue(String unit, String as) {
        return platform.gatewayAs(as).get().uri("/api/units/{u}/cases/overdue?limit=200", unit).exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }
}
