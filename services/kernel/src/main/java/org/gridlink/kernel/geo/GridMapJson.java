package org.gridlink.kernel.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gridlink.contracts.UnitCode;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * The grid cells of a unit's subtree as GeoJSON (RFC 7946): a FeatureCollection of the cells' outlines, each with its
 * code, name and community, as the seeds' grid-cells.geojson gives them. What a console draws its map from.
 */
public final class GridMapJson {

    private GridMapJson() {
    }

    public record FeatureCollection(String type, List<Feature> features) {
    }

    public record Feature(String type, Map<String, String> properties, GeometryJson geometry) {
    }

    /** A Polygon's rings or a MultiPolygon's polygons, each ring [lon, lat] positions, closed. */
    public record GeometryJson(String type, List<?> coordinates) {
    }

    /** The cells of the communities within {@code unit} (all of them for the city), in code order. */
    public static FeatureCollection of(GridMap map, UnitCode unit) {
        List<Feature> features = map.cells().stream().filter(c -> unit.contains(c.community()))
                .map(c -> new Feature("Feature", Map.of("code", c.code(), "name", c.name(),
                        "community", c.community().value()), geometry(c.shape())))
                .toList();
        return new FeatureCollection("FeatureCollection", features);
    }

    static GeometryJson geometry(Geometry shape) {
        if (shape instanceof Polygon p) {
            return new GeometryJson("Polygon", rings(p));
        }
        List<List<List<double[]>>> polygons = new ArrayList<>();
        for (int i = 0; i < shape.getNumGeometries(); i++) {
            if (shape.getGeometryN(i) instanceof Polygon p) {
                polygons.add(rings(p));
            }
        }
        return new GeometryJson("MultiPolygon", polygons);
    }

    private static List<List<double[]>> rings(Polygon p) {
        List<List<double[]>> rings = new ArrayList<>();
        rings.add(positions(p.getExteriorRing()));
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            rings.add(positions(p.getInteriorRingN(i)));
        }
        return rings;
    }

    private static List<double[]> positions(LineString ring) {
        List<double[]> positions = new ArrayList<>();
        for (Coordinate c : ring.getCoordinates()) {
            positions.add(new double[] {c.x, c.y});
        }
        return positions;
    }
}
