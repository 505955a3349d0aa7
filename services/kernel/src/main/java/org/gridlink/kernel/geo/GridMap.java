package org.gridlink.kernel.geo;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.gridlink.contracts.UnitCode;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * The city's grid cells as shapes (seeds: grid-cells.geojson): which cell, and so which community, a point lies in.
 * Coordinates are WGS84 longitude/latitude as in GeoJSON. A point on the edge shared by two cells belongs to the
 * cell with the lower code, so the answer never depends on load order.
 */
public final class GridMap {

    /** One grid cell (网格) with its outline. */
    public record Cell(String code, String name, UnitCode community, Geometry shape) {
    }

    public static final GridMap EMPTY = new GridMap(List.of());

    private static final GeometryFactory GEOMETRY = new GeometryFactory(new PrecisionModel(), 4326);

    private final List<Cell> cells;
    private final STRtree index = new STRtree();

    public GridMap(List<Cell> cells) {
        this.cells = cells.stream().sorted(Comparator.comparing(Cell::code)).toList();
        for (Cell c : this.cells) {
            index.insert(c.shape().getEnvelopeInternal(), c);
        }
        index.build();
    }

    public static GeometryFactory geometryFactory() {
        return GEOMETRY;
    }

    /** The cell whose outline covers the point (edges included), if any. */
    public Optional<Cell> cellAt(double lat, double lon) {
        Point p = GEOMETRY.createPoint(new Coordinate(lon, lat));
        @SuppressWarnings("unchecked")
        List<Cell> candidates = index.query(p.getEnvelopeInternal());
        return candidates.stream().filter(c -> c.shape().covers(p)).min(Comparator.comparing(Cell::code));
    }

    public Optional<Cell> cell(String code) {
        return cells.stream().filter(c -> c.code().equals(code)).findFirst();
    }

    public List<Cell> cells() {
        return cells;
    }
}
