package org.gridlink.kernel.units;

import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;

/** An administrative unit from the seeds. */
public record Unit(UnitCode code, String name, String nameEn, Tier tier) {
}
