package org.gridlink.kernel.geo;

/** Great-circle distances on the WGS84 mean sphere, and the latitude/longitude box around a point. */
public final class Distance {

    /** Mean earth radius in metres (IUGG). */
    public static final double EARTH_RADIUS_M = 6_371_008.8;

    private Distance() {
    }

    /** The haversine distance in metres between two points given in degrees. */
    public static double metres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /**
     * A box that holds every point within {@code radiusMetres} of the centre (a cheap SQL prefilter; the exact test is
     * {@link #metres}). Away from the poles; the longitude span widens with the latitude.
     */
    public static Box around(double lat, double lon, double radiusMetres) {
        double dLat = Math.toDegrees(radiusMetres / EARTH_RADIUS_M);
        double cos = Math.max(Math.cos(Math.toRadians(lat)), 1e-6);
        double dLon = Math.min(180, Math.toDegrees(radiusMetres / (EARTH_RADIUS_M * cos)));
        return new Box(lat - dLat, lat + dLat, lon - dLon, lon + dLon);
    }

    public record Box(double minLat, double maxLat, double minLon, double maxLon) {
    }
}
