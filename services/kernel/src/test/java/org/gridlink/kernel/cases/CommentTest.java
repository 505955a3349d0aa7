package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridlink.kernel.cases.Cases.COMMUNITY;
import static org.gridlink.kernel.cases.Cases.DISTRICT;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;
import static org.gridlink.kernel.cases.Cases.at;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** 留言: a note on a record that changes nothing else and travels the chain (阶段反馈, 批示, 催办). */
class CommentTest {

    static final Instant NOW = T0.plus(Duration.ofMinutes(10));

    static Command comment(String note) {
        return new Command(CaseAction.COMMENT, note, null, "leader.t", null, null, null, null, null, null);
    }

    @Test
    void aNoteLeavesTheRecordAsItWasAndGoesToEveryNeighbour() {
        // the township handles a case the community escalated, and has escalated it on to the district
        CaseRecord r = at(TOWNSHIP, CaseStatus.ESCALATED, Origin.ESCALATION, COMMUNITY, DISTRICT, null, null);
        CaseChange change = CaseStateMachine.decide(r, comment("  联系物业，周三前清理  "), NOW);
        CaseRecord next = change.record();
        assertThat(next.status()).isEqualTo(CaseStatus.ESCALATED);
        assertThat(next.dueAt()).isEqualTo(r.dueAt());
        assertThat(next.escalatedTo()).isEqualTo(DISTRICT);
        assertThat(next.accountability()).isEqualTo(r.accountability());
        assertThat(next.updatedAt()).as("the record changed: its version moves").isAfter(r.updatedAt());
        assertThat(change.entries()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("COMMENT");
            assertThat(e.fromStatus()).isEqualTo(CaseStatus.ESCALATED);
            assertThat(e.toStatus()).isEqualTo(CaseStatus.ESCALATED);
            assertThat(e.note()).isEqualTo("联系物业，周三前清理");
            assertThat(e.actor()).isEqualTo("leader.t");
        });
        assertThat(change.messages()).allSatisfy(m -> assertThat(m).isInstanceOf(Outgoing.Progress.class))
                .extracting(Outgoing::to).containsExactlyInAnyOrder(COMMUNITY, DISTRICT);
    }

    @Test
    void aNoteReachingAnotherRecordIsKeptPassedOnAndMovesNothing() {
        CaseRecord township = at(TOWNSHIP, CaseStatus.ESCALATED, Origin.ESCALATION, COMMUNITY, DISTRICT, null, null);
        TimelineEntry fromAbove = CaseStateMachine.decide(
                at(DISTRICT, CaseStatus.IN_PROGRESS, Origin.ESCALATION, TOWNSHIP, null, null, null),
                comment("请街道配合"), NOW).entries().get(0);
        CaseChange received = CaseStateMachine.receiveProgress(township, DISTRICT, fromAbove, null, true, NOW);
        assertThat(received.record()).isEqualTo(township);
        assertThat(received.entries()).containsExactly(fromAbove);
        assertThat(received.messages()).singleElement().satisfies(m -> assertThat(m.to()).isEqualTo(COMMUNITY));
        // seen before: nothing again
        assertThat(CaseStateMachine.receiveProgress(township, DISTRICT, fromAbove, null, false, NOW).messages()).isEmpty();
    }

    @Test
    void aNoteIsWrittenWhileTheCaseIsOpenAndSaysSomething() {
        for (CaseStatus status : CaseStatus.values()) {
            CaseRecord r = Cases.townshipRecord(status);
            boolean open = !status.isTerminal() && status != CaseStatus.UNKNOWN;
            assertThat(CaseStateMachine.mayComment(r)).as("%s", status).isEqualTo(open);
            if (!open) {
                assertThatThrownBy(() -> CaseStateMachine.decide(r, comment("too late"), NOW))
                        .isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining("cannot COMMENT a case that is " + status);
            }
        }
        CaseRecord open = at(TOWNSHIP, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
        assertThatThrownBy(() -> CaseStateMachine.decide(open, comment("   "), NOW))
                .isInstanceOfSatisfying(InvalidCommandException.class, e -> assertThat(e.field()).isEqualTo("note"));
        assertThatThrownBy(() -> CaseStateMachine.decide(open, comment(null), NOW))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("COMMENT needs a note");
        assertThat(CaseAction.COMMENT.requiresNote()).isTrue();
    }
}
