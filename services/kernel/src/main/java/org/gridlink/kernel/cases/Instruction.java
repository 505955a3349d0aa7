package org.gridlink.kernel.cases;

import java.time.Instant;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;

/**
 * A leader's instruction (领导批示) on a unit's record that waits on the unit's people (待落实): the latest note a leader
 * of the unit, or one who answers for it (分包), wrote on it, until one of the unit's people acts on the record or writes
 * on it after it.
 *
 * @param entry the instruction's entry in the record's timeline (its COMMENT)
 */
public record Instruction(UnitCode unit, UUID caseId, UUID entry, Instant at, String leader, String note) {
}
