package org.gridlink.kernel.cases.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.Instruction;
import org.gridlink.kernel.support.r2dbc.NamedValues;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The leaders' instructions (领导批示) that wait on a unit's people (kernel V28): one a record, the latest. */
public class CaseInstructions {

    private final DatabaseClient db;

    public CaseInstructions(DatabaseClient db) {
        this.db = db;
    }

    /** Keeps the instruction as the one that waits on the record, replacing an earlier one. */
    public Mono<Void> keep(Instruction i) {
        return new NamedValues().put("unit", i.unit().value()).put("case", i.caseId()).put("entry", i.entry())
                .at("at", i.at()).put("leader", i.leader()).put("note", i.note())
                .bindTo(db.sql("insert into case_instruction (unit_code, case_id, entry_id, at, leader, note)"
                        + " values (:unit, :case, :entry, :at, :leader, :note) on conflict (unit_code, case_id) do update"
                        + " set entry_id = excluded.entry_id, at = excluded.at, leader = excluded.leader,"
                        + " note = excluded.note"))
                .then();
    }

    /** The unit's people answered the record's instruction (acted on the record, or wrote on it): it waits no more. */
    public Mono<Void> answered(UnitCode unit, UUID caseId) {
        return db.sql("delete from case_instruction where unit_code = :unit and case_id = :case")
                .bind("unit", unit.value()).bind("case", caseId).then();
    }

    /** The instruction that waits on the unit's record, if one does. */
    public Mono<Instruction> waiting(UnitCode unit, UUID caseId) {
        return db.sql("select unit_code, case_id, entry_id, at, leader, note from case_instruction"
                        + " where unit_code = :unit and case_id = :case")
                .bind("unit", unit.value()).bind("case", caseId).map(CaseInstructions::instruction).one();
    }

    private static Instruction instruction(Readable row) {
        return new Instruction(UnitCode.of(row.get("unit_code", String.class)), row.get("case_id", UUID.class),
                row.get("entry_id", UUID.class), row.get("at", Instant.class), row.get("leader", String.class),
                row.get("note", String.class));
    }
}
