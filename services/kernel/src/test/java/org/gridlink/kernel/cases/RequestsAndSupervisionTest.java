package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridlink.kernel.cases.Cases.CITY;
import static org.gridlink.kernel.cases.Cases.COMMUNITY;
import static org.gridlink.kernel.cases.Cases.DISTRICT;
import static org.gridlink.kernel.cases.Cases.SIBLING_COMMUNITY;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;
import static org.gridlink.kernel.cases.Cases.at;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Officers, requests to the dispatcher and their decisions, supervision, parking, auto-escalation, re-categorising. */
class RequestsAndSupervisionTest {

    static final Instant NOW = T0.plus(Duration.ofMinutes(10));
    static final String OFFICER = "officer.HOUSING_CONSTRUCTION.410105001000";

    static Command dispatchToOfficer() {
        return new Command(CaseAction.DISPATCH, "look at it", null, "handler.t", NOW.plus(Duration.ofDays(5)), OFFICER,
                null, null, null, NOW.plus(Duration.ofHours(2)));
    }

    static Command ask(CaseAction action, String actor, String reason, Instant until) {
        return new Command(action, "please", null, actor, null, null, null, reason, until, null);
    }

    static Command decide(CaseAction action, String actor, Instant until) {
        return new Command(action, "decided", null, actor, null, null, null, null, until, null);
    }

    @Nested
    class AnOfficerOfTheUnit {

        @Test
        void isDispatchedToWithoutAnyEventAndMustSignWithinTheAcceptanceLimit() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null);
            CaseChange change = CaseStateMachine.decide(r, dispatchToOfficer(), NOW);
            CaseRecord d = change.record();
            assertThat(d.status()).isEqualTo(CaseStatus.DISPATCHED);
            assertThat(d.assignee()).isEqualTo(OFFICER);
            assertThat(d.dispatchedTo()).isNull();
            assertThat(d.runningClock()).isEqualTo(CaseRecord.RunningClock.ACCEPTANCE);
            assertThat(d.acceptDueAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
            assertThat(d.dueAt()).as("the unit's own due time stands").isEqualTo(r.dueAt());
            assertThat(change.messages()).isEmpty();
            assertThat(change.entries()).singleElement().satisfies(e -> assertThat(e.note()).contains(OFFICER));
            assertThat(CaseStateMachine.allowedActions(d)).containsExactlyInAnyOrder(CaseAction.ACCEPT,
                    CaseAction.RETURN_REQUEST, CaseAction.RECALL, CaseAction.REASSIGN);
        }

        static Command reassign(String to, String note) {
            return new Command(CaseAction.REASSIGN, note, null, "supervisor.t", NOW.plus(Duration.ofDays(9)), to,
                    null, null, null, NOW.plus(Duration.ofHours(3)));
        }

        @Test
        void isReassignedToAnotherOfficerSignedForAndStartedOrNotWhoSignsForItAnew() {
            String other = "officer.URBAN_MANAGEMENT.410105001000";
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            CaseRecord signed = CaseStateMachine.decide(d, new Command(CaseAction.ACCEPT, null, null, OFFICER, null), NOW)
                    .record();
            CaseRecord started = CaseStateMachine.decide(signed, new Command(CaseAction.START, null, null, OFFICER, null),
                    NOW).record();
            for (CaseRecord held : List.of(d, signed, started)) {
                assertThat(CaseStateMachine.allowedActions(held)).as(held.status().name()).contains(CaseAction.REASSIGN);
                CaseChange change = CaseStateMachine.decide(held, reassign(other, "on leave until Monday"),
                        NOW.plusSeconds(60));
                CaseRecord r = change.record();
                assertThat(r.status()).isEqualTo(CaseStatus.DISPATCHED);
                assertThat(r.assignee()).isEqualTo(other);
                assertThat(r.acceptDueAt()).as("the new officer's own acceptance limit")
                        .isEqualTo(NOW.plus(Duration.ofHours(3)));
                assertThat(r.dueAt()).as("the unit's due time stands: 改派 gives nobody more time").isEqualTo(d.dueAt());
                assertThat(r.runningClock()).isEqualTo(CaseRecord.RunningClock.ACCEPTANCE);
                assertThat(change.entries()).singleElement().satisfies(e -> {
                    assertThat(e.action()).isEqualTo("REASSIGN");
                    assertThat(e.note()).isEqualTo("from officer " + OFFICER + " to officer " + other
                            + ": on leave until Monday");
                    assertThat(e.fromStatus()).isEqualTo(held.status());
                });
                assertThat(CaseStateMachine.allowedActions(r)).contains(CaseAction.ACCEPT, CaseAction.RECALL);
            }
            // to the same officer, to nobody, without a note: refused, naming what is missing
            assertThatThrownBy(() -> CaseStateMachine.decide(started, reassign(OFFICER, "again"), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("with " + OFFICER + " already");
            assertThatThrownBy(() -> CaseStateMachine.decide(started, reassign(null, "to whom"), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("names the department officer");
            assertThatThrownBy(() -> CaseStateMachine.decide(started, reassign(other, " "), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("REASSIGN needs a note");
        }

        @Test
        void isNotReassignedWhileTheirRequestWaitsNorWhenNoOfficerHoldsIt() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            CaseRecord asking = CaseStateMachine.decide(d, ask(CaseAction.RETURN_REQUEST, OFFICER, "NOT_IN_REMIT", null),
                    NOW).record();
            assertThatThrownBy(() -> CaseStateMachine.decide(asking, reassign("officer.x", "take it"), NOW))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("waits on a decision first");
            CaseRecord unit = at(TOWNSHIP, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.decide(unit, reassign("officer.x", "take it"), NOW))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("only a case one of the unit's department officers holds is reassigned");
            CaseRecord toChild = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null, COMMUNITY);
            assertThat(CaseStateMachine.allowedActions(toChild)).doesNotContain(CaseAction.REASSIGN);
        }

        @Test
        void isRecalledByTheUnitBeforeSigningAndTheCaseIsTheUnitsAgain() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            assertThatThrownBy(() -> CaseStateMachine.decide(d, new Command(CaseAction.RECALL, " ", null, "handler.t",
                    null), NOW)).isInstanceOf(InvalidCommandException.class).hasMessageContaining("RECALL needs a note");

            CaseChange recalled = CaseStateMachine.decide(d, new Command(CaseAction.RECALL, "the officer is on leave",
                    null, "handler.t", null), NOW.plusSeconds(60));
            CaseRecord r = recalled.record();
            assertThat(r.status()).isEqualTo(CaseStatus.ACCEPTED);
            assertThat(r.assignee()).isNull();
            assertThat(r.runningClock()).as("the unit's handling clock, its due time as it was")
                    .isEqualTo(CaseRecord.RunningClock.HANDLING);
            assertThat(r.dueAt()).isEqualTo(d.dueAt());
            assertThat(recalled.messages()).isEmpty();
            assertThat(recalled.entries()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("RECALL");
                assertThat(e.note()).isEqualTo("from officer " + OFFICER + ": the officer is on leave");
            });
            assertThat(CaseStateMachine.allowedActions(r)).contains(CaseAction.DISPATCH, CaseAction.START)
                    .doesNotContain(CaseAction.RECALL);
        }

        @Test
        void isNotRecalledOnceSignedForNorWhileTheirRequestWaits() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            CaseRecord signed = CaseStateMachine.decide(d, new Command(CaseAction.ACCEPT, null, null, OFFICER, null), NOW)
                    .record();
            assertThatThrownBy(() -> CaseStateMachine.decide(signed, new Command(CaseAction.RECALL, "too late", null,
                    "handler.t", null), NOW)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("who has not signed for it yet");
            CaseRecord asking = CaseStateMachine.decide(d, ask(CaseAction.RETURN_REQUEST, OFFICER, "NOT_IN_REMIT", null),
                    NOW).record();
            assertThatThrownBy(() -> CaseStateMachine.decide(asking, new Command(CaseAction.RECALL, "take it back", null,
                    "handler.t", null), NOW)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("waits on a decision first (APPROVE takes the case back)");
            CaseRecord toChild = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null, COMMUNITY);
            assertThat(CaseStateMachine.allowedActions(toChild)).doesNotContain(CaseAction.RECALL);
        }

        @Test
        void asksToSendItBackAndTheUnitDecides() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            CaseChange asked = CaseStateMachine.decide(d, ask(CaseAction.RETURN_REQUEST, OFFICER, "NOT_IN_REMIT", null), NOW);
            assertThat(asked.messages()).as("decided in the unit: nothing to send").isEmpty();
            assertThat(asked.record().pending().decidedAt(TOWNSHIP)).isTrue();
            assertThat(CaseStateMachine.allowedActions(asked.record())).contains(CaseAction.APPROVE, CaseAction.OVERRULE)
                    .doesNotContain(CaseAction.RETURN_REQUEST);

            CaseRecord approved = CaseStateMachine.decide(asked.record(), decide(CaseAction.APPROVE, "handler.t", null), NOW)
                    .record();
            assertThat(approved.status()).isEqualTo(CaseStatus.ACCEPTED);
            assertThat(approved.assignee()).isNull();
            assertThat(approved.pending()).isNull();
            assertThat(approved.accountability().bounces()).isEqualTo(1);
        }

        @Test
        void aReturnRequestWithoutAReasonIsRefused() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            assertThatThrownBy(() -> CaseStateMachine.decide(d, ask(CaseAction.RETURN_REQUEST, OFFICER, null, null), NOW))
                    .isInstanceOfSatisfying(InvalidCommandException.class, e -> assertThat(e.field()).isEqualTo("reason"));
        }
    }

    @Nested
    class AChildUnitsRequest {

        final CaseRecord child = at(COMMUNITY, CaseStatus.REPORTED, Origin.DISPATCH, null, null, TOWNSHIP, null);
        final CaseRecord dispatcher = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null, COMMUNITY);

        CaseChange askReturn() {
            return CaseStateMachine.decide(child, ask(CaseAction.RETURN_REQUEST, "handler.c", "NOT_IN_JURISDICTION", null), NOW);
        }

        CaseRecord dispatcherWithRequest(CaseChange asked) {
            Outgoing.Request request = (Outgoing.Request) asked.messages().get(0);
            return CaseStateMachine.receiveRequest(dispatcher, COMMUNITY, request.request(), request.entry(), true, NOW)
                    .record();
        }

        @Test
        void goesToTheDispatcherWhichApprovesAndGetsTheCaseBack() {
            CaseChange asked = askReturn();
            assertThat(asked.messages()).singleElement().isInstanceOfSatisfying(Outgoing.Request.class,
                    m -> assertThat(m.to()).isEqualTo(TOWNSHIP));
            assertThat(CaseStateMachine.allowedActions(asked.record())).doesNotContain(CaseAction.APPROVE);

            CaseRecord waiting = dispatcherWithRequest(asked);
            assertThat(waiting.pending().fromUnit()).isEqualTo(COMMUNITY);
            assertThat(CaseStateMachine.allowedActions(waiting)).containsExactlyInAnyOrder(CaseAction.APPROVE,
                    CaseAction.OVERRULE);

            CaseChange approved = CaseStateMachine.decide(waiting, decide(CaseAction.APPROVE, "handler.t", null), NOW);
            assertThat(approved.record().status()).isEqualTo(CaseStatus.ACCEPTED);
            assertThat(approved.record().dispatchedTo()).isNull();
            assertThat(approved.record().accountability().bounces()).isEqualTo(1);
            assertThat(approved.entries()).singleElement().satisfies(e -> assertThat(e.action()).isEqualTo("RETURN_APPROVED"));
            Outgoing.Decision decision = (Outgoing.Decision) approved.messages().stream()
                    .filter(m -> m instanceof Outgoing.Decision).findFirst().orElseThrow();
            assertThat(decision.to()).isEqualTo(COMMUNITY);
            assertThat(decision.approved()).isTrue();
            // 改派: the dispatcher may now dispatch it to someone else
            assertThat(CaseStateMachine.allowedActions(approved.record())).contains(CaseAction.DISPATCH);

            CaseChange atChild = CaseStateMachine.receiveDecision(asked.record(), TOWNSHIP, decision.kind(), true, null,
                    decision.entry(), true, NOW);
            assertThat(atChild.record().status()).isEqualTo(CaseStatus.CLOSED);
            assertThat(atChild.entries()).extracting(TimelineEntry::action)
                    .containsExactly("RETURN_APPROVED", CaseStateMachine.HANDED_BACK);
        }

        @Test
        void anOverruledReturnLeavesTheCaseWithTheReceiver() {
            CaseChange asked = askReturn();
            CaseChange overruled = CaseStateMachine.decide(dispatcherWithRequest(asked),
                    decide(CaseAction.OVERRULE, "handler.t", null), NOW);
            assertThat(overruled.record().status()).isEqualTo(CaseStatus.DISPATCHED);
            assertThat(overruled.record().accountability().bounces()).isZero();
            Outgoing.Decision decision = (Outgoing.Decision) overruled.messages().get(0);
            CaseRecord atChild = CaseStateMachine.receiveDecision(asked.record(), TOWNSHIP, decision.kind(), false, null,
                    decision.entry(), true, NOW).record();
            assertThat(atChild.status()).isEqualTo(CaseStatus.REPORTED);
            assertThat(atChild.pending()).isNull();
            assertThat(CaseStateMachine.allowedActions(atChild)).contains(CaseAction.ACCEPT, CaseAction.RETURN_REQUEST);
        }

        @Test
        void anApprovedExtensionMovesTheDueTimeAtBothEnds() {
            CaseRecord accepted = CaseStateMachine.decide(child, new Command(CaseAction.ACCEPT, null, null, "h", null), NOW)
                    .record();
            Instant later = NOW.plus(Duration.ofDays(10));
            CaseChange asked = CaseStateMachine.decide(accepted, ask(CaseAction.EXTEND_REQUEST, "handler.c", null, later), NOW);
            CaseChange approved = CaseStateMachine.decide(dispatcherWithRequest(asked),
                    decide(CaseAction.APPROVE, "handler.t", null), NOW);
            assertThat(approved.record().dueAt()).isEqualTo(later);
            Outgoing.Decision decision = (Outgoing.Decision) approved.messages().get(0);
            assertThat(decision.until()).isEqualTo(later);
            CaseRecord atChild = CaseStateMachine.receiveDecision(asked.record(), TOWNSHIP, decision.kind(), true,
                    decision.until(), decision.entry(), true, NOW).record();
            assertThat(atChild.dueAt()).isEqualTo(later);
            assertThat(atChild.accountability().extensions()).isEqualTo(1);
        }

        @Test
        void anExtensionIntoThePastIsRefused() {
            CaseRecord accepted = CaseStateMachine.decide(child, new Command(CaseAction.ACCEPT, null, null, "h", null), NOW)
                    .record();
            assertThatThrownBy(() -> CaseStateMachine.decide(accepted,
                    ask(CaseAction.EXTEND_REQUEST, "handler.c", null, NOW.minus(Duration.ofHours(1))), NOW))
                    .isInstanceOfSatisfying(InvalidCommandException.class, e -> {
                        assertThat(e.field()).isEqualTo("until");
                        assertThat(e.getMessage()).contains("an extension moves the due time later");
                    });
        }
    }

    @Nested
    class ClocksAndTheSystem {

        @Test
        void aParkedRecordIsNotOverdueUntilItsReviewDate() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            Instant review = NOW.plus(Duration.ofDays(30));
            CaseRecord asked = CaseStateMachine.decide(r, ask(CaseAction.PARK_REQUEST, "handler.t", null, review), NOW).record();
            assertThat(CaseStateMachine.allowedActions(asked)).contains(CaseAction.APPROVE);
            CaseRecord parked = CaseStateMachine.decide(asked, decide(CaseAction.APPROVE, "supervisor.t", null), NOW).record();
            Instant afterDue = r.dueAt().plus(Duration.ofDays(1));
            assertThat(r.overdueAt(afterDue)).isTrue();
            assertThat(parked.overdueAt(afterDue)).isFalse();
            assertThat(parked.overdueAt(review.plusSeconds(1))).isTrue();
            CaseChange reviewed = CaseStateMachine.reviewPark(parked, review.plusSeconds(1));
            assertThat(reviewed.record().accountability().parkedUntil()).isNull();
            assertThat(reviewed.entries()).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo(CaseStateMachine.PARK_REVIEW));
        }

        @Test
        void aSupervisionNoticeGivesTheRunningClockANewDeadlineAndIsCounted() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            Instant due = NOW.plus(Duration.ofHours(8));
            TimelineEntry notice = TimelineEntry.of(NOW, DISTRICT, "leader.d", "SUPERVISE", null, null, "finish");
            CaseChange change = CaseStateMachine.receiveSupervision(r, DISTRICT, notice, due, true, true, NOW);
            assertThat(change.record().dueAt()).isEqualTo(due);
            assertThat(change.record().accountability().supervisions()).isEqualTo(1);
            assertThat(change.record().accountability().leaderSupervised()).isTrue();
            assertThat(CaseStateMachine.receiveSupervision(r, DISTRICT, notice, due, true, false, NOW).record())
                    .as("a notice seen before changes nothing").isEqualTo(r);
        }

        @Test
        void aSupervisionNoticeAboutAnUnverifiedOutcomeGivesTheVerificationClockItsNewDeadline() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.RESOLVED, Origin.INTAKE, null, null, null, COMMUNITY)
                    .withVerification(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)));
            assertThat(r.overdueAt(NOW)).isTrue();
            Instant due = NOW.plus(Duration.ofHours(4));
            TimelineEntry notice = TimelineEntry.of(NOW, DISTRICT, "supervisor.d", "SUPERVISE", null, null, "verify it");
            CaseRecord after = CaseStateMachine.receiveSupervision(r, DISTRICT, notice, due, false, true, NOW).record();
            assertThat(after.verifyDueAt()).isEqualTo(due);
            assertThat(after.verifyFrom()).as("the clock still counts from the resolution").isEqualTo(r.verifyFrom());
            assertThat(after.dueAt()).as("the handling deadline is history now").isEqualTo(r.dueAt());
            assertThat(after.overdueAt(NOW)).isFalse();
        }

        @Test
        void theSystemEscalatesAnOfficersUnsignedRecordButTheCityHasNowhereToGo() {
            CaseRecord d = CaseStateMachine.decide(at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    dispatchToOfficer(), NOW).record();
            CaseChange up = CaseStateMachine.autoEscalate(d, "grace passed", NOW);
            assertThat(up.record().status()).isEqualTo(CaseStatus.ESCALATED);
            assertThat(up.record().assignee()).isNull();
            assertThat(up.entries()).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo(TimelineEntry.SYSTEM);
                assertThat(e.action()).isEqualTo("ESCALATE");
            });
            assertThat(up.messages()).singleElement().isInstanceOfSatisfying(Outgoing.Escalation.class,
                    m -> assertThat(m.to()).isEqualTo(DISTRICT));
            assertThat(CaseStateMachine.autoEscalate(at(CITY, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null),
                    "no", NOW)).isNull();
            assertThat(CaseStateMachine.autoEscalate(at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null,
                    SIBLING_COMMUNITY), "waits on a child", NOW)).isNull();
        }

        @Test
        void aNewCategoryBringsItsTimeLimitsAndIsCounted() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null);
            Instant accept = NOW.plus(Duration.ofHours(1));
            Instant handle = NOW.plus(Duration.ofHours(12));
            CaseChange change = CaseStateMachine.decide(r, new Command(CaseAction.RECATEGORISE, "it is a fire risk", null,
                    "handler.t", handle, null, "FIRE_HAZARD", null, null, accept), NOW);
            assertThat(change.record().details().categoryCode()).isEqualTo("FIRE_HAZARD");
            assertThat(change.record().dueAt()).isEqualTo(handle);
            assertThat(change.record().accountability().recategorisations()).isEqualTo(1);
            assertThat(change.entries()).singleElement()
                    .satisfies(e -> assertThat(e.note()).startsWith("GARBAGE_PILE -> FIRE_HAZARD"));
            assertThatThrownBy(() -> CaseStateMachine.decide(change.record(), new Command(CaseAction.RECATEGORISE, null,
                    null, "h", handle, null, "FIRE_HAZARD", null, null, accept), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("already in category");
        }

        @Test
        void theCategoryAReportWasMadeInIsReadFromItsFirstRecategorisation() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null);
            Instant handle = NOW.plus(Duration.ofHours(12));
            assertThat(CaseStateMachine.reportedCategory(r, List.of())).isEqualTo("GARBAGE_PILE");

            CaseChange first = CaseStateMachine.decide(r, new Command(CaseAction.RECATEGORISE, "a fire risk -> urgent",
                    null, "handler.t", handle, null, "FIRE_HAZARD", null, null, handle), NOW);
            CaseChange second = CaseStateMachine.decide(first.record(), new Command(CaseAction.RECATEGORISE, null, null,
                    "handler.t", handle, null, "NOISE", null, null, handle), NOW.plusSeconds(60));
            List<TimelineEntry> timeline = new java.util.ArrayList<>(first.entries());
            timeline.addAll(second.entries());

            assertThat(second.record().details().categoryCode()).isEqualTo("NOISE");
            assertThat(CaseStateMachine.reportedCategory(second.record(), timeline)).isEqualTo("GARBAGE_PILE");
            assertThat(CaseStateMachine.reportedCategory(first.record(), first.entries())).isEqualTo("GARBAGE_PILE");
        }
    }
}
