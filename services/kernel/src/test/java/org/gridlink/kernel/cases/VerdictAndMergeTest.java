package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridlink.kernel.cases.Cases.COMMUNITY;
import static org.gridlink.kernel.cases.Cases.SIBLING_COMMUNITY;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;
import static org.gridlink.kernel.cases.Cases.at;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's additions to the state machine: the reporter's verdict (回访) and the reopen it travels along the chain,
 * and merging a duplicate into the surviving case.
 */
class VerdictAndMergeTest {

    static final Instant CLOSED_AT = T0.plus(Duration.ofHours(5));
    static final Instant NOW = CLOSED_AT.plus(Duration.ofDays(1));
    static final Duration WINDOW = Duration.ofDays(7);
    static final Instant DUE = NOW.plus(Duration.ofDays(3));

    /** The history every unit holds: reported at the community, escalated, dispatched sideways, resolved there, closed. */
    static List<TimelineEntry> history(UnitCode holder) {
        return List.of(
                entry(T0, COMMUNITY, "worker", "REPORT", null, CaseStatus.REPORTED),
                entry(T0.plusSeconds(60), COMMUNITY, "worker", "ESCALATE", CaseStatus.ACCEPTED, CaseStatus.ESCALATED),
                entry(T0.plusSeconds(120), TOWNSHIP, "h", "DISPATCH", CaseStatus.ACCEPTED, CaseStatus.DISPATCHED),
                entry(T0.plusSeconds(180), SIBLING_COMMUNITY, "h2", "RESOLVE", CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED),
                entry(T0.plusSeconds(200), TOWNSHIP, TimelineEntry.SYSTEM, "CHILD_RESOLVED", CaseStatus.DISPATCHED,
                        CaseStatus.RESOLVED),
                entry(CLOSED_AT.minusSeconds(1), TOWNSHIP, "s", "CLOSE", CaseStatus.VERIFIED, CaseStatus.CLOSED),
                entry(CLOSED_AT, holder, TimelineEntry.SYSTEM, "CLOSED", CaseStatus.ESCALATED, CaseStatus.CLOSED));
    }

    static TimelineEntry entry(Instant at, UnitCode unit, String actor, String action, CaseStatus from, CaseStatus to) {
        return TimelineEntry.of(at, unit, actor, action, from, to, null);
    }

    static CaseRecord originClosed() {
        return at(COMMUNITY, CaseStatus.CLOSED, Origin.INTAKE, null, TOWNSHIP, null, null);
    }

    @Nested
    class TheVerdict {

        @Test
        void theRoundNamesTheResolvingUnitAndTheClose() {
            HandlingRound round = HandlingRound.of(COMMUNITY, history(COMMUNITY));
            assertThat(round.resolver()).isEqualTo(SIBLING_COMMUNITY);
            assertThat(round.closedAt()).isEqualTo(CLOSED_AT);
            assertThat(round.verdict()).isNull();
        }

        @Test
        void satisfiedIsRecordedAndTravelsTheChainWithoutMovingAnything() {
            CaseRecord r = originClosed();
            CaseChange change = CaseStateMachine.giveVerdict(r, "citizen.1", Verdict.SATISFIED, null,
                    HandlingRound.of(COMMUNITY, history(COMMUNITY)), WINDOW, DUE, NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.CLOSED);
            assertThat(change.entries()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("VERDICT_SATISFIED");
                assertThat(e.actor()).isEqualTo("citizen.1");
            });
            assertThat(change.messages()).extracting(Outgoing::to).containsExactly(TOWNSHIP);
        }

        @Test
        void notFixedSendsTheOriginBackToWaitingAndTheReopenTravelsToTheResolver() {
            CaseRecord origin = originClosed();
            CaseChange atOrigin = CaseStateMachine.giveVerdict(origin, "citizen.1", Verdict.NOT_FIXED, "still there",
                    HandlingRound.of(COMMUNITY, history(COMMUNITY)), WINDOW, DUE, NOW);
            assertThat(atOrigin.record().status()).isEqualTo(CaseStatus.ESCALATED);
            TimelineEntry verdict = atOrigin.entries().get(0);
            assertThat(verdict.action()).isEqualTo("VERDICT_NOT_FIXED");
            assertThat(verdict.note()).contains("still there", SIBLING_COMMUNITY.value());

            // the township dispatched it sideways: it waits on that community again
            CaseRecord township = at(TOWNSHIP, CaseStatus.CLOSED, Origin.ESCALATION, COMMUNITY, null, null,
                    SIBLING_COMMUNITY);
            CaseStateMachine.Reopening reopening = new CaseStateMachine.Reopening(SIBLING_COMMUNITY, DUE);
            CaseChange atTownship = CaseStateMachine.receiveProgress(township, COMMUNITY, verdict, null, true,
                    reopening, NOW);
            assertThat(atTownship.record().status()).isEqualTo(CaseStatus.DISPATCHED);
            assertThat(atTownship.record().dueAt()).isEqualTo(DUE);
            assertThat(atTownship.entries()).extracting(TimelineEntry::action).containsExactly("VERDICT_NOT_FIXED",
                    CaseStateMachine.REOPENED);
            assertThat(atTownship.messages()).filteredOn(m -> m.entry() == verdict).extracting(Outgoing::to)
                    .containsExactly(SIBLING_COMMUNITY);

            // the resolver gets it back with a new handling clock, starts, and its RESOLVE resolves the township again
            CaseRecord resolver = at(SIBLING_COMMUNITY, CaseStatus.CLOSED, Origin.DISPATCH, null, null, TOWNSHIP, null);
            CaseChange reopened = CaseStateMachine.receiveProgress(resolver, TOWNSHIP, verdict, null, true, reopening, NOW);
            assertThat(reopened.record().status()).isEqualTo(CaseStatus.REOPENED);
            assertThat(reopened.record().dueAt()).isEqualTo(DUE);
            assertThat(reopened.record().runningClock()).isEqualTo(CaseRecord.RunningClock.HANDLING);
            assertThat(reopened.entries()).extracting(TimelineEntry::action).containsExactly("VERDICT_NOT_FIXED",
                    CaseStateMachine.REOPEN);
            assertThat(CaseStateMachine.allowedActions(reopened.record())).contains(CaseAction.START);
            CaseRecord started = CaseStateMachine.decide(reopened.record(),
                    new Command(CaseAction.START, null, null, "h2", null), NOW).record();
            CaseChange resolved = CaseStateMachine.decide(started, new Command(CaseAction.RESOLVE, "cleared for good",
                    null, "h2", null), NOW);
            CaseChange childResolved = CaseStateMachine.receiveProgress(atTownship.record(), SIBLING_COMMUNITY,
                    resolved.entries().get(0), "cleared for good", true, NOW);
            assertThat(childResolved.record().status()).isEqualTo(CaseStatus.RESOLVED);
        }

        @Test
        void theOriginThatResolvedItselfReopensAtOnce() {
            CaseRecord r = at(COMMUNITY, CaseStatus.CLOSED, Origin.INTAKE, null, null, null, null);
            List<TimelineEntry> own = List.of(entry(T0, COMMUNITY, "w", "REPORT", null, CaseStatus.REPORTED),
                    entry(T0.plusSeconds(60), COMMUNITY, "w", "RESOLVE", CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED),
                    entry(CLOSED_AT, COMMUNITY, "s", "CLOSE", CaseStatus.VERIFIED, CaseStatus.CLOSED));
            CaseChange change = CaseStateMachine.giveVerdict(r, "handler", Verdict.NOT_FIXED, "no", HandlingRound.of(
                    COMMUNITY, own), WINDOW, DUE, NOW);
            assertThat(change.record().status()).isEqualTo(CaseStatus.REOPENED);
            assertThat(change.entries()).extracting(TimelineEntry::action).containsExactly("VERDICT_NOT_FIXED", "REOPEN");
        }

        @Test
        void aRecordThatDidNotReceiveTheReopenInformationIsLeftAlone() {
            CaseRecord township = at(TOWNSHIP, CaseStatus.CLOSED, Origin.ESCALATION, COMMUNITY, null, null,
                    SIBLING_COMMUNITY);
            TimelineEntry verdict = entry(NOW, COMMUNITY, "c", "VERDICT_NOT_FIXED", CaseStatus.CLOSED, CaseStatus.ESCALATED);
            assertThat(CaseStateMachine.receiveProgress(township, COMMUNITY, verdict, null, true, NOW).record().status())
                    .isEqualTo(CaseStatus.CLOSED);
            assertThat(CaseStateMachine.receiveProgress(township, COMMUNITY, verdict, null, false,
                    new CaseStateMachine.Reopening(SIBLING_COMMUNITY, DUE), NOW).record().status())
                    .isEqualTo(CaseStatus.CLOSED);
        }

        @Test
        void refusalsSayWhy() {
            HandlingRound round = HandlingRound.of(COMMUNITY, history(COMMUNITY));
            CaseRecord open = at(COMMUNITY, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(open, "c", Verdict.SATISFIED, null, round, WINDOW,
                    DUE, NOW)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("cannot VERDICT a case that is IN_PROGRESS")
                    .hasMessageContaining("after the case is CLOSED");
            CaseRecord township = at(TOWNSHIP, CaseStatus.CLOSED, Origin.ESCALATION, COMMUNITY, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(township, "c", Verdict.SATISFIED, null, round,
                    WINDOW, DUE, NOW)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("where the case was reported");
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(originClosed(), "c", Verdict.NOT_FIXED, " ", round,
                    WINDOW, DUE, NOW)).isInstanceOfSatisfying(InvalidCommandException.class,
                    e -> assertThat(e.field()).isEqualTo("note"));
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(originClosed(), "c", null, null, round,
                    WINDOW, DUE, NOW)).isInstanceOfSatisfying(InvalidCommandException.class,
                    e -> assertThat(e.field()).isEqualTo("verdict"));
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(originClosed(), "c", Verdict.SATISFIED, null, round,
                    WINDOW, DUE, CLOSED_AT.plus(WINDOW).plusSeconds(1))).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("time for a verdict").hasMessageContaining("ended at");
        }

        @Test
        void oneVerdictPerCloseAndANewCloseTakesANewOne() {
            TimelineEntry satisfied = entry(NOW, COMMUNITY, "c", "VERDICT_SATISFIED", CaseStatus.CLOSED, CaseStatus.CLOSED);
            List<TimelineEntry> judged = new java.util.ArrayList<>(history(COMMUNITY));
            judged.add(satisfied);
            HandlingRound round = HandlingRound.of(COMMUNITY, judged);
            assertThat(round.verdict()).isEqualTo(satisfied);
            assertThatThrownBy(() -> CaseStateMachine.giveVerdict(originClosed(), "c", Verdict.SATISFIED, null, round,
                    WINDOW, DUE, NOW.plusSeconds(5))).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("given already");
            judged.add(entry(NOW.plusSeconds(60), COMMUNITY, "system", "CLOSED", CaseStatus.ESCALATED, CaseStatus.CLOSED));
            assertThat(HandlingRound.of(COMMUNITY, judged).verdict()).isNull();
        }
    }

    @Nested
    class Merging {

        @Test
        void theMergedRecordClosesNamingTheSurvivorAndBothTimelinesSaySo() {
            CaseRecord survivor = at(COMMUNITY, CaseStatus.IN_PROGRESS, Origin.INTAKE, null, null, null, null);
            CaseRecord merged = at(COMMUNITY, CaseStatus.REPORTED, Origin.INTAKE, null, null, null, null);
            CaseStateMachine.Merge m = CaseStateMachine.merge(merged, survivor, "handler", "same sofa", NOW);
            assertThat(m.merged().record().status()).isEqualTo(CaseStatus.CLOSED);
            assertThat(m.merged().record().resolution()).isEqualTo("merged into case " + survivor.caseId());
            assertThat(m.merged().entries()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("MERGE");
                assertThat(e.note()).contains(survivor.caseId().toString(), "same sofa");
            });
            assertThat(m.survivor().record().status()).isEqualTo(CaseStatus.IN_PROGRESS);
            assertThat(m.survivor().entries()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo(CaseStateMachine.MERGED_IN);
                assertThat(e.note()).contains(merged.caseId().toString(), "worker-1 follows");
            });
        }

        @Test
        void aMergeClosesTheRecordsThatWaitOnTheMergedOne() {
            CaseRecord child = at(COMMUNITY, CaseStatus.ESCALATED, Origin.INTAKE, null, TOWNSHIP, null, null);
            TimelineEntry merge = entry(NOW, TOWNSHIP, "h", "MERGE", CaseStatus.REPORTED, CaseStatus.CLOSED);
            CaseChange c = CaseStateMachine.receiveProgress(child, TOWNSHIP, merge, "merged into case x", true, NOW);
            assertThat(c.record().status()).isEqualTo(CaseStatus.CLOSED);
            assertThat(c.record().resolution()).isEqualTo("merged into case x");
        }

        @Test
        void onlyAnOpenCaseOfTheSameUnitAndCategoryTakesADuplicate() {
            CaseRecord merged = at(COMMUNITY, CaseStatus.REPORTED, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.merge(merged, merged, "h", null, NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("itself");
            CaseRecord closed = at(COMMUNITY, CaseStatus.CLOSED, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.merge(merged, closed, "h", null, NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("is CLOSED");
            CaseRecord elsewhere = at(SIBLING_COMMUNITY, CaseStatus.REPORTED, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.merge(merged, elsewhere, "h", null, NOW))
                    .isInstanceOf(InvalidCommandException.class).hasMessageContaining("same unit");
            CaseDetails d = merged.details();
            CaseRecord noise = at(COMMUNITY, CaseStatus.REPORTED, Origin.INTAKE, null, null, null, null)
                    .withDetails(new CaseDetails("NOISE", d.title(), d.description(), d.location(), d.gridCode(),
                            d.source(), d.reporter(), d.reportedAt()));
            assertThatThrownBy(() -> CaseStateMachine.merge(merged, noise, "h", null, NOW))
                    .isInstanceOfSatisfying(InvalidCommandException.class, e -> assertThat(e.field()).isEqualTo("into"))
                    .hasMessageContaining("category NOISE");
            CaseRecord escalated = at(COMMUNITY, CaseStatus.ESCALATED, Origin.INTAKE, null, TOWNSHIP, null, null);
            CaseRecord open = at(COMMUNITY, CaseStatus.REPORTED, Origin.INTAKE, null, null, null, null);
            assertThatThrownBy(() -> CaseStateMachine.merge(escalated, open, "h", null, NOW))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("cannot MERGE a case that is ESCALATED");
        }
    }
}
