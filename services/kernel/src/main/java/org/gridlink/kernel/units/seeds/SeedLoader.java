package org.gridlink.kernel.units.seeds;

import java.util.Set;
import java.util.stream.Collectors;
import org.gridlink.kernel.access.Role;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.units.ReturnReason;
import org.gridlink.kernel.units.Roster;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.calendar.StageLimits;
import org.gridlink.kernel.calendar.TimeLimit;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the seed files (units.json, grid-cells.geojson, categories.json, calendar.json) from a location such as
 * {@code classpath:seeds/zhengzhou}.
 */
public final class SeedLoader {

    private final ResourceLoader resources;
    private final ObjectMapper json;

    public SeedLoader(ResourceLoader resources, ObjectMapper json) {
        this.resources = resources;
        this.json = json;
    }

    public UnitDirectory load(String location) {
        String base = location.endsWith("/") ? location : location + "/";
        List<Unit> units = new ArrayList<>();
        for (JsonNode n : read(base + "units.json")) {
            UnitCode code = UnitCode.of(n.path("code").asString());
            Tier declared = Tier.valueOf(n.path("tier").asString());
            if (declared != code.tier()) {
                throw new IllegalStateException("seed unit " + code + " says tier " + declared + " but its code is a " + code.tier());
            }
            units.add(new Unit(code, n.path("name").asString(), n.path("nameEn").asString(null), declared));
        }
        List<GridCell> cells = new ArrayList<>();
        for (JsonNode f : read(base + "grid-cells.geojson").path("features")) {
            JsonNode p = f.path("properties");
            cells.add(new GridCell(p.path("code").asString(), p.path("name").asString(),
                    UnitCode.of(p.path("community").asString())));
        }
        List<Category> categories = new ArrayList<>();
        Map<String, StageLimits> limits = new HashMap<>();
        for (JsonNode c : read(base + "categories.json")) {
            Category category = new Category(c.path("code").asString(), c.path("name").asString(),
                    c.path("nameEn").asString(null), c.path("focusArea").asString(null),
                    c.path("department").asString(null), c.path("timeLimitHours").asInt(72),
                    c.path("afterPhotoRequired").asBoolean(false));
            categories.add(category);
            limits.put(category.code(), limits(category.code(), c.path("limits")));
        }
        List<Roster.Member> people = new ArrayList<>();
        for (JsonNode p : read(base + "people.json")) {
            people.add(new Roster.Member(p.path("username").asString(), p.path("name").asString(),
                    UnitCode.of(p.path("unit").asString()), strings(p.path("roles")).stream().map(Role::parse)
                    .flatMap(java.util.Optional::stream).collect(Collectors.toSet()), Set.copyOf(strings(p.path("grids"))),
                    strings(p.path("assignments")).stream().map(UnitCode::of).collect(Collectors.toSet()),
                    strings(p.path("contracts")).stream().map(UnitCode::of).collect(Collectors.toSet()),
                    p.path("department").asString(null)));
        }
        List<ReturnReason> reasons = new ArrayList<>();
        Resource reasonFile = resources.getResource(base + "return-reasons.json");
        if (reasonFile.exists()) {
            for (JsonNode r : read(base + "return-reasons.json")) {
                reasons.add(new ReturnReason(r.path("code").asString(), r.path("name").asString(),
                        r.path("nameEn").asString(null)));
            }
        }
        return new UnitDirectory(units, cells, categories, limits, CalendarSeed.read(read(base + "calendar.json")),
                new Roster(people), reasons);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static StageLimits limits(String category, JsonNode limits) {
        try {
            TimeLimit grace = limits.has("autoEscalateAfter") ? limit(limits, "autoEscalateAfter") : null;
            return new StageLimits(limit(limits, "acceptance"), limit(limits, "handling"), limit(limits, "verification"),
                    grace);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("categories.json: category " + category + ": " + e.getMessage(), e);
        }
    }

    private static TimeLimit limit(JsonNode limits, String stage) {
        JsonNode text = limits.path(stage);
        if (!text.isString()) {
            throw new IllegalArgumentException("limits." + stage + " is missing (e.g. \"2 WORKING_HOURS\")");
        }
        try {
            return TimeLimit.parse(text.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("limits." + stage + ": " + e.getMessage(), e);
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
