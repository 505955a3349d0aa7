package org.gridlink.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The breaking-change gate: compares a released event schema with the current one of the same event type and
 * lists every change a consumer of the released version would break on — a property removed or renamed, a
 * type changed, a new required property, an enum narrowed. Additive changes (a new optional property, a wider
 * enum) pass.
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    static List<String> breakingChanges(JsonNode released, JsonNode current) {
        List<String> problems = new ArrayList<>();
        compare("", released, released, current, current, problems, new HashSet<>());
        return problems;
    }

    private static void compare(String path, JsonNode releasedRoot, JsonNode releasedNode, JsonNode currentRoot,
                                JsonNode currentNode, List<String> problems, Set<String> seen) {
        JsonNode released = resolve(releasedRoot, releasedNode);
        JsonNode current = resolve(currentRoot, currentNode);
        if (!seen.add(path + "|" + released.hashCode())) {
            return;
        }
        String where = path.isEmpty() ? "the event" : "'" + path + "'";
        if (released.has("type") && !released.path("type").equals(current.path("type"))) {
            problems.add("changed type of " + where + ": " + released.path("type") + " -> " + current.path("type"));
        }
        if (released.has("enum")) {
            Set<String> now = new HashSet<>();
            current.path("enum").forEach(v -> now.add(v.asText()));
            List<String> removed = new ArrayList<>();
            released.path("enum").forEach(v -> {
                if (!current.has("enum") || !now.contains(v.asText())) {
                    removed.add(v.asText());
                }
            });
            if (current.has("enum") && !removed.isEmpty()) {
                problems.add("narrowed enum of " + where + ": no longer allows " + removed);
            }
        }
        Set<String> releasedRequired = new HashSet<>();
        released.path("required").forEach(v -> releasedRequired.add(v.asText()));
        current.path("required").forEach(v -> {
            if (!releasedRequired.contains(v.asText())) {
                problems.add("new required property '" + join(path, v.asText()) + "'");
            }
        });
        JsonNode releasedProps = released.path("properties");
        JsonNode currentProps = current.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = releasedProps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String child = join(path, p.getKey());
            if (!currentProps.has(p.getKey())) {
                problems.add("removed or renamed property '" + child + "'");
            } else {
                compare(child, releasedRoot, p.getValue(), currentRoot, currentProps.get(p.getKey()), problems, seen);
            }
        }
        if (released.has("items") && current.has("items")) {
            compare(path + "[]", releasedRoot, released.get("items"), currentRoot, current.get("items"), problems, seen);
        }
    }

    /** Follows a local {@code $ref} such as {@code #/$defs/entry}. */
    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        int hops = 0;
        while (current.has("$ref") && hops++ < 10) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local $refs are supported, got " + ref);
            }
            current = root.at(ref.substring(1));
        }
        return current;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
