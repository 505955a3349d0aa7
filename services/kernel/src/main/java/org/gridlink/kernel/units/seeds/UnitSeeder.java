package org.gridlink.kernel.units.seeds;

import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.units.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/** Loads this tier's units from the seeds into the node's database at start-up; running it again changes nothing. */
public class UnitSeeder implements ApplicationRunner, Ordered {

    private static final Logger log = LoggerFactory.getLogger(UnitSeeder.class);

    private final DatabaseClient db;
    private final NodeUnits node;

    public UnitSeeder(DatabaseClient db, NodeUnits node) {
        this.db = db;
        this.node = node;
    }

    @Override
    public void run(ApplicationArguments args) {
        Long changed = Flux.fromIterable(node.directory().ofTier(node.tier()))
                .concatMap(this::upsert)
                .reduce(0L, Long::sum)
                .block();
        log.info("{} tier: {} units seeded ({} rows inserted or changed)", node.tier().id(),
                node.directory().ofTier(node.tier()).size(), changed);
    }

    @Override
    public int getOrder() {
        // before any tier's own seeders, which refer to the units
        return 0;
    }

    private reactor.core.publisher.Mono<Long> upsert(Unit u) {
        var spec = db.sql("""
                insert into unit (code, name, name_en, tier, parent_code) values (:code, :name, :nameEn, :tier, :parent)
                on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
                    tier = excluded.tier, parent_code = excluded.parent_code
                where (unit.name, unit.name_en, unit.tier, unit.parent_code)
                    is distinct from (excluded.name, excluded.name_en, excluded.tier, excluded.parent_code)
                """)
                .bind("code", u.code().value()).bind("name", u.name()).bind("tier", u.tier().name());
        spec = u.nameEn() == null ? spec.bindNull("nameEn", String.class) : spec.bind("nameEn", u.nameEn());
        spec = u.code().parent().isPresent() ? spec.bind("parent", u.code().parent().get().value())
                : spec.bindNull("parent", String.class);
        return spec.fetch().rowsUpdated();
    }
}
