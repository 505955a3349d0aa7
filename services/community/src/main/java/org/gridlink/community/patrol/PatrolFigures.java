package org.gridlink.community.patrol;

import java.util.Map;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.stats.TierFigures;
import org.gridlink.kernel.units.UnitDirectory;
import org.springframework.stereotype.Component;

/**
 * A community's patrols in its roll-up (docs/stats.md), reported up the tiers with its other figures: per day, the
 * patrols started ({@code patrols}) and the grid cells patrolled ({@code patrolledCells}: a cell once a day, at its
 * first patrol that day); now, the cells it has ({@code gridCells}). Dated by each patrol's start, which never
 * changes: an end or a check-in later changes no count.
 */
@Component
public class PatrolFigures implements TierFigures {

    private final UnitDirectory directory;

    public PatrolFigures(UnitDirectory directory) {
        this.directory = directory;
    }

    @Override
    public String sql(String units, boolean forGrid) {
        return """
                select p.unit_code as unit, (p.started_at at time zone :zone)::date as day,
                       p.started_at < :split as settled, count(*) as patrols,
                       count(*) filter (where not exists (
                           select 1 from patrol f
                           where f.unit_code = p.unit_code and f.grid_code = p.grid_code
                             and (f.started_at at time zone :zone)::date = (p.started_at at time zone :zone)::date
                             and (f.started_at, f.id) < (p.started_at, p.id))) as cells
                from""" + units + """
                join patrol p on p.unit_code = u.code and p.started_at >= u.since
                  and p.unit_code = any(:units) and p.started_at >= :from""" + (forGrid ? " and p.grid_code = :grid" : "")
                + " group by 1, 2, 3";
    }

    @Override
    public Map<String, String> counters() {
        return Map.of("patrols", "patrols", "cells", "patrolledCells");
    }

    @Override
    public Map<String, Long> current(String unit, String grid) {
        return Map.of("gridCells", grid != null ? 1L : (long) directory.gridCells(UnitCode.of(unit)).size());
    }
}
