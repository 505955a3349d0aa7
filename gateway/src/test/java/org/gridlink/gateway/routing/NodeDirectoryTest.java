package org.gridlink.gateway.routing;

import java.net.URI;
import java.util.Map;

import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeDirectoryTest {

    static final Map<Tier, URI> TIERS = Map.of(
            Tier.CITY, URI.create("http://city:8084"),
            Tier.DISTRICT, URI.create("http://district:8083"),
            Tier.TOWNSHIP, URI.create("http://township:8082"),
            Tier.COMMUNITY, URI.create("http://community:8081"));

    final NodeDirectory directory = new NodeDirectory(TIERS, Map.of(
            "410105001", URI.create("http://jingba-road:9000"),
            "410105001002", URI.create("http://one-community:9001")));

    @Test
    void aUnitGoesToTheNodeOfItsTier() {
        assertThat(directory.nodeFor(UnitCode.of("410100000000")).uri()).isEqualTo(URI.create("http://city:8084"));
        assertThat(directory.nodeFor(UnitCode.of("410105000000")).uri()).isEqualTo(URI.create("http://district:8083"));
        assertThat(directory.nodeFor(UnitCode.of("410122002000")).uri()).isEqualTo(URI.create("http://township:8082"));
        assertThat(directory.nodeFor(UnitCode.of("410122002003")).uri()).isEqualTo(URI.create("http://community:8081"));
        assertThat(directory.nodeFor(UnitCode.of("410122002003")).routeId()).isEqualTo("tier-community");
    }

    @Test
    void aUnitNodeTakesTheUnitsUnderItsPrefix() {
        assertThat(directory.nodeFor(UnitCode.of("410105001000")).uri()).isEqualTo(URI.create("http://jingba-road:9000"));
        assertThat(directory.nodeFor(UnitCode.of("410105001001")).uri()).isEqualTo(URI.create("http://jingba-road:9000"));
        assertThat(directory.nodeFor(UnitCode.of("410105001001")).routeId()).isEqualTo("unit-410105001");
        // a sibling township and the district above stay on their tiers' nodes
        assertThat(directory.nodeFor(UnitCode.of("410105002000")).uri()).isEqualTo(URI.create("http://township:8082"));
        assertThat(directory.nodeFor(UnitCode.of("410105000000")).uri()).isEqualTo(URI.create("http://district:8083"));
    }

    @Test
    void theLongestMatchingPrefixWins() {
        NodeDirectory.Node node = directory.nodeFor(UnitCode.of("410105001002"));
        assertThat(node.uri()).isEqualTo(URI.create("http://one-community:9001"));
        assertThat(node.tier()).isEqualTo(Tier.COMMUNITY);
        assertThat(directory.nodes()).extracting(NodeDirectory.Node::routeId)
                .startsWith("unit-410105001002", "unit-410105001");
    }

    @Test
    void aUnitNodeServesTheTierOfTheUnitItsPrefixNames() {
        assertThat(directory.nodeFor(UnitCode.of("410105001001")).tier()).isEqualTo(Tier.TOWNSHIP);
    }

    @Test
    void theRouteIdComesFromTheCodeInTheApiPath() {
        assertThat(directory.routeIdFor("/api/units/410122002003")).contains("tier-community");
        assertThat(directory.routeIdFor("/api/units/410122002000/cases/abc/actions")).contains("tier-township");
        assertThat(directory.routeIdFor("/api/units/410105001002/cases")).contains("unit-410105001002");
        assertThat(directory.routeIdFor("/api/units/4101/cases")).isEmpty();
        assertThat(directory.routeIdFor("/api/units/410000000000")).isEmpty();
        assertThat(directory.routeIdFor("/api/platform")).isEmpty();
        assertThat(NodeDirectory.codeSegment("/api/units/abc/cases")).contains("abc");
        assertThat(NodeDirectory.codeSegment("/api/units/abc")).contains("abc");
        assertThat(NodeDirectory.codeSegment("/api/units/abc/")).contains("abc");
        assertThat(NodeDirectory.codeSegment("/api/units/")).isEmpty();
        assertThat(NodeDirectory.codeSegment("/api/units//cases")).isEmpty();
        assertThat(NodeDirectory.codeSegment("/api/units")).isEmpty();
        assertThat(NodeDirectory.codeSegment("/api/unitsx/410122002003")).isEmpty();
        assertThat(NodeDirectory.codeSegment("/x/api/units/410122002003")).isEmpty();
        assertThat(directory.routeIdFor("/api/units/41012200200a")).isEmpty();
        assertThat(directory.routeIdFor("/api/units/4101220020031")).isEmpty();
        assertThat(directory.routeIdFor("/api/units/\u0664\u0661012200200")).isEmpty(); // not ASCII digits
    }

    @Test
    void aUnitNodeKeyMustNameUnits() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NodeDirectory(TIERS, Map.of("41", URI.create("http://x"))))
                .withMessageContaining("gridlink.gateway.unit-nodes.41");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NodeDirectory(TIERS, Map.of("4100", URI.create("http://x"))))
                .withMessageContaining("not a unit code");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NodeDirectory(TIERS, Map.of("41010x", URI.create("http://x"))));
    }
}
