package org.gridlink.gateway;

import java.net.URI;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.springframework.web.server.ServerWebExchange;

/** Which node serves a unit: a unit's own node (longest matching code prefix) or its tier's node. */
public final class UnitRoutes {

    public static final String PREFIX = "/api/units/";

    private final GatewaySettings settings;

    public UnitRoutes(GatewaySettings settings) {
        this.settings = settings;
    }

    /** The unit code segment of an /api/units/{code}/** path, if the path has one. */
    public static Optional<String> codeOf(String path) {
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
            return Optional.empty();
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
    }

    public static Optional<String> codeOf(ServerWebExchange exchange) {
        return codeOf(exchange.getRequest().getPath().value());
    }

    public static Optional<Tier> tierOf(ServerWebExchange exchange) {
        return codeOf(exchange).filter(UnitCode::isValid).map(c -> UnitCode.of(c).tier());
    }

    /** The longest configured unit-node prefix that the code starts with. */
    public Optional<Map.Entry<String, URI>> ownNode(String code) {
        return settings.unitNodes().entrySet().stream().filter(e -> code.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()));
    }

    public URI nodeOf(String code) {
        return ownNode(code).map(Map.Entry::getValue).orElseGet(() -> tierNode(UnitCode.of(code).tier()));
    }

    public URI tierNode(Tier tier) {
        URI uri = settings.nodes().get(tier.id());
        if (uri == null) {
            throw new IllegalStateException("no node configured for the " + tier.id() + " tier (gridlink.gateway.nodes."
                    + tier.id() + ")");
        }
        return uri;
    }
}
