package org.gridlink.kernel.geo.seeds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.geo.GridMap;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads the grid cells' outlines (GeoJSON Polygon or MultiPolygon features) from the seeds' grid-cells.geojson. */
public final class GridMapLoader {

    private final ResourceLoader resources;
    private final ObjectMapper json;

    public GridMapLoader(ResourceLoader resources, ObjectMapper json) {
        this.resources = resources;
        this.json = json;
    }

    public GridMap load(String seeds) {
        String location = (seeds.endsWith("/") ? seeds : seeds + "/") + "grid-cells.geojson";
        Resource resource = resources.getResource(location);
        JsonNode root;
        try (InputStream in = resource.getInputStream()) {
            root = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + location, e);
        }
        return read(root, location);
    }

    /** The cells of a GeoJSON FeatureCollection; a feature without a geometry has no place on the map. */
    public static GridMap read(JsonNode featureCollection, String source) {
        List<GridMap.Cell> cells = new ArrayList<>();
        for (JsonNode f : featureCollection.path("features")) {
            JsonNode p = f.path("properties");
            String code = p.path("code").asString();
            JsonNode geometry = f.path("geometry");
            if (geometry.isMissingNode() || geometry.isNull()) {
                continue;
            }
            try {
                cells.add(new GridMap.Cell(code, p.path("name").asString(), UnitCode.of(p.path("community").asString()),
                        geometry(geometry)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + ": grid cell " + code + ": " + e.getMessage(), e);
            }
        }
        return new GridMap(cells);
    }

    private static Geometry geometry(JsonNode g) {
        GeometryFactory factory = GridMap.geometryFactory();
        String type = g.path("type").asString();
        return switch (type) {
            case "Polygon" -> polygon(g.path("coordinates"));
            case "MultiPolygon" -> {
                List<Polygon> parts = new ArrayList<>();
                g.path("coordinates").forEach(p -> parts.add(polygon(p)));
                yield factory.createMultiPolygon(parts.toArray(Polygon[]::new));
            }
            default -> throw new IllegalArgumentException("geometry type " + type + " is not a Polygon or MultiPolygon");
        };
    }

    private static Polygon polygon(JsonNode rings) {
        GeometryFactory factory = GridMap.geometryFactory();
        List<LinearRing> all = new ArrayList<>();
        for (JsonNode ring : rings) {
            List<Coordinate> points = new ArrayList<>();
            ring.forEach(pt -> points.add(new Coordinate(pt.get(0).asDouble(), pt.get(1).asDouble())));
            all.add(factory.createLinearRing(points.toArray(Coordinate[]::new)));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a polygon without an outer ring");
        }
        Polygon polygon = factory.createPolygon(all.get(0), all.subList(1, all.size()).toArray(LinearRing[]::new));
        if (!polygon.isValid()) {
            throw new IllegalArgumentException("the outline is not a valid polygon");
        }
        return polygon;
    }
}
