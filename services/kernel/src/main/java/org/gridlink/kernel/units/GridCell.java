package org.gridlink.kernel.units;

import org.gridlink.contracts.UnitCode;

/** A grid cell (网格) inside a community: {@code <communityCode>-<nn>}. */
public record GridCell(String code, String name, UnitCode community) {
}
