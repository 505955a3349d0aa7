package org.gridlink.kernel.cases;

/** Where the problem is: WGS84 coordinates and a free-text address; any part may be missing. */
public record Location(Double lat, Double lon, String address) {
}
