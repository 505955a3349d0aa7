package org.gridlink.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.Test;

class UnitRoutesTest {

    private final GatewaySettings settings = new GatewaySettings(
            Map.of("community", URI.create("http://c"), "township", URI.create("http://t"),
                    "district", URI.create("http://d"), "city", URI.create("http://x")),
            Map.of("410105001", URI.create("http://jingbalu-node"), "410105001002", URI.create("http://shengwei-node")),
            "410100000000", "郑州市", 1024, Duration.ofSeconds(10));
    private final UnitRoutes routes = new UnitRoutes(settings);

    @Test
    void theCodeIsTheSegmentAfterUnits() {
        assertThat(UnitRoutes.codeOf("/api/units/410105001001/cases/abc")).contains("410105001001");
        assertThat(UnitRoutes.codeOf("/api/units/410105001001")).contains("410105001001");
        assertThat(UnitRoutes.codeOf("/api/units/")).isEmpty();
        assertThat(UnitRoutes.codeOf("/api/platform")).isEmpty();
    }

    @Test
    void aUnitGoesToItsTiersNodeUnlessItRunsItsOwn() {
        assertThat(routes.nodeOf("410108001001")).isEqualTo(URI.create("http://c"));
        assertThat(routes.nodeOf("410108001000")).isEqualTo(URI.create("http://t"));
        assertThat(routes.nodeOf("410108000000")).isEqualTo(URI.create("http://d"));
        assertThat(routes.nodeOf("410100000000")).isEqualTo(URI.create("http://x"));
        // the longest matching prefix wins
        assertThat(routes.nodeOf("410105001003")).isEqualTo(URI.create("http://jingbalu-node"));
        assertThat(routes.nodeOf("410105001002")).isEqualTo(URI.create("http://shengwei-node"));
    }

    @Test
    void aTierWithoutANodeSaysWhichSettingIsMissing() {
        UnitRoutes partial = new UnitRoutes(new GatewaySettings(Map.of(), Map.of(), "410100000000", "x", 1,
                Duration.ofSeconds(1)));
        assertThatThrownBy(() -> partial.tierNode(Tier.CITY)).hasMessageContaining("gridlink.gateway.nodes.city");
    }
}
