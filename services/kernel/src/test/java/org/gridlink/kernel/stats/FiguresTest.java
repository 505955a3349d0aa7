package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Cases;
import org.gridlink.kernel.cases.Command;
import org.gridlink.kernel.cases.Origin;
import org.gridlink.kernel.cases.PendingRequest;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void ratesWithoutADenominatorAreNoDataNotZero() {
        Map<String, Double> rates = Figures.rates(Map.of("reported", 4L, "resolved", 3L, "resolvedOnTime", 3L));
        assertThat(rates.get("handlingRate")).isEqualTo(0.75);
        assertThat(rates.get("onTimeRate")).isEqualTo(1.0);
        assertThat(rates).containsEntry("hotlineSatisfactionRate", null).containsEntry("returnRate", null);
    }

    @Test
    void verificationsInTimeAreAShareOfTheVerificationsAndNoDataWithoutAny() {
        assertThat(Figures.rates(Map.of("verified", 4L, "verifiedOnTime", 3L)).get("verifyOnTimeRate")).isEqualTo(0.75);
        assertThat(Figures.rates(Map.of("verified", 2L)).get("verifyOnTimeRate")).isEqualTo(0.0);
        assertThat(Figures.rates(Map.of("resolved", 2L))).containsEntry("verifyOnTimeRate", null);
        assertThat(Figures.LABELS).containsEntry("verifiedOnTime", "按期核查数");
    }

    @Test
    void averageTimeToCloseIsTheSummedSecondsOverTheClosedCases() {
        assertThat(Figures.rates(Map.of("closed", 2L, "closeSeconds", 3L * 3600)).get("averageHoursToClose")).isEqualTo(1.5);
    }

    @Test
    void sectionsAddDayByDayAndSumOverARange() {
        LocalDate d1 = LocalDate.of(2026, 5, 1);
        LocalDate d2 = d1.plusDays(1);
        UnitReport.Section a = new UnitReport.Section(Map.of("status.REPORTED", 1L),
                List.of(new UnitReport.Day(d1, Map.of("reported", 2L)), new UnitReport.Day(d2, Map.of("reported", 1L))));
        UnitReport.Section b = new UnitReport.Section(Map.of("status.REPORTED", 2L, "overdueNow", 1L),
                List.of(new UnitReport.Day(d2, Map.of("reported", 5L, "closed", 1L))));
        UnitReport.Section sum = a.plus(b);
        assertThat(sum.current()).containsEntry("status.REPORTED", 3L).containsEntry("overdueNow", 1L);
        assertThat(sum.between(d1, d2)).containsEntry("reported", 8L).containsEntry("closed", 1L);
        assertThat(sum.between(d2, d2)).containsEntry("reported", 6L);
        assertThat(sum.since(d2).days()).hasSize(1);
    }

    @Test
    void theReturnRateIsApprovedReturnsPerDispatchReceivedAndTheExtensionRateCountsOnlyApprovedOnes() {
        Map<String, Double> rates = Figures.rates(Map.of("receivedDispatches", 4L, "returnRequests", 3L,
                "returnsApproved", 1L, "returnsOverruled", 2L, "reported", 2L, "received", 6L,
                "extensionRequests", 5L, "extensionsApproved", 2L));
        assertThat(rates.get("returnRate")).isEqualTo(0.25);
        assertThat(rates.get("extensionRate")).isEqualTo(0.25);
    }

    @Test
    void satisfactionIsSatisfiedOverAllVerdictsAndNoDataWithoutAny() {
        assertThat(Figures.rates(Map.of("hotline", 3L)).get("hotlineSatisfactionRate")).isNull();
        assertThat(Figures.rates(Map.of("hotlineSatisfied", 3L, "hotlineNotFixed", 1L)).get("hotlineSatisfactionRate"))
                .isEqualTo(0.75);
        assertThat(Figures.rates(Map.of("hotlineNotFixed", 1L)).get("hotlineSatisfactionRate")).isEqualTo(0.0);
    }

    @Test
    void everyDecisionOfTheStateMachineIsCountedAndAnswersTheRequestOfItsKind() {
        for (PendingRequest.Kind kind : List.of(PendingRequest.Kind.RETURN, PendingRequest.Kind.EXTENSION,
                PendingRequest.Kind.PARK)) {
            for (boolean approved : List.of(true, false)) {
                String decision = kind.decision(approved);
                assertThat(Figures.DECISION_COUNTERS).containsKey(decision);
                assertThat(Figures.REQUEST_OF_DECISION.get(decision)).isEqualTo(switch (kind) {
                    case RETURN -> CaseAction.RETURN_REQUEST.name();
                    case EXTENSION -> CaseAction.EXTEND_REQUEST.name();
                    default -> CaseAction.PARK_REQUEST.name();
                });
            }
        }
        // the roll-up's SQL finds the request by the decision's prefix
        Figures.REQUEST_OF_DECISION.forEach((decision, request) -> assertThat(request).isEqualTo(
                decision.startsWith("RETURN") ? "RETURN_REQUEST" : decision.startsWith("EXTENSION") ? "EXTEND_REQUEST"
                        : "PARK_REQUEST"));
    }

    @Test
    void theRollUpRecognisesADispatchReceivedAndADispatchToAnOfficerByTheStateMachinesNotes() {
        Instant now = Cases.T0.plusSeconds(60);
        String received = CaseStateMachine.receiveDispatch(Optional.empty(), UUID.randomUUID(), Cases.COMMUNITY,
                Cases.TOWNSHIP, Cases.details(), now.plusSeconds(3600), "clear it", now).entries().get(0).note();
        assertThat(received).startsWith(RollupCalculator.RECEIVED_DISPATCH_NOTE);
        String escalated = CaseStateMachine.receiveEscalation(Optional.empty(), UUID.randomUUID(), Cases.TOWNSHIP,
                Cases.COMMUNITY, Cases.details(), now.plusSeconds(3600), now).entries().get(0).note();
        assertThat(escalated).doesNotStartWith(RollupCalculator.RECEIVED_DISPATCH_NOTE);
        Command toOfficer = new Command(CaseAction.DISPATCH, "look at it", null, "handler.t", now.plusSeconds(86_400),
                "officer.HOUSING_CONSTRUCTION.410105001000", null, null, null, now.plusSeconds(7200));
        String officer = CaseStateMachine.decide(Cases.at(Cases.TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null,
                null, null), toOfficer, now).entries().get(0).note();
        assertThat(officer).startsWith(RollupCalculator.OFFICER_DISPATCH_NOTE);
        Command toChild = new Command(CaseAction.DISPATCH, "yours", Cases.COMMUNITY, "handler.t", null, null, null, null,
                null, null);
        String child = CaseStateMachine.decide(Cases.at(Cases.TOWNSHIP, CaseStatus.ACCEPTED, Origin.INTAKE, null, null,
                null, null), toChild, now).entries().get(0).note();
        assertThat(child).doesNotStartWith(RollupCalculator.OFFICER_DISPATCH_NOTE);
    }

    @Test
    void patrolCoverageIsTheCellDaysPatrolledPerCellDayOfTheRangeAndNothingWithoutCells() {
        assertThat(Figures.patrolCoverage(Map.of("patrolledCells", 45L), Map.of("gridCells", 3L), 30)).isEqualTo(0.5);
        assertThat(Figures.patrolCoverage(Map.of(), Map.of("gridCells", 3L), 30)).isEqualTo(0.0);
        assertThat(Figures.patrolCoverage(Map.of("patrolledCells", 4L), Map.of(), 30)).isNull();
        assertThat(Figures.patrolCoverage(Map.of("patrolledCells", 4L), null, 30)).isNull();
        assertThat(Figures.patrolCoverage(Map.of("patrolledCells", 4L), Map.of("gridCells", 3L), 0)).isNull();
    }
}
