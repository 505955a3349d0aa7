package org.gridlink.identity.people;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridlink.contracts.UnitCode;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads people.json from a seed location such as {@code classpath:seeds/zhengzhou} and checks it against the
 * units and grid cells next to it, so that a token never names a unit or cell that does not exist.
 */
public final class PeopleLoader {

    private final ResourceLoader resources;
    private final ObjectMapper json;

    public PeopleLoader(ResourceLoader resources, ObjectMapper json) {
        this.resources = resources;
        this.json = json;
    }

    public People load(String location) {
        String base = location.endsWith("/") ? location : location + "/";
        Set<String> units = new HashSet<>();
        for (JsonNode u : read(base + "units.json")) {
            units.add(u.path("code").asString());
        }
        Map<String, String> cellCommunity = new HashMap<>();
        for (JsonNode f : read(base + "grid-cells.geojson").path("features")) {
            cellCommunity.put(f.path("properties").path("code").asString(),
                    f.path("properties").path("community").asString());
        }
        List<Person> people;
        try (InputStream in = resources.getResource(base + "people.json").getInputStream()) {
            people = json.readValue(in, new TypeReference<List<Person>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + base + "people.json", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read seed file " + base + "people.json: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Person p : people) {
            check(p, units, cellCommunity, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(base + "people.json does not fit the seeds: " + String.join("; ", problems));
        }
        return new People(people);
    }

    private static void check(Person p, Set<String> units, Map<String, String> cellCommunity, List<String> problems) {
        String who = p.username();
        if (who == null || who.isBlank() || p.name() == null || p.name().isBlank()) {
            problems.add("a person without username or name: " + p);
            return;
        }
        if (p.roles().isEmpty()) {
            problems.add(who + " has no role");
        }
        if (!units.contains(p.unit())) {
            problems.add(who + " belongs to unknown unit " + p.unit());
            return;
        }
        UnitCode unit = UnitCode.of(p.unit());
        for (String grid : p.grids()) {
            if (!p.unit().equals(cellCommunity.get(grid))) {
                problems.add(who + " names grid cell " + grid + ", which is not one of " + p.unit() + "'s");
            }
        }
        for (String assigned : p.assignments()) {
            if (!units.contains(assigned) || !unit.contains(UnitCode.of(assigned))) {
                problems.add(who + " is assigned to " + assigned + ", which is not a unit under " + p.unit());
            }
        }
        for (String contracted : p.contracts()) {
            if (!units.contains(contracted) || !unit.isParentOf(UnitCode.of(contracted))) {
                problems.add(who + " contracts " + contracted + ", which is not a child unit of " + p.unit());
            }
        }
    }

    private JsonNode read(String location) {
        Resource resource = resources.getResource(location);
        try (InputStream in = resource.getInputStream()) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + location, e);
        }
    }
}
