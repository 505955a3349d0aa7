package org.gridlink.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;

/**
 * Which node serves a unit: the node of the unit's tier, unless a unit node's code prefix matches (the
 * longest one wins). Plain Java so the rule is tested without a gateway.
 */
public final class NodeDirectory {

    private static final String UNITS = "/api/units/";
    private static final Pattern PREFIX = Pattern.compile("\\d{4,12}");

    private final Map<Tier, Node> tierNodes = new EnumMap<>(Tier.class);
    private final List<Node> unitNodes = new ArrayList<>();

    public NodeDirectory(Map<Tier, URI> tierNodes, Map<String, URI> unitNodes) {
        for (Tier tier : Tier.values()) {
            URI uri = tierNodes.get(tier);
            if (uri == null) {
                throw new IllegalArgumentException("no node configured for the " + tier.id() + " tier (gridlink.gateway.nodes." + tier.id() + ")");
            }
            this.tierNodes.put(tier, new Node("tier-" + tier.id(), tier, null, uri));
        }
        unitNodes.forEach((prefix, uri) -> this.unitNodes.add(new Node("unit-" + prefix, tierOfPrefix(prefix), prefix, uri)));
        this.unitNodes.sort(Comparator.comparingInt((Node node) -> node.prefix().length()).reversed());
    }

    /** The node serving {@code code}. */
    public Node nodeFor(UnitCode code) {
        return unitNodes.stream()
                .filter(node -> code.value().startsWith(node.prefix()))
                .findFirst()
                .orElseGet(() -> tierNodes.get(code.tier()));
    }

    /** Every node, unit nodes first (longest prefix first), then the four tiers top to bottom. */
    public List<Node> nodes() {
        List<Node> all = new ArrayList<>(unitNodes);
        all.addAll(tierNodes.values());
        return all;
    }

    public Map<Tier, URI> tierUris() {
        Map<Tier, URI> uris = new EnumMap<>(Tier.class);
        tierNodes.forEach((tier, node) -> uris.put(tier, node.uri()));
        return uris;
    }

    /** The raw code segment of a {@code /api/units/{code}[/...]} path, valid or not. */
    public static Optional<String> codeSegment(String path) {
        // without a regular expression: the gateway reads every request's
        if (!path.startsWith(UNITS)) {
            return Optional.empty();
        }
        int end = path.indexOf('/', UNITS.length());
        if (end < 0) {
            end = path.length();
        }
        if (end == UNITS.length()) {
            return Optional.empty();
        }
        return Optional.of(path.substring(UNITS.length(), end));
    }

    /** The unit code of a {@code /api/units/{code}[/...]} path when it is a valid one. */
    public static Optional<UnitCode> unitCodeIn(String path) {
        return codeSegment(path).filter(UnitCode::isValid).map(UnitCode::of);
    }

    /** The route id of the node serving the unit named in {@code path}; empty for other paths. */
    public Optional<String> routeIdFor(String path) {
        return unitCodeIn(path).map(code -> nodeFor(code).routeId());
    }

    // A prefix names a unit's subtree, so the prefix padded with zeros is that unit, and its tier is the
    // tier the node serves.
    private static Tier tierOfPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("gridlink.gateway.unit-nodes." + prefix + ": a unit node's key is the leading 4 to 12 digits of the codes it serves");
        }
        String unit = (prefix + "000000000000").substring(0, 12);
        if (!UnitCode.isValid(unit)) {
            throw new IllegalArgumentException("gridlink.gateway.unit-nodes." + prefix + ": " + unit + " is not a unit code");
        }
        return UnitCode.of(unit).tier();
    }

    /**
     * A node the gateway routes to.
     *
     * @param routeId the gateway route (and circuit breaker) of this node
     * @param tier    the tier it serves
     * @param prefix  the code prefix it serves, null for a tier's node
     * @param uri     its base URI
     */
    public record Node(String routeId, Tier tier, String prefix, URI uri) {
    }
}
