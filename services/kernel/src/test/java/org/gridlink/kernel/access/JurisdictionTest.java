package org.gridlink.kernel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.Command;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JurisdictionTest {

    static final UnitCode CITY = UnitCode.of("410100000000");
    static final UnitCode DISTRICT = UnitCode.of("410105000000");
    static final UnitCode TOWNSHIP = UnitCode.of("410105001000");
    static final UnitCode COMMUNITY = UnitCode.of("410105001001");
    static final UnitCode SIBLING_COMMUNITY = UnitCode.of("410105001002");
    static final UnitCode OTHER_TOWNSHIP = UnitCode.of("410105002000");
    static final UnitCode OTHER_TOWNSHIPS_COMMUNITY = UnitCode.of("410105002001");

    static Person person(UnitCode unit, Role... roles) {
        return new Person("p", "P", unit, Set.of(roles), Set.of(), Set.of(), Set.of());
    }

    @Test
    void deadLettersAreForAnAdministratorOfTheUnitOrAbove() {
        assertThatCode(() -> Jurisdiction.checkDeadLetters(person(TOWNSHIP, Role.ADMIN), TOWNSHIP)).doesNotThrowAnyException();
        assertThatCode(() -> Jurisdiction.checkDeadLetters(person(CITY, Role.ADMIN), COMMUNITY)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Jurisdiction.checkDeadLetters(person(COMMUNITY, Role.ADMIN), TOWNSHIP))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("it takes an ADMIN of " + TOWNSHIP);
        assertThatThrownBy(() -> Jurisdiction.checkDeadLetters(person(OTHER_TOWNSHIP, Role.ADMIN), TOWNSHIP))
                .isInstanceOf(AccessRefusedException.class);
        for (Role role : EnumSet.complementOf(EnumSet.of(Role.ADMIN))) {
            assertThatThrownBy(() -> Jurisdiction.checkDeadLetters(person(CITY, role), TOWNSHIP))
                    .as(role.name()).isInstanceOf(AccessRefusedException.class);
        }
    }

    @Test
    void anOfficerIsMarkedAwayOrBackByASupervisorOfTheUnitAlone() {
        assertThatCode(() -> Jurisdiction.checkOfficerAbsence(person(TOWNSHIP, Role.SUPERVISOR), TOWNSHIP))
                .doesNotThrowAnyException();
        // not from above (the district's supervisor marks the district's own officers), nor a sibling's
        for (UnitCode unit : Set.of(DISTRICT, OTHER_TOWNSHIP, COMMUNITY)) {
            assertThatThrownBy(() -> Jurisdiction.checkOfficerAbsence(person(unit, Role.SUPERVISOR), TOWNSHIP))
                    .as(unit.value()).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("it takes a SUPERVISOR of the unit");
        }
        for (Role role : EnumSet.complementOf(EnumSet.of(Role.SUPERVISOR))) {
            assertThatThrownBy(() -> Jurisdiction.checkOfficerAbsence(person(TOWNSHIP, role), TOWNSHIP))
                    .as(role.name()).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("may not mark " + TOWNSHIP + "'s officers away or back");
        }
    }

    @Test
    void aGridWorkerPatrolsTheirOwnCellsAndTheirPatrolIsEndedByThemOrTheUnitsSupervisor() {
        Person worker = new Person("gw", "GW", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01"), Set.of(),
                Set.of());
        assertThatCode(() -> Jurisdiction.checkPatrol(worker, COMMUNITY, "410105001001-01")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Jurisdiction.checkPatrol(worker, COMMUNITY, "410105001001-02"))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("their own grid cells [410105001001-01]");
        assertThatThrownBy(() -> Jurisdiction.checkPatrol(worker, SIBLING_COMMUNITY, "410105001001-01"))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("their own unit");
        for (Role role : EnumSet.complementOf(EnumSet.of(Role.GRID_WORKER))) {
            Person other = new Person("x", "X", COMMUNITY, Set.of(role), Set.of("410105001001-01"), Set.of(), Set.of());
            assertThatThrownBy(() -> Jurisdiction.checkPatrol(other, COMMUNITY, "410105001001-01")).as(role.name())
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("GRID_WORKER");
        }

        assertThatCode(() -> Jurisdiction.checkEndPatrol(worker, COMMUNITY, "gw")).doesNotThrowAnyException();
        assertThatCode(() -> Jurisdiction.checkEndPatrol(person(COMMUNITY, Role.SUPERVISOR), COMMUNITY, "gw"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Jurisdiction.checkEndPatrol(person(TOWNSHIP, Role.SUPERVISOR), COMMUNITY, "gw"))
                .isInstanceOf(AccessRefusedException.class);
        assertThatThrownBy(() -> Jurisdiction.checkEndPatrol(person(COMMUNITY, Role.HANDLER), COMMUNITY, "gw"))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("a SUPERVISOR of " + COMMUNITY);
        Person anotherWorker = new Person("gw2", "GW2", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01"),
                Set.of(), Set.of());
        assertThatThrownBy(() -> Jurisdiction.checkEndPatrol(anotherWorker, COMMUNITY, "gw"))
                .isInstanceOf(AccessRefusedException.class);
    }

    static CaseRecord record(UnitCode unit, String grid, String reporter) {
        Instant now = Instant.parse("2026-11-29T08:00:00Z");
        return CaseRecord.intake(UUID.randomUUID(), unit,
                new CaseDetails("GARBAGE_PILE", "t", null, null, grid, "GRID_PATROL", reporter, now), now, now);
    }

    @Nested
    class Reading {

        @Test
        void aPersonReadsTheirUnitAndEverythingBelowItButNotSiblingsOrParents() {
            Person township = person(TOWNSHIP, Role.HANDLER);
            assertThat(Jurisdiction.mayRead(township, TOWNSHIP)).isTrue();
            assertThat(Jurisdiction.mayRead(township, COMMUNITY)).isTrue();
            assertThat(Jurisdiction.mayRead(township, OTHER_TOWNSHIP)).isFalse();
            assertThat(Jurisdiction.mayRead(township, OTHER_TOWNSHIPS_COMMUNITY)).isFalse();
            assertThat(Jurisdiction.mayRead(township, DISTRICT)).isFalse();
            assertThat(Jurisdiction.mayRead(person(CITY, Role.ADMIN), OTHER_TOWNSHIPS_COMMUNITY)).isTrue();
        }

        @Test
        void aLeaderAlsoReadsTheUnitsTheyContract() {
            Person leader = new Person("l", "L", DISTRICT, Set.of(Role.LEADER), Set.of(), Set.of(), Set.of(OTHER_TOWNSHIP));
            Person cityLeader = new Person("c", "C", CITY, Set.of(Role.LEADER), Set.of(), Set.of(), Set.of(DISTRICT));
            assertThat(Jurisdiction.mayRead(leader, OTHER_TOWNSHIPS_COMMUNITY)).isTrue();
            assertThat(Jurisdiction.mayRead(cityLeader, COMMUNITY)).isTrue();
            Person townshipLeader = new Person("t", "T", TOWNSHIP, Set.of(Role.LEADER), Set.of(), Set.of(), Set.of(COMMUNITY));
            assertThat(Jurisdiction.mayRead(townshipLeader, OTHER_TOWNSHIP)).isFalse();
        }

        @Test
        void unitDescriptionsAreVisibleUpTheChainButNotSideways() {
            Person community = person(COMMUNITY, Role.HANDLER);
            assertThatCode(() -> Jurisdiction.checkViewUnit(community, TOWNSHIP)).doesNotThrowAnyException();
            assertThatCode(() -> Jurisdiction.checkViewUnit(community, CITY)).doesNotThrowAnyException();
            assertThatThrownBy(() -> Jurisdiction.checkViewUnit(community, SIBLING_COMMUNITY))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining(SIBLING_COMMUNITY.value());
            assertThatThrownBy(() -> Jurisdiction.checkQueue(community, TOWNSHIP))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("outside their jurisdiction");
        }

        @Test
        void aCitizenSeesOnlyTheirOwnReportsAndNeverLearnsOfOthers() {
            Person citizen = new Person("citizen.1", "C", COMMUNITY, Set.of(Role.CITIZEN), Set.of(), Set.of(), Set.of());
            assertThat(Jurisdiction.visibility(citizen, record(COMMUNITY, null, "citizen.1")))
                    .isEqualTo(Jurisdiction.Visibility.VISIBLE);
            assertThat(Jurisdiction.visibility(citizen, record(COMMUNITY, null, "citizen.2")))
                    .isEqualTo(Jurisdiction.Visibility.HIDDEN);
            assertThatThrownBy(() -> Jurisdiction.checkQueue(citizen, COMMUNITY)).isInstanceOf(AccessRefusedException.class);
        }

        @Test
        void aCitizenListsTheirOwnReportsAndNoOneElses() {
            Person citizen = new Person("citizen.1", "C", COMMUNITY, Set.of(Role.CITIZEN), Set.of(), Set.of(), Set.of());
            Jurisdiction.checkQueue(citizen, COMMUNITY, "citizen.1");
            Jurisdiction.checkQueue(citizen, TOWNSHIP, "citizen.1"); // their case escalated: the township's copy is theirs
            assertThatThrownBy(() -> Jurisdiction.checkQueue(citizen, COMMUNITY, "citizen.2"))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("reporter=me");
            assertThatThrownBy(() -> Jurisdiction.checkQueue(citizen, COMMUNITY, null))
                    .isInstanceOf(AccessRefusedException.class);
            // staff narrowed to a reporter read as the queue: within their subtree only
            Jurisdiction.checkQueue(person(TOWNSHIP, Role.HANDLER), COMMUNITY, "citizen.1");
            assertThatThrownBy(() -> Jurisdiction.checkQueue(person(OTHER_TOWNSHIP, Role.HANDLER), COMMUNITY,
                    "citizen.1")).isInstanceOf(AccessRefusedException.class);
        }

        @Test
        void aRecordOutsideTheSubtreeIsRefusedNotHidden() {
            assertThat(Jurisdiction.visibility(person(OTHER_TOWNSHIP, Role.SUPERVISOR), record(COMMUNITY, null, "x")))
                    .isEqualTo(Jurisdiction.Visibility.REFUSED);
        }
    }

    @Nested
    class Reporting {

        @Test
        void reportersReportAtTheirOwnUnitOnly() {
            assertThatCode(() -> Jurisdiction.checkReport(person(COMMUNITY, Role.HANDLER), COMMUNITY, null))
                    .doesNotThrowAnyException();
            assertThatThrownBy(() -> Jurisdiction.checkReport(person(TOWNSHIP, Role.SUPERVISOR), COMMUNITY, null))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("own unit " + TOWNSHIP);
            assertThatThrownBy(() -> Jurisdiction.checkReport(person(COMMUNITY, Role.LEADER), COMMUNITY, null))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("reports no cases");
        }

        @Test
        void aGridWorkerReportsInTheirOwnGridCells() {
            Person worker = new Person("gw", "G", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01"), Set.of(), Set.of());
            assertThatCode(() -> Jurisdiction.checkReport(worker, COMMUNITY, "410105001001-01")).doesNotThrowAnyException();
            assertThatThrownBy(() -> Jurisdiction.checkReport(worker, COMMUNITY, "410105001001-02"))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("own grid cells");
        }
    }

    @Nested
    class Acting {

        @ParameterizedTest
        @EnumSource(CaseAction.class)
        void aSupervisorMayDoEverythingOnTheirOwnUnitsRecords(CaseAction action) {
            assertThatCode(() -> Jurisdiction.checkAct(person(COMMUNITY, Role.SUPERVISOR), record(COMMUNITY, null, "x"), action))
                    .doesNotThrowAnyException();
        }

        @ParameterizedTest
        @EnumSource(CaseAction.class)
        void nobodyActsOnAnotherUnitsRecordNotEvenFromAbove(CaseAction action) {
            for (UnitCode unit : new UnitCode[] {TOWNSHIP, SIBLING_COMMUNITY, DISTRICT, CITY}) {
                assertThatThrownBy(() -> Jurisdiction.checkAct(person(unit, Role.SUPERVISOR, Role.HANDLER),
                        record(COMMUNITY, null, "x"), action))
                        .isInstanceOf(AccessRefusedException.class).hasMessageContaining("outside their jurisdiction");
            }
        }

        @ParameterizedTest
        @EnumSource(value = CaseAction.class, names = {"VERIFY", "REWORK", "CLOSE"})
        void verifyingReworkAndClosingTakeASupervisor(CaseAction action) {
            assertThatThrownBy(() -> Jurisdiction.checkAct(person(COMMUNITY, Role.HANDLER), record(COMMUNITY, null, "x"), action))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("SUPERVISOR");
        }

        @Test
        void aGridWorkerHandlesCasesInTheirOwnCellsOnly() {
            Person worker = new Person("gw", "G", COMMUNITY, Set.of(Role.GRID_WORKER), Set.of("410105001001-01"), Set.of(), Set.of());
            assertThat(Jurisdiction.permitted(worker, record(COMMUNITY, "410105001001-01", "x")))
                    .containsExactlyInAnyOrder(CaseAction.ACCEPT, CaseAction.START, CaseAction.RESOLVE, CaseAction.ESCALATE,
                            CaseAction.COMMENT);
            assertThat(Jurisdiction.permitted(worker, record(COMMUNITY, "410105001001-02", "x"))).isEmpty();
        }

        @Test
        void anOfficerStartsAndResolvesAtTheUnitsTheyAreAssignedTo() {
            Person officer = new Person("o", "O", TOWNSHIP, Set.of(Role.DEPARTMENT_OFFICER), Set.of(), Set.of(COMMUNITY), Set.of());
            assertThat(Jurisdiction.permitted(officer, record(COMMUNITY, null, "x")))
                    .containsExactlyInAnyOrder(CaseAction.START, CaseAction.RESOLVE);
            assertThat(Jurisdiction.permitted(officer, record(SIBLING_COMMUNITY, null, "x"))).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = Role.class, names = {"ADMIN", "CITIZEN"})
        void administratorsAndCitizensActOnNoRecord(Role role) {
            assertThat(Jurisdiction.permitted(person(COMMUNITY, role), record(COMMUNITY, null, "someone else"))).isEmpty();
            assertThat(EnumSet.allOf(CaseAction.class)).allSatisfy(a -> assertThatThrownBy(() ->
                    Jurisdiction.checkAct(person(COMMUNITY, role), record(COMMUNITY, null, "someone else"), a))
                    .isInstanceOf(AccessRefusedException.class));
        }

        @Test
        void aLeaderWritesANoteAtTheirUnitAndTheUnitsTheyAnswerForAndDoesNothingElse() {
            // 领导批示: the township's leader on its own record; the district's leader who answers for the township on
            // the township's and its communities' records; not on a sibling township's
            Person townshipLeader = person(TOWNSHIP, Role.LEADER);
            Person districtLeader = new Person("l", "L", DISTRICT, Set.of(Role.LEADER), Set.of(), Set.of(), Set.of(TOWNSHIP));
            assertThat(Jurisdiction.permitted(townshipLeader, record(TOWNSHIP, null, "x"))).containsExactly(CaseAction.COMMENT);
            assertThat(Jurisdiction.permitted(districtLeader, record(TOWNSHIP, null, "x"))).containsExactly(CaseAction.COMMENT);
            assertThat(Jurisdiction.permitted(districtLeader, record(COMMUNITY, null, "x"))).containsExactly(CaseAction.COMMENT);
            assertThat(Jurisdiction.permitted(districtLeader, record(OTHER_TOWNSHIP, null, "x"))).isEmpty();
            assertThatCode(() -> Jurisdiction.checkAct(districtLeader, record(COMMUNITY, null, "x"), CaseAction.COMMENT))
                    .doesNotThrowAnyException();
            assertThat(EnumSet.complementOf(EnumSet.of(CaseAction.COMMENT))).allSatisfy(a -> assertThatThrownBy(() ->
                    Jurisdiction.checkAct(townshipLeader, record(TOWNSHIP, null, "someone else"), a))
                    .isInstanceOf(AccessRefusedException.class));
            assertThatThrownBy(() -> Jurisdiction.checkAct(districtLeader, record(OTHER_TOWNSHIP, null, "x"),
                    CaseAction.COMMENT)).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("outside their jurisdiction");
        }

        @Test
        void aLeadersNoteIsAnInstructionThatWaitsTheStaffsIsNot() {
            // 领导批示 待落实: a leader of the record's unit, or one who answers for it; nobody else's note
            Person districtLeader = new Person("l", "L", DISTRICT, Set.of(Role.LEADER), Set.of(), Set.of(), Set.of(TOWNSHIP));
            assertThat(Jurisdiction.instructs(person(TOWNSHIP, Role.LEADER), record(TOWNSHIP, null, "x"))).isTrue();
            assertThat(Jurisdiction.instructs(districtLeader, record(COMMUNITY, null, "x"))).isTrue();
            assertThat(Jurisdiction.instructs(districtLeader, record(OTHER_TOWNSHIP, null, "x"))).isFalse();
            assertThat(Jurisdiction.instructs(person(COMMUNITY, Role.LEADER), record(TOWNSHIP, null, "x")))
                    .as("a leader below").isFalse();
            assertThat(EnumSet.complementOf(EnumSet.of(Role.LEADER))).allSatisfy(role -> assertThat(
                    Jurisdiction.instructs(person(TOWNSHIP, role), record(TOWNSHIP, null, "x"))).as(role.name()).isFalse());
        }

        @Test
        void aNoteIsRefusedToWhoeverHasNoPartInTheRecordSayingWhoWritesOne() {
            Person officer = new Person("o", "O", COMMUNITY, Set.of(Role.DEPARTMENT_OFFICER), Set.of(), Set.of(), Set.of());
            assertThatThrownBy(() -> Jurisdiction.checkAct(officer, record(COMMUNITY, null, "x"), CaseAction.COMMENT))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("the officer holding it");
        }

        @Test
        void aCitizenGivesTheVerdictOnTheirOwnReportAndNothingElse() {
            Person citizen = person(COMMUNITY, Role.CITIZEN);
            assertThat(Jurisdiction.permitted(citizen, record(COMMUNITY, null, citizen.username())))
                    .containsExactly(CaseAction.VERDICT);
            assertThat(Jurisdiction.permitted(person(COMMUNITY, Role.ADMIN), record(COMMUNITY, null, "p"))).isEmpty();
        }

        @Test
        void aCitizenReadsACaseTheyFollowAfterAMerge() {
            Person citizen = new Person("citizen.1", "C", COMMUNITY, Set.of(Role.CITIZEN), Set.of(), Set.of(), Set.of());
            CaseRecord survivor = record(COMMUNITY, null, "citizen.2");
            assertThat(Jurisdiction.visibility(citizen, survivor, false)).isEqualTo(Jurisdiction.Visibility.HIDDEN);
            assertThat(Jurisdiction.visibility(citizen, survivor, true)).isEqualTo(Jurisdiction.Visibility.VISIBLE);
        }
    }

    @Nested
    class OfficersAndRequests {

        final String officer = "officer.HOUSING_CONSTRUCTION.410105001000";

        CaseRecord dispatchedToOfficer() {
            CaseRecord accepted = CaseStateMachine.decide(record(TOWNSHIP, null, "p"),
                    new Command(CaseAction.ACCEPT, null, null, "h", null), Instant.parse("2026-11-29T08:00:00Z")).record();
            return CaseStateMachine.decide(accepted, new Command(CaseAction.DISPATCH, null, null, "h", null, officer,
                    null, null, null, Instant.parse("2026-11-29T10:00:00Z")), Instant.parse("2026-11-29T08:01:00Z")).record();
        }

        @Test
        void onlyTheOfficerADispatchWentToSignsForIt() {
            CaseRecord r = dispatchedToOfficer();
            Person theOfficer = new Person(officer, "O", TOWNSHIP, Set.of(Role.DEPARTMENT_OFFICER), Set.of(), Set.of(),
                    Set.of());
            Person anotherOfficer = new Person("officer.URBAN_MANAGEMENT.410105001000", "O2", TOWNSHIP,
                    Set.of(Role.DEPARTMENT_OFFICER), Set.of(), Set.of(), Set.of());
            assertThat(Jurisdiction.permitted(theOfficer, r)).contains(CaseAction.ACCEPT, CaseAction.RETURN_REQUEST);
            assertThat(Jurisdiction.permitted(anotherOfficer, r)).doesNotContain(CaseAction.ACCEPT, CaseAction.RETURN_REQUEST);
            assertThatThrownBy(() -> Jurisdiction.checkAct(person(TOWNSHIP, Role.HANDLER), r, CaseAction.ACCEPT))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("signs for it");
        }

        @Test
        void theUnitRecallsACaseFromItsOfficerAndTheOfficerCannot() {
            CaseRecord r = dispatchedToOfficer();
            Person theOfficer = new Person(officer, "O", TOWNSHIP, Set.of(Role.DEPARTMENT_OFFICER), Set.of(), Set.of(),
                    Set.of());
            assertThat(Jurisdiction.permitted(person(TOWNSHIP, Role.HANDLER), r)).contains(CaseAction.RECALL);
            assertThat(Jurisdiction.permitted(person(TOWNSHIP, Role.SUPERVISOR), r)).contains(CaseAction.RECALL);
            assertThat(Jurisdiction.permitted(theOfficer, r)).doesNotContain(CaseAction.RECALL);
            assertThatThrownBy(() -> Jurisdiction.checkAct(theOfficer, r, CaseAction.RECALL))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("HANDLER or a SUPERVISOR");
            assertThatThrownBy(() -> Jurisdiction.checkAct(person(COMMUNITY, Role.SUPERVISOR), r, CaseAction.RECALL))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("outside their jurisdiction");
        }

        @Test
        void nobodyDecidesTheirOwnRequestAndAUnitsOwnRequestTakesItsSupervisor() {
            CaseRecord accepted = CaseStateMachine.decide(record(TOWNSHIP, null, "p"),
                    new Command(CaseAction.ACCEPT, null, null, "h", null), Instant.parse("2026-11-29T08:00:00Z")).record();
            CaseRecord asked = CaseStateMachine.decide(accepted, new Command(CaseAction.PARK_REQUEST, "no budget", null,
                    "p", null, null, null, null, Instant.parse("2027-01-01T00:00:00Z"), null),
                    Instant.parse("2026-11-29T08:02:00Z")).record();
            assertThat(Jurisdiction.permitted(person(TOWNSHIP, Role.SUPERVISOR), asked))
                    .as("the requester p is a supervisor too: not their own decision").doesNotContain(CaseAction.APPROVE);
            Person otherSupervisor = new Person("s2", "S", TOWNSHIP, Set.of(Role.SUPERVISOR), Set.of(), Set.of(), Set.of());
            Person handler = new Person("h2", "H", TOWNSHIP, Set.of(Role.HANDLER), Set.of(), Set.of(), Set.of());
            assertThat(Jurisdiction.permitted(otherSupervisor, asked)).contains(CaseAction.APPROVE, CaseAction.OVERRULE);
            assertThat(Jurisdiction.permitted(handler, asked)).doesNotContain(CaseAction.APPROVE, CaseAction.OVERRULE);
        }
    }
}
