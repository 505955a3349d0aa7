package org.gridlink.kernel.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.kernel.cases.Cases.COMMUNITY;
import static org.gridlink.kernel.cases.Cases.T0;
import static org.gridlink.kernel.cases.Cases.TOWNSHIP;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.Test;

/**
 * A unit's to-do says what the state machine lets the unit's people do next: every status, in every shape a record
 * takes (escalated here or found here, dispatched here or on to a child or an officer, a request waiting here or above,
 * parked or not), against {@link CaseStateMachine#allowedActions}.
 */
class TaskTest {

    static final Instant NOW = T0.plus(Duration.ofDays(2));

    @Test
    void eachTaskIsWhatTheStateMachineLetsTheUnitDoNext() {
        List<CaseRecord> records = everyShape();
        assertThat(records).hasSizeGreaterThan(1000);
        for (CaseRecord r : records) {
            Set<Task> tasks = Task.of(r, NOW);
            Set<CaseAction> allowed = CaseStateMachine.allowedActions(r);
            boolean parked = r.accountability().parkedUntil() != null && r.accountability().parkedUntil().isAfter(NOW);
            String what = r.status() + " " + r + " -> " + tasks + ", allowed " + allowed;

            assertThat(tasks.contains(Task.DECIDE)).as(what).isEqualTo(allowed.contains(CaseAction.APPROVE));
            Set<Task> work = EnumSet.copyOf(tasks);
            work.remove(Task.DECIDE);
            assertThat(work).as("at most one task besides a decision: " + what).hasSizeLessThanOrEqualTo(1);
            if (parked) {
                assertThat(work).as("a parked record waits on nothing but a decision: " + what).isEmpty();
                continue;
            }
            assertThat(tasks.contains(Task.ACCEPT) || tasks.contains(Task.SIGN)).as(what)
                    .isEqualTo(allowed.contains(CaseAction.ACCEPT));
            assertThat(tasks.contains(Task.SIGN)).as(what)
                    .isEqualTo(allowed.contains(CaseAction.ACCEPT) && r.status() == CaseStatus.DISPATCHED);
            assertThat(tasks.contains(Task.HANDLE)).as(what)
                    .isEqualTo(allowed.contains(CaseAction.START) || allowed.contains(CaseAction.RESOLVE));
            assertThat(tasks.contains(Task.VERIFY)).as(what).isEqualTo(allowed.contains(CaseAction.VERIFY));
            assertThat(tasks.contains(Task.CLOSE)).as(what).isEqualTo(allowed.contains(CaseAction.CLOSE));
        }
    }

    @Test
    void aRecordThatWaitsOnAnotherUnitOrIsFinishedWaitsOnNoTaskHere() {
        for (CaseRecord r : everyShape()) {
            boolean elsewhere = r.status() == CaseStatus.ESCALATED
                    || (r.status() == CaseStatus.DISPATCHED && r.assignee() == null)
                    || (r.status() == CaseStatus.RESOLVED && !r.ownsOutcome())
                    || (r.status() == CaseStatus.VERIFIED && r.dispatchedBy() != null);
            if (elsewhere) {
                assertThat(Task.of(r, NOW)).as(r.toString()).isSubsetOf(Task.DECIDE);
            }
            if (r.status().isTerminal()) {
                assertThat(Task.of(r, NOW)).as(r.toString()).isEmpty();
            }
        }
    }

    @Test
    void aParkedRecordIsBackOnTheListOnItsReviewDate() {
        Accountability parked = Accountability.NONE.parkedUntil(NOW);
        CaseRecord r = record(CaseStatus.IN_PROGRESS, null, null, parked);
        assertThat(Task.of(r, NOW.minusSeconds(1))).isEmpty();
        assertThat(Task.of(r, NOW)).containsExactly(Task.HANDLE);
    }

    @Test
    void aSupervisedRecordCountsWhileItWaitsOnTheUnitsPeople() {
        Accountability supervised = Accountability.NONE.supervised(false);
        assertThat(Task.supervised(record(CaseStatus.IN_PROGRESS, null, null, supervised), NOW)).isTrue();
        assertThat(Task.supervised(record(CaseStatus.REPORTED, null, null, supervised), NOW)).isTrue();
        assertThat(Task.supervised(record(CaseStatus.IN_PROGRESS, null, null, Accountability.NONE), NOW)).isFalse();
        // handed on since (escalated, dispatched to a child), or finished: not the unit's to do any more
        assertThat(Task.supervised(record(CaseStatus.ESCALATED, null, null, supervised), NOW)).isFalse();
        assertThat(Task.supervised(record(CaseStatus.DISPATCHED, null, Cases.COMMUNITY, supervised), NOW)).isFalse();
        assertThat(Task.supervised(record(CaseStatus.CLOSED, null, null, supervised), NOW)).isFalse();
    }

    @Test
    void aQueryNamesATaskInAnyCase() {
        assertThat(Task.parse(" handle ")).contains(Task.HANDLE);
        assertThat(Task.parse("DECIDE")).contains(Task.DECIDE);
        assertThat(Task.parse("nothing")).isEmpty();
        assertThat(Task.values()).extracting(Task::displayName)
                .containsExactly("待受理", "待签收", "待处置", "待核查", "待结案", "待审批");
    }

    /** Records of the township in every status and shape. */
    private static List<CaseRecord> everyShape() {
        List<CaseRecord> records = new ArrayList<>();
        UnitCode[] dispatchedBy = {null, UnitCode.of("410105000000")};
        UnitCode[] dispatchedTo = {null, COMMUNITY};
        String[] assignees = {null, "officer.1"};
        for (CaseStatus status : CaseStatus.values()) {
            for (Origin origin : Origin.values()) {
                for (UnitCode by : dispatchedBy) {
                    for (UnitCode to : dispatchedTo) {
                        for (String assignee : assignees) {
                            for (PendingRequest pending : pendings()) {
                                for (Instant parkedUntil : new Instant[] {null, NOW.minusSeconds(60),
                                        NOW.plusSeconds(3600)}) {
                                    Accountability acc = new Accountability(assignee, pending, 0, 0, 0, 0, false,
                                            parkedUntil);
                                    records.add(new CaseRecord(UUID.randomUUID(), TOWNSHIP, status, origin,
                                            Cases.details(), origin == Origin.ESCALATION ? COMMUNITY : null,
                                            status == CaseStatus.ESCALATED ? UnitCode.of("410105000000") : null, by,
                                            to, null, T0.plusSeconds(3600), T0, T0, T0, null, acc));
                                }
                            }
                        }
                    }
                }
            }
        }
        return records;
    }

    private static List<PendingRequest> pendings() {
        List<PendingRequest> pendings = new ArrayList<>();
        pendings.add(null);
        for (UnitCode decider : new UnitCode[] {TOWNSHIP, UnitCode.of("410105000000")}) {
            pendings.add(new PendingRequest(PendingRequest.Kind.EXTENSION, TOWNSHIP, decider, "handler", null, "more time",
                    NOW.plus(Duration.ofDays(3)), T0));
        }
        return pendings;
    }

    private static CaseRecord record(CaseStatus status, UnitCode by, UnitCode to, Accountability acc) {
        return new CaseRecord(UUID.randomUUID(), TOWNSHIP, status, Origin.INTAKE, Cases.details(), null, null, by, to,
                null, T0.plusSeconds(3600), T0, T0, T0, null, acc);
    }
}
