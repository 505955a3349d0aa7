package org.gridlink.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gridlink.gateway.*}: where each tier's node is, which units run their own node, limits.
 *
 * @param nodes           base URI of each tier's node, by tier id (community, township, district, city)
 * @param unitNodes       base URI of a node that serves only the units whose code starts with the key
 * @param cityCode        the city this platform serves (the console starts there)
 * @param cityName        its name
 * @param maxRequestBytes larger request bodies are refused with 413
 * @param timeout         how long a node may take to answer before the tier counts as unavailable
 */
@ConfigurationProperties("gridlink.gateway")
public record GatewaySettings(Map<String, URI> nodes, Map<String, URI> unitNodes,
                              @DefaultValue("410100000000") String cityCode, @DefaultValue("郑州市") String cityName,
                              @DefaultValue("1048576") long maxRequestBytes, @DefaultValue("10s") Duration timeout) {

    public GatewaySettings {
        nodes = nodes == null ? Map.of() : Map.copyOf(nodes);
        unitNodes = unitNodes == null ? Map.of() : Map.copyOf(unitNodes);
    }
}
