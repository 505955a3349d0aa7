package org.gridlink.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.gridlink.contracts.Tier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's settings ({@code gridlink.gateway.*}): the node of each tier, the units that run their
 * own node, the city it fronts, and its limits.
 *
 * @param nodes           base URI of the node serving each tier
 * @param unitNodes       code prefix → base URI of a node that serves just those units; the longest
 *                        matching prefix wins over the tier's node
 * @param cityCode        the city's unit code, where the console starts
 * @param cityName        the city's name
 * @param maxRequestBytes largest request body the gateway accepts
 * @param timeout         how long a node may take to answer before the tier counts as unavailable
 * @param retryAfter      what the gateway tells clients to wait when a tier is unavailable; also how long
 *                        an open circuit stays open
 * @param maxConcurrentCalls calls the gateway keeps open to one node at a time (its bulkhead); one more is
 *                        answered 503 at once rather than queued behind a node that is already behind
 */
@ConfigurationProperties("gridlink.gateway")
public record GridlinkGatewayProperties(
        @DefaultValue Nodes nodes,
        Map<String, URI> unitNodes,
        @DefaultValue("410100000000") String cityCode,
        @DefaultValue("郑州市") String cityName,
        @DefaultValue("1MB") DataSize maxRequestBytes,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("10s") Duration retryAfter,
        @DefaultValue("256") int maxConcurrentCalls) {

    public GridlinkGatewayProperties {
        unitNodes = unitNodes == null ? Map.of() : Map.copyOf(unitNodes);
    }

    public NodeDirectory directory() {
        return new NodeDirectory(nodes.byTier(), unitNodes);
    }

    /** The node of each tier. */
    public record Nodes(
            @DefaultValue("http://127.0.0.1:8084") URI city,
            @DefaultValue("http://127.0.0.1:8083") URI district,
            @DefaultValue("http://127.0.0.1:8082") URI township,
            @DefaultValue("http://127.0.0.1:8081") URI community) {

        public Map<Tier, URI> byTier() {
            Map<Tier, URI> byTier = new EnumMap<>(Tier.class);
            byTier.put(Tier.CITY, city);
            byTier.put(Tier.DISTRICT, district);
            byTier.put(Tier.TOWNSHIP, township);
            byTier.put(Tier.COMMUNITY, community);
            return byTier;
        }
    }
}
