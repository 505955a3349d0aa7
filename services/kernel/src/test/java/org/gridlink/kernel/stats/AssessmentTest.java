package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssessmentTest {

    static final AssessmentRules RULES = new AssessmentRules(
            new LinkedHashMap<>(Map.of("handlingRate", 0.5, "onTimeRate", 0.5)), 0.10, 0.10);

    static Assessment.Entrant unit(String code, long reported, long resolved, long onTime) {
        return new Assessment.Entrant(code, "unit " + code,
                Map.of("reported", reported, "resolved", resolved, "resolvedOnTime", onTime));
    }

    @Test
    void scoresAreTheWeightedRatesAndEachTermIsShown() {
        List<Assessment.Ranked> ranked = Assessment.rank(List.of(unit("410105001001", 10, 8, 4)), RULES);
        Assessment.Ranked r = ranked.get(0);
        // 100 × (0.5 × 0.8 + 0.5 × 0.5)
        assertThat(r.score()).isEqualTo(65.0);
        assertThat(r.terms()).extracting(Assessment.Term::points).containsExactlyInAnyOrder(40.0, 25.0);
        assertThat(r.rank()).isEqualTo(1);
        assertThat(r.band()).isEqualTo(Assessment.Band.NORMAL); // one entrant: no bands
    }

    @Test
    void tiesGoToTheHigherOnTimeRateThenToTheLowerCode() {
        // same score 60: A handles 100% with 20% on time, B handles 40% with 80% on time; C equals B exactly
        Assessment.Entrant a = unit("410105001003", 10, 10, 2);
        Assessment.Entrant b = unit("410105001002", 10, 4, 3); // on-time 0.75 → score 100×(0.2+0.375)=57.5: not a tie
        AssessmentRules equalWeights = RULES;
        Assessment.Entrant c1 = unit("410105001009", 10, 5, 5);  // 0.5 handling, 1.0 on time → 75
        Assessment.Entrant c2 = unit("410105001005", 4, 4, 2);   // 1.0 handling, 0.5 on time → 75, lower on-time
        Assessment.Entrant c3 = unit("410105001007", 2, 1, 1);   // 0.5, 1.0 → 75, same as c1: code decides
        List<Assessment.Entrant> entrants = new ArrayList<>(List.of(a, b, c1, c2, c3));
        List<String> first = codes(Assessment.rank(entrants, equalWeights));
        assertThat(first).containsExactly("410105001007", "410105001009", "410105001005", "410105001003", "410105001002");
        // the order the figures arrive in changes nothing
        Collections.reverse(entrants);
        assertThat(codes(Assessment.rank(entrants, equalWeights))).isEqualTo(first);
        Collections.shuffle(entrants, new java.util.Random(7));
        assertThat(codes(Assessment.rank(entrants, equalWeights))).isEqualTo(first);
    }

    @Test
    void topAndBottomTenPercentAreBandedAndUnitsWithoutCasesAreNotRanked() {
        List<Assessment.Entrant> entrants = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entrants.add(unit(String.format("4101050010%02d", i), 20, i, i)); // higher i, higher score
        }
        entrants.add(new Assessment.Entrant("410105001099", "quiet", Map.of()));
        List<Assessment.Ranked> ranked = Assessment.rank(entrants, RULES);
        assertThat(ranked).filteredOn(r -> r.band() == Assessment.Band.COMMENDED).extracting(Assessment.Ranked::code)
                .containsExactly("410105001019", "410105001018");
        assertThat(ranked).filteredOn(r -> r.band() == Assessment.Band.WARNED).extracting(Assessment.Ranked::code)
                .containsExactly("410105001001", "410105001000");
        Assessment.Ranked quiet = ranked.get(ranked.size() - 1);
        assertThat(quiet.band()).isEqualTo(Assessment.Band.NO_DATA);
        assertThat(quiet.rank()).isZero();
        assertThat(quiet.score()).isNull();
    }

    @Test
    void aCityMayWeighPatrolCoverageAndACellPatrolledButWithoutCasesIsRanked() {
        AssessmentRules rules = new AssessmentRules(new LinkedHashMap<>(Map.of("handlingRate", 0.5,
                "patrolCoverage", 0.5)), 0.10, 0.10);
        // three cells of a 30-day month: patrolled on 30, 20 and no days; the last reported two cases, resolved one
        List<Assessment.Ranked> ranked = Assessment.rank(List.of(
                new Assessment.Entrant("410105001001-03", "三", Map.of("reported", 2L, "resolved", 1L),
                        Map.of("gridCells", 1L), 30),
                new Assessment.Entrant("410105001001-02", "二", Map.of("patrols", 25L, "patrolledCells", 20L),
                        Map.of("gridCells", 1L), 30),
                new Assessment.Entrant("410105001001-01", "一", Map.of("patrols", 40L, "patrolledCells", 30L),
                        Map.of("gridCells", 1L), 30)), rules);
        assertThat(ranked).extracting(Assessment.Ranked::code)
                .containsExactly("410105001001-01", "410105001001-02", "410105001001-03");
        assertThat(ranked.get(0).score()).isEqualTo(50.0);
        assertThat(ranked.get(1).score()).isCloseTo(33.33, within(0.01));
        assertThat(ranked.get(2).score()).isEqualTo(25.0);
        assertThat(ranked).extracting(Assessment.Ranked::band).doesNotContain(Assessment.Band.NO_DATA);
        assertThat(ranked.get(0).rates()).containsEntry("patrolCoverage", 1.0);
        assertThat(ranked.get(0).terms()).extracting(Assessment.Term::label).contains("巡查覆盖率");
        assertThat(rules.formula()).contains("巡查覆盖率(patrolCoverage)");
    }

    @Test
    void aWeightOnAnUnknownRateIsRefused() {
        assertThatThrownBy(() -> new AssessmentRules(Map.of("happiness", 1.0), 0.1, 0.1))
                .hasMessageContaining("happiness");
    }

    @Test
    void theFormulaNamesEveryWeightedRate() {
        assertThat(RULES.formula()).contains("处置率(handlingRate)").contains("按期处置率(onTimeRate)");
    }

    private static List<String> codes(List<Assessment.Ranked> ranked) {
        return ranked.stream().map(Assessment.Ranked::code).toList();
    }
}
