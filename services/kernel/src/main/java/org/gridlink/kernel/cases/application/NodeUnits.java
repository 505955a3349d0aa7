package org.gridlink.kernel.cases.application;

import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;

/** The units this node serves: every seeded unit of its tier. */
public class NodeUnits {

    private final Tier tier;
    private final UnitDirectory directory;

    public NodeUnits(Tier tier, UnitDirectory directory) {
        this.tier = tier;
        this.directory = directory;
    }

    public Tier tier() {
        return tier;
    }

    public UnitDirectory directory() {
        return directory;
    }

    public boolean serves(UnitCode code) {
        return code.tier() == tier && directory.find(code).isPresent();
    }

    /** The unit named in a request path, or a 400 for a code of the wrong shape and a 404 for one not served here. */
    public Unit requireServed(String code) {
        if (!UnitCode.isValid(code)) {
            throw InvalidRequestException.malformed("code", "'" + code + "' is not a unit code: a unit code has 12 digits,"
                    + " PPCCDDTTTVVV (province, city, district, township, community)");
        }
        UnitCode unit = UnitCode.of(code);
        Unit found = directory.find(unit).orElseThrow(() -> new UnknownUnitException("there is no unit " + code));
        if (unit.tier() != tier) {
            throw new UnknownUnitException("unit " + code + " is a " + unit.tier().id() + ", and this node serves the "
                    + tier.id() + " tier");
        }
        return found;
    }
}
