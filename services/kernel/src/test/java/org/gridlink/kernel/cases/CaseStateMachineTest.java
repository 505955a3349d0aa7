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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaseStateMachineTest {

    private static final Instant NOW = T0.plusSeconds(60);

    /** The table of docs/state-machine.md for a township's own intake: status → allowed actions. */
    private static final Map<CaseStatus, Set<CaseAction>> TOWNSHIP_INTAKE = Map.ofEntries(
            Map.entry(CaseStatus.REPORTED, EnumSet.of(CaseAction.ACCEPT, CaseAction.REJECT, CaseAction.RECATEGORISE)),
            Map.entry(CaseStatus.ACCEPTED, EnumSet.of(CaseAction.START, CaseAction.DISPATCH, CaseAction.ESCALATE,
                    CaseAction.RECATEGORISE, CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST)),
            Map.entry(CaseStatus.RETURNED, EnumSet.of(CaseAction.START, CaseAction.DISPATCH, CaseAction.ESCALATE,
                    CaseAction.RECATEGORISE, CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST)),
            Map.entry(CaseStatus.IN_PROGRESS, EnumSet.of(CaseAction.RESOLVE, CaseAction.ESCALATE, CaseAction.RECATEGORISE,
                    CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST)),
            Map.entry(CaseStatus.REWORK, EnumSet.of(CaseAction.RESOLVE, CaseAction.ESCALATE, CaseAction.RECATEGORISE,
                    CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST)),
            Map.entry(CaseStatus.DISPATCHED, EnumSet.noneOf(CaseAction.class)),
            Map.entry(CaseStatus.RESOLVED, EnumSet.of(CaseAction.VERIFY, CaseAction.REWORK)),
            Map.entry(CaseStatus.VERIFIED, EnumSet.of(CaseAction.CLOSE)),
            Map.entry(CaseStatus.ESCALATED, EnumSet.noneOf(CaseAction.class)),
            Map.entry(CaseStatus.REOPENED, EnumSet.of(CaseAction.START, CaseAction.ESCALATE)),
            // MERGE and VERDICT are never taken through decide: they need a second record or the timeline
            Map.entry(CaseStatus.CLOSED, EnumSet.noneOf(CaseAction.class)),
            Map.entry(CaseStatus.REJECTED, EnumSet.noneOf(CaseAction.class)),
            Map.entry(CaseStatus.UNKNOWN, EnumSet.noneOf(CaseAction.class)));

    static Stream<Arguments> everyStatusAndAction() {
        return Stream.of(CaseStatus.values()).flatMap(s -> Stream.of(CaseAction.values()).map(a -> Arguments.of(s, a)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStatusAndAction")
    void everyTransitionIsAllowedOrRefusedAsTheTableSays(CaseStatus status, CaseAction action) {
        CaseRecord record = Cases.townshipRecord(status);
        Command command = new Command(action, "a note", action == CaseAction.DISPATCH ? COMMUNITY : null, "tester",
                NOW.plus(Duration.ofHours(48)), null, action == CaseAction.RECATEGORISE ? "NOISE" : null,
                null, NOW.plus(Duration.ofDays(30)), NOW.plus(Duration.ofHours(2)));
        // a note (COMMENT) is written on any record while the case is open there
        boolean allowed = action == CaseAction.COMMENT ? !status.isTerminal() && status != CaseStatus.UNKNOWN
                : TOWNSHIP_INTAKE.get(status).contains(action);
        if (allowed) {
            CaseChange change = CaseStateMachine.decide(record, command, NOW);
            assertThat(change.entries()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo(action.name());
                assertThat(e.fromStatus()).isEqualTo(status);
                assertThat(e.toStatus()).isEqualTo(change.record().status());
                assertThat(e.actor()).isEqualTo("tester");
                assertThat(e.unit()).isEqualTo(TOWNSHIP);
            });
            assertThat(change.record().status()).isEqualTo(expectedTarget(status, action));
        } else {
            assertThatThrownBy(() -> CaseStateMachine.decide(record, command, NOW))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("cannot " + action + " a case that is " + status)
                    .satisfies(e -> assertThat(((IllegalTransitionException) e).current()).isEqualTo(status));
        }
    }

    private static CaseStatus expectedTarget(CaseStatus from, CaseAction action) {
        return switch (action) {
            // a recall takes the case back from the unit's officer: the unit's to handle, as accepted
            case ACCEPT, RECALL -> CaseStatus.ACCEPTED;
            // requests, decisions and a new category leave the status as it is
            case RECATEGORISE, EXTEND_REQUEST, PARK_REQUEST, RETURN_REQUEST, APPROVE, OVERRULE, COMMENT -> from;
            case REJECT -> CaseStatus.REJECTED;
            case RETURN, CLOSE -> CaseStatus.CLOSED;
            case START -> CaseStatus.IN_PROGRESS;
            case DISPATCH, REASSIGN -> CaseStatus.DISPATCHED;
            case ESCALATE -> CaseStatus.ESCALATED;
            case RESOLVE -> CaseStatus.RESOLVED;
            case VERIFY -> CaseStatus.VERIFIED;
            // the township dispatched the work: rework goes back to the child, the record waits again
            case REWORK -> CaseStatus.DISPATCHED;
            case MERGE, VERDICT -> from;
        };
    }

    @Nested
    class WhereACaseCameFromDecides {

        @Test
        void anEscalationCanBeReturnedButNotRejected() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.REPORTED, Origin.ESCALATION, COMMUNITY, null, null, null);
            assertThat(CaseStateMachine.allowedActions(r)).containsExactlyInAnyOrder(CaseAction.ACCEPT, CaseAction.RETURN,
                    CaseAction.RECATEGORISE);
            assertThatThrownBy(() -> CaseStateMachine.decide(r, cmd(CaseAction.REJECT, "no"), NOW))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("only a unit's own intake can be rejected");
        }

        @Test
        void aDispatchCanNeitherBeRejectedNorReturnedOnlyAskedBack() {
            CaseRecord r = at(COMMUNITY, CaseStatus.REPORTED, Origin.DISPATCH, null, null, TOWNSHIP, null);
            assertThat(CaseStateMachine.allowedActions(r)).containsExactlyInAnyOrder(CaseAction.ACCEPT,
                    CaseAction.RECATEGORISE, CaseAction.RETURN_REQUEST);
        }

        @Test
        void returningClosesTheParentRecordAndSendsTheCaseBack() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.REPORTED, Origin.ESCALATION, COMMUNITY, null, null, null);
            CaseChange change = CaseStateMachine.decide(r, cmd(CaseAction.RETURN, "a community matter"), NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.CLOSED);
            assertThat(change.record().resolution()).contains("returned to " + COMMUNITY);
            assertThat(change.messages()).singleElement().isInstanceOfSatisfying(Outgoing.Return.class,
                    m -> assertThat(m.to()).isEqualTo(COMMUNITY));
        }

        @Test
        void theCityCannotEscalateAndACommunityCannotDispatch() {
            CaseRecord city = at(CITY, CaseStatus.ACCEPTED, Origin.ESCALATION, DISTRICT, null, null, null);
            assertThat(CaseStateMachine.allowedActions(city)).containsExactlyInAnyOrder(CaseAction.START, CaseAction.DISPATCH,
                    CaseAction.RECATEGORISE, CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST);
            assertThatThrownBy(() -> CaseStateMachine.decide(city, cmd(CaseAction.ESCALATE, null), NOW))
                    .hasMessageContaining("the city has no tier above it");
            CaseRecord community = at(COMMUNITY, CaseStatus.ACCEPTED, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.decide(community,
                    new Command(CaseAction.DISPATCH, null, SIBLING_COMMUNITY, "t", null), NOW))
                    .hasMessageContaining("a community has no child units");
        }

        @Test
        void aHandlerDispatchedFromAboveWaitsForTheDispatcherToVerify() {
            CaseRecord r = at(COMMUNITY, CaseStatus.RESOLVED, Origin.DISPATCH, null, null, TOWNSHIP, null);
            assertThat(CaseStateMachine.allowedActions(r)).isEmpty();
            assertThatThrownBy(() -> CaseStateMachine.decide(r, cmd(CaseAction.VERIFY, null), NOW))
                    .hasMessageContaining("verified by " + TOWNSHIP);
        }

        @Test
        void aMiddleDispatcherVerifiesButDoesNotClose() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.VERIFIED, Origin.DISPATCH, null, null, DISTRICT, COMMUNITY);
            assertThat(CaseStateMachine.allowedActions(r)).isEmpty();
        }
    }

    @Nested
    class NotesAndTargets {

        @Test
        void noteRequiredActionsWithoutANoteAreRefused() {
            for (CaseAction a : List.of(CaseAction.REJECT, CaseAction.RESOLVE, CaseAction.REWORK, CaseAction.RETURN)) {
                assertThat(a.requiresNote()).isTrue();
            }
            CaseRecord r = Cases.townshipRecord(CaseStatus.IN_PROGRESS);
            assertThatThrownBy(() -> CaseStateMachine.decide(r, cmd(CaseAction.RESOLVE, "  "), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("RESOLVE needs a note");
        }

        @Test
        void dispatchNeedsAChildOfThisUnit() {
            CaseRecord r = Cases.townshipRecord(CaseStatus.ACCEPTED);
            assertThatThrownBy(() -> CaseStateMachine.decide(r, new Command(CaseAction.DISPATCH, null, null, "t", null), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("needs a target");
            UnitCode otherTownshipsCommunity = UnitCode.of("410105002001");
            assertThatThrownBy(() -> CaseStateMachine.decide(r,
                    new Command(CaseAction.DISPATCH, null, otherTownshipsCommunity, "t", null), NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("is not a child unit");
        }

        @Test
        void dispatchStartsANewClockAndSendsTheCaseDown() {
            CaseRecord r = Cases.townshipRecord(CaseStatus.ACCEPTED);
            CaseChange change = CaseStateMachine.decide(r,
                    new Command(CaseAction.DISPATCH, "please clear it", COMMUNITY, "t", NOW.plus(Duration.ofHours(48))), NOW);
            assertThat(change.record().dueAt()).isEqualTo(NOW.plus(Duration.ofHours(48)));
            assertThat(change.record().dispatchedTo()).isEqualTo(COMMUNITY);
            assertThat(change.messages()).singleElement().isInstanceOfSatisfying(Outgoing.Dispatch.class, d -> {
                assertThat(d.to()).isEqualTo(COMMUNITY);
                assertThat(d.instructions()).isEqualTo("please clear it");
            });
        }
    }

    @Nested
    class Clocks {

        @Test
        void aDispatchedRecordsClocksStartAtTheDispatchNotAtTheReceipt() {
            Instant dispatchedAt = NOW.minus(Duration.ofHours(5));
            Instant acceptBy = dispatchedAt.plus(Duration.ofHours(2));
            Instant handleBy = dispatchedAt.plus(Duration.ofHours(48));
            CaseChange change = CaseStateMachine.receiveDispatch(java.util.Optional.empty(), java.util.UUID.randomUUID(),
                    COMMUNITY, TOWNSHIP, Cases.details(), dispatchedAt, acceptBy, handleBy, "clear it", NOW);
            CaseRecord r = change.record();
            assertThat(r.clockFrom()).isEqualTo(dispatchedAt);
            assertThat(r.runningClock()).isEqualTo(CaseRecord.RunningClock.ACCEPTANCE);
            assertThat(r.stageDueAt()).isEqualTo(acceptBy);
            assertThat(r.overdueAt(NOW)).as("not signed for within 2 hours of the dispatch").isTrue();
            // signing for it late does not restart anything: the handling clock has run since the dispatch
            CaseRecord accepted = CaseStateMachine.decide(r, cmd(CaseAction.ACCEPT, null), NOW).record();
            assertThat(accepted.runningClock()).isEqualTo(CaseRecord.RunningClock.HANDLING);
            assertThat(accepted.stageDueAt()).isEqualTo(handleBy);
            assertThat(accepted.clockFrom()).isEqualTo(dispatchedAt);
        }

        @Test
        void anEscalationStartsTheReceivingUnitsOwnClocks() {
            Instant acceptBy = NOW.plus(Duration.ofHours(2));
            Instant handleBy = NOW.plus(Duration.ofDays(2));
            CaseRecord r = CaseStateMachine.receiveEscalation(java.util.Optional.empty(), java.util.UUID.randomUUID(),
                    TOWNSHIP, COMMUNITY, Cases.details(), acceptBy, handleBy, NOW).record();
            assertThat(r.clockFrom()).isEqualTo(NOW);
            assertThat(r.acceptDueAt()).isEqualTo(acceptBy);
            assertThat(r.dueAt()).isEqualTo(handleBy);
        }

        @Test
        void noClockRunsWhileTheRecordWaitsOnAnotherUnitOrIsFinished() {
            for (CaseStatus status : List.of(CaseStatus.ESCALATED, CaseStatus.VERIFIED, CaseStatus.CLOSED,
                    CaseStatus.REJECTED)) {
                CaseRecord r = Cases.townshipRecord(status);
                assertThat(r.runningClock()).as("%s", status).isEqualTo(CaseRecord.RunningClock.NONE);
                assertThat(r.overdueAt(NOW.plus(Duration.ofDays(365)))).isFalse();
            }
            assertThat(Cases.townshipRecord(CaseStatus.DISPATCHED).runningClock())
                    .as("a unit that dispatched stays answerable for the deadline").isEqualTo(CaseRecord.RunningClock.HANDLING);
            CaseRecord resolvedBelow = at(COMMUNITY, CaseStatus.RESOLVED, Origin.DISPATCH, null, null, TOWNSHIP, null);
            assertThat(resolvedBelow.runningClock()).as("the township that dispatched it verifies the outcome")
                    .isEqualTo(CaseRecord.RunningClock.NONE);
        }

        @Test
        void aUnitThatResolvesItsOwnCaseHasTheVerificationLimitToVerifyIt() {
            Instant verifyBy = NOW.plus(Duration.ofDays(1));
            CaseRecord working = at(TOWNSHIP, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            CaseRecord resolved = CaseStateMachine.decide(working, new Command(CaseAction.RESOLVE, "cleared", null,
                    "officer-1", null, null, null, null, null, null, verifyBy), NOW).record();
            assertThat(resolved.runningClock()).isEqualTo(CaseRecord.RunningClock.VERIFICATION);
            assertThat(resolved.verifyFrom()).isEqualTo(NOW);
            assertThat(resolved.stageDueAt()).isEqualTo(verifyBy);
            assertThat(resolved.overdueAt(verifyBy)).isFalse();
            assertThat(resolved.overdueAt(verifyBy.plusSeconds(1))).as("not verified in time").isTrue();
            // verifying it or sending it back stops the clock; the rework runs the handling clock again
            CaseRecord verified = CaseStateMachine.decide(resolved, cmd(CaseAction.VERIFY, null), NOW).record();
            assertThat(verified.runningClock()).isEqualTo(CaseRecord.RunningClock.NONE);
            assertThat(verified.overdueAt(verifyBy.plusSeconds(1))).isFalse();
            CaseRecord rework = CaseStateMachine.decide(resolved, cmd(CaseAction.REWORK, "not clean"), NOW).record();
            assertThat(rework.runningClock()).isEqualTo(CaseRecord.RunningClock.HANDLING);
        }

        @Test
        void aUnitThatResolvesACaseDispatchedToItLeavesTheVerificationToTheDispatcher() {
            Instant verifyBy = NOW.plus(Duration.ofDays(1));
            CaseRecord child = at(COMMUNITY, CaseStatus.IN_PROGRESS, Origin.DISPATCH, null, null, TOWNSHIP, null);
            CaseChange resolved = CaseStateMachine.decide(child, new Command(CaseAction.RESOLVE, "cleared", null,
                    "worker-1", null, null, null, null, null, null, verifyBy), NOW);
            assertThat(resolved.record().runningClock()).isEqualTo(CaseRecord.RunningClock.NONE);
            assertThat(resolved.record().verifyDueAt()).isNull();
            // the dispatcher's record learns of it, and its verification clock starts then
            Instant later = NOW.plusSeconds(30);
            Instant parentVerifyBy = later.plus(Duration.ofDays(2));
            CaseRecord parent = Cases.townshipRecord(CaseStatus.DISPATCHED);
            parent = new CaseRecord(child.caseId(), parent.unit(), parent.status(), parent.origin(), parent.details(),
                    null, null, null, COMMUNITY, null, parent.dueAt(), T0, T0);
            CaseRecord atParent = CaseStateMachine.receiveProgress(parent, COMMUNITY, resolved.entries().get(0),
                    "cleared", true, null, parentVerifyBy, later).record();
            assertThat(atParent.status()).isEqualTo(CaseStatus.RESOLVED);
            assertThat(atParent.runningClock()).isEqualTo(CaseRecord.RunningClock.VERIFICATION);
            assertThat(atParent.verifyFrom()).isEqualTo(later);
            assertThat(atParent.stageDueAt()).isEqualTo(parentVerifyBy);
        }

        @Test
        void onlyTheChildsOwnResolutionReachingItsDispatcherStartsTheVerificationClock() {
            CaseRecord parent = Cases.townshipRecord(CaseStatus.DISPATCHED); // dispatched to COMMUNITY
            TimelineEntry resolve = TimelineEntry.of(NOW, COMMUNITY, "worker-1", "RESOLVE", CaseStatus.IN_PROGRESS,
                    CaseStatus.RESOLVED, "cleared");
            assertThat(CaseStateMachine.childResolved(parent, COMMUNITY, resolve)).isTrue();
            assertThat(CaseStateMachine.childResolved(parent, COMMUNITY, TimelineEntry.of(NOW, COMMUNITY, "worker-1",
                    "START", CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, null))).as("not a resolution").isFalse();
            assertThat(CaseStateMachine.childResolved(parent, SIBLING_COMMUNITY, resolve)).as("not via the child")
                    .isFalse();
            assertThat(CaseStateMachine.childResolved(Cases.townshipRecord(CaseStatus.RESOLVED), COMMUNITY, resolve))
                    .as("resolved already").isFalse();
            CaseChange ignored = CaseStateMachine.receiveProgress(parent, COMMUNITY, TimelineEntry.of(NOW, COMMUNITY,
                    "worker-1", "START", CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, null), null, true, null,
                    NOW.plus(Duration.ofDays(1)), NOW);
            assertThat(ignored.record().verifyDueAt()).isNull();
        }
    }

    @Nested
    class FollowingOtherUnits {

        @Test
        void anEscalationCreatesARecordAtTheParentAndTellsTheChild() {
            UUID id = UUID.randomUUID();
            CaseChange change = CaseStateMachine.receiveEscalation(Optional.empty(), id, TOWNSHIP, COMMUNITY,
                    Cases.details(), null, NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.REPORTED);
            assertThat(change.record().origin()).isEqualTo(Origin.ESCALATION);
            assertThat(change.record().escalatedFrom()).isEqualTo(COMMUNITY);
            assertThat(change.messages()).singleElement().isInstanceOfSatisfying(Outgoing.Progress.class,
                    p -> assertThat(p.to()).isEqualTo(COMMUNITY));
        }

        @Test
        void aDispatchBackToAnEscalatedRecordMakesItThisUnitsToHandle() {
            CaseRecord escalated = at(DISTRICT, CaseStatus.ESCALATED, Origin.ESCALATION, TOWNSHIP, CITY, null, null);
            CaseChange change = CaseStateMachine.receiveDispatch(Optional.of(escalated), escalated.caseId(), DISTRICT,
                    CITY, Cases.details(), NOW.plusSeconds(100), "handle it", NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.REPORTED);
            assertThat(change.record().dispatchedBy()).isEqualTo(CITY);
            assertThat(change.record().escalatedFrom()).isEqualTo(TOWNSHIP);
            assertThat(CaseStateMachine.allowedActions(change.record())).containsExactlyInAnyOrder(CaseAction.ACCEPT,
                    CaseAction.RECATEGORISE, CaseAction.RETURN_REQUEST);
        }

        @Test
        void aChildsResolutionResolvesTheDispatcherAndIsPassedOn() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.ESCALATION, COMMUNITY, null, DISTRICT, SIBLING_COMMUNITY);
            TimelineEntry resolved = TimelineEntry.of(NOW, SIBLING_COMMUNITY, "w", "RESOLVE", CaseStatus.IN_PROGRESS,
                    CaseStatus.RESOLVED, "cleared");
            CaseChange change = CaseStateMachine.receiveProgress(r, SIBLING_COMMUNITY, resolved, "cleared", true, NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.RESOLVED);
            assertThat(change.record().resolution()).isEqualTo("cleared");
            assertThat(change.entries()).extracting(TimelineEntry::action).containsExactly("RESOLVE", "CHILD_RESOLVED");
            // the child's entry goes on to the other neighbours, the own entry to all of them
            assertThat(change.messages()).filteredOn(m -> m.entry().equals(resolved)).extracting(Outgoing::to)
                    .containsExactlyInAnyOrder(DISTRICT, COMMUNITY);
            assertThat(change.messages()).filteredOn(m -> m.entry().action().equals("CHILD_RESOLVED"))
                    .extracting(Outgoing::to).containsExactlyInAnyOrder(DISTRICT, COMMUNITY, SIBLING_COMMUNITY);
        }

        @Test
        void aRelayedResolutionDoesNotResolveTheDispatcher() {
            CaseRecord r = at(DISTRICT, CaseStatus.DISPATCHED, Origin.ESCALATION, TOWNSHIP, null, null, TOWNSHIP);
            TimelineEntry deeper = TimelineEntry.of(NOW, COMMUNITY, "w", "RESOLVE", CaseStatus.IN_PROGRESS,
                    CaseStatus.RESOLVED, "cleared");
            CaseChange change = CaseStateMachine.receiveProgress(r, TOWNSHIP, deeper, "cleared", true, NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.DISPATCHED);
            assertThat(change.entries()).containsExactly(deeper);
        }

        @Test
        void reworkFromTheDispatcherReopensTheHandlerAndPassesThroughMiddleDispatchers() {
            TimelineEntry rework = TimelineEntry.of(NOW, DISTRICT, "s", "REWORK", CaseStatus.RESOLVED,
                    CaseStatus.DISPATCHED, "not clean");
            CaseRecord middle = at(TOWNSHIP, CaseStatus.VERIFIED, Origin.DISPATCH, null, null, DISTRICT, COMMUNITY);
            CaseChange m = CaseStateMachine.receiveProgress(middle, DISTRICT, rework, null, true, NOW);
            assertThat(m.record().status()).isEqualTo(CaseStatus.DISPATCHED);
            assertThat(m.messages()).anySatisfy(o -> {
                assertThat(o.to()).isEqualTo(COMMUNITY);
                assertThat(o.entry().action()).isEqualTo("REWORK");
                assertThat(o.entry().unit()).isEqualTo(TOWNSHIP);
            });
            CaseRecord handler = at(COMMUNITY, CaseStatus.RESOLVED, Origin.DISPATCH, null, null, TOWNSHIP, null);
            TimelineEntry fromTownship = m.entries().get(1);
            CaseChange h = CaseStateMachine.receiveProgress(handler, TOWNSHIP, fromTownship, null, true, NOW);
            assertThat(h.record().status()).isEqualTo(CaseStatus.REWORK);
        }

        @Test
        void aCloseAnywhereClosesEveryRecordAndAReturnReopensTheChild() {
            CaseRecord escalated = at(COMMUNITY, CaseStatus.ESCALATED, Origin.INTAKE, null, TOWNSHIP, null, null);
            TimelineEntry close = TimelineEntry.of(NOW, TOWNSHIP, "s", "CLOSE", CaseStatus.VERIFIED, CaseStatus.CLOSED, null);
            assertThat(CaseStateMachine.receiveProgress(escalated, TOWNSHIP, close, "done", true, NOW).record().status())
                    .isEqualTo(CaseStatus.CLOSED);
            CaseChange returned = CaseStateMachine.receiveReturn(escalated, TOWNSHIP, "yours", NOW);
            assertThat(returned.record().status()).isEqualTo(CaseStatus.RETURNED);
            assertThat(returned.record().escalatedTo()).isNull();
            assertThat(CaseStateMachine.allowedActions(returned.record()))
                    .containsExactlyInAnyOrder(CaseAction.START, CaseAction.ESCALATE, CaseAction.DISPATCH,
                            CaseAction.RECATEGORISE, CaseAction.EXTEND_REQUEST, CaseAction.PARK_REQUEST);
        }

        @Test
        void anEntrySeenBeforeChangesNothingAndIsNotPassedOn() {
            CaseRecord r = at(TOWNSHIP, CaseStatus.DISPATCHED, Origin.INTAKE, null, null, null, COMMUNITY);
            TimelineEntry resolved = TimelineEntry.of(NOW, COMMUNITY, "w", "RESOLVE", CaseStatus.IN_PROGRESS,
                    CaseStatus.RESOLVED, "x");
            CaseChange change = CaseStateMachine.receiveProgress(r, COMMUNITY, resolved, "x", false, NOW);
            assertThat(change.record()).isEqualTo(r);
            assertThat(change.messages()).isEmpty();
        }
    }

    private static Command cmd(CaseAction action, String note) {
        return new Command(action, note, null, "tester", null);
    }
}
