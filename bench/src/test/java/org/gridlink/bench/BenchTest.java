package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchTest {

    @Test
    void aUnitsTierFollowsFromItsCodeAsTheGatewayRoutesIt() {
        assertThat(Bench.tierOf("410105001001")).isEqualTo("community");
        assertThat(Bench.tierOf("410105001000")).isEqualTo("township");
        assertThat(Bench.tierOf("410105000000")).isEqualTo("district");
        assertThat(Bench.tierOf("410100000000")).isEqualTo("city");
    }

    @Test
    void aReportIsInTheCommunitysFirstGridCell() {
        assertThat(CaseApi.aReport("410184102003", "t"))
                .contains("\"gridCode\":\"410184102003-01\"")
                .contains("\"categoryCode\":\"GARBAGE_PILE\"")
                .doesNotContain("\n");
    }
}
