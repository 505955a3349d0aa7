package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseChange;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Cases;
import org.gridlink.kernel.cases.Command;
import org.gridlink.kernel.cases.TimelineEntry;
import org.junit.jupiter.api.Test;

/** A case as its reporter reads it: where it stands and what came of it, not the staff's names and notes. */
class ResidentViewTest {

    static final UnitCode COMMUNITY = Cases.COMMUNITY;
    static final UnitCode TOWNSHIP = Cases.TOWNSHIP;
    static final Instant T = Cases.T0;

    static TimelineEntry entry(UnitCode unit, String actor, String action, CaseStatus from, CaseStatus to, String note) {
        return TimelineEntry.of(T, unit, actor, action, from, to, note);
    }

    @Test
    void theStaffsNamesAndNotesToEachOtherAreLeftOutTheOutcomeIsNot() {
        List<TimelineEntry> timeline = List.of(
                entry(COMMUNITY, "citizen.1", CaseStateMachine.REPORT, null, CaseStatus.REPORTED, "rubbish behind block 3"),
                entry(COMMUNITY, "handler.c", "ACCEPT", CaseStatus.REPORTED, CaseStatus.ACCEPTED, "on it"),
                entry(COMMUNITY, "handler.c", "ESCALATE", CaseStatus.ACCEPTED, CaseStatus.ESCALATED, "beyond our powers"),
                entry(TOWNSHIP, "leader.t", "COMMENT", CaseStatus.REPORTED, CaseStatus.REPORTED, "the owner is a cadre"),
                entry(TOWNSHIP, "supervisor.t", "DISPATCH", CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, "to officer o"),
                entry(TOWNSHIP, "handler.t", "EVIDENCE", CaseStatus.DISPATCHED, CaseStatus.DISPATCHED,
                        "AFTER: heap.jpg (image/jpeg, 2048 bytes)"),
                entry(TOWNSHIP, "officer.o", "RESOLVE", CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, "cleared the heap"),
                entry(TOWNSHIP, "supervisor.t", "MERGED_IN", CaseStatus.RESOLVED, CaseStatus.RESOLVED,
                        "case x merged into this one; its reporter citizen.2 follows this case"),
                entry(COMMUNITY, "citizen.1", "VERDICT_SATISFIED", CaseStatus.CLOSED, CaseStatus.CLOSED, "thanks"));
        List<TimelineEntry> seen = ResidentView.timeline(timeline, "citizen.1");

        assertThat(seen).extracting(TimelineEntry::action).doesNotContain("COMMENT").hasSize(timeline.size() - 1);
        assertThat(seen).extracting(TimelineEntry::actor).containsOnly("citizen.1", null);
        assertThat(seen).extracting(TimelineEntry::id).containsExactlyElementsOf(timeline.stream()
                .filter(e -> !"COMMENT".equals(e.action())).map(TimelineEntry::id).toList());
        assertThat(seen).extracting(TimelineEntry::note).containsExactly("rubbish behind block 3", null, null, null,
                "AFTER: heap.jpg (image/jpeg, 2048 bytes)", "cleared the heap", "case x merged into this one", "thanks");
        // every entry keeps its unit, time and statuses
        assertThat(seen.get(1).unit()).isEqualTo(COMMUNITY);
        assertThat(seen.get(1).toStatus()).isEqualTo(CaseStatus.ACCEPTED);
    }

    @Test
    void theRecordDoesNotNameTheOfficerHoldingItNorTheRequestWaiting() {
        CaseRecord accepted = CaseStateMachine.decide(Cases.aReportedCase(TOWNSHIP),
                new Command(CaseAction.ACCEPT, null, null, "h", null), T).record();
        CaseChange given = CaseStateMachine.decide(accepted, new Command(CaseAction.DISPATCH, null, null, "h",
                T.plusSeconds(86400), "officer.o", null, null, null, T.plusSeconds(3600)), T.plusSeconds(1));
        CaseRecord asked = CaseStateMachine.decide(CaseStateMachine.decide(given.record(),
                new Command(CaseAction.ACCEPT, null, null, "officer.o", null), T.plusSeconds(2)).record(),
                new Command(CaseAction.EXTEND_REQUEST, "more time", null, "officer.o", null, null, null, null,
                        T.plusSeconds(10 * 86400), null), T.plusSeconds(3)).record();
        assertThat(asked.assignee()).isEqualTo("officer.o");
        assertThat(asked.pending()).isNotNull();

        CaseRecord seen = ResidentView.record(asked);
        assertThat(seen.assignee()).isNull();
        assertThat(seen.pending()).isNull();
        assertThat(seen.status()).isEqualTo(asked.status());
        assertThat(seen.dueAt()).isEqualTo(asked.dueAt());
        assertThat(seen.updatedAt()).as("the version a resident acts on is the record's").isEqualTo(asked.updatedAt());
        assertThat(ResidentView.record(accepted)).isSameAs(accepted);
    }
}
