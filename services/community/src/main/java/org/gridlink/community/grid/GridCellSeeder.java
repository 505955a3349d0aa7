package org.gridlink.community.grid;

import org.gridlink.contracts.Tier;
import org.gridlink.kernel.units.UnitDirectory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/** Loads the communities' grid cells from the seeds at start-up, after the units; idempotent. */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class GridCellSeeder implements ApplicationRunner {

    private final DatabaseClient db;
    private final UnitDirectory directory;

    public GridCellSeeder(DatabaseClient db, UnitDirectory directory) {
        this.db = db;
        this.directory = directory;
    }

    @Override
    public void run(ApplicationArguments args) {
        Flux.fromIterable(directory.ofTier(Tier.COMMUNITY))
                .flatMapIterable(u -> directory.gridCells(u.code()))
                .concatMap(c -> db.sql("""
                        insert into grid_cell (code, name, community_code) values (:code, :name, :community)
                        on conflict (code) do update set name = excluded.name, community_code = excluded.community_code
                        """)
                        .bind("code", c.code()).bind("name", c.name()).bind("community", c.community().value())
                        .fetch().rowsUpdated())
                .then()
                .block();
    }
}
