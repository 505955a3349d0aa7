package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RollupFreshnessTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The city's GET …/stats as StatsController answers it, cut down to what the probes read. */
    static JsonNode cityView(long jinshuiProbes) {
        return JSON.readTree("""
                {"unit":"410100000000","figures":{"counts":{"reported":120,"category.WATER_LEAK":%d}},
                 "children":[
                   {"code":"410105000000","reportedAt":"2026-11-30T00:00:01Z","stale":false,
                    "figures":{"counts":{"reported":80,"category.WATER_LEAK":%d},"rates":{}}},
                   {"code":"410108000000","reportedAt":"2026-11-30T00:00:02Z","stale":false,
                    "figures":{"counts":{"reported":40},"rates":{}}},
                   {"code":"410184000000","reportedAt":null,"stale":true,"figures":null}]}
                """.formatted(jinshuiProbes, jinshuiProbes));
    }

    @Test
    void aProbeIsShownWhenItsDistrictsFigureAtTheCityReachesTheCountTakenAfterIts201() {
        JsonNode view = cityView(3);

        assertThat(RollupFreshness.shows(view, "410105000000", 3)).isTrue();
        assertThat(RollupFreshness.shows(view, "410105000000", 4)).as("the fourth probe not yet").isFalse();
        assertThat(RollupFreshness.shows(view, "410108000000", 1)).as("no probe counted there yet").isFalse();
        assertThat(RollupFreshness.shows(view, "410184000000", 1)).as("a district that never reported").isFalse();
        assertThat(RollupFreshness.shows(view, "410199000000", 0)).as("not the city's child").isFalse();
    }

    @Test
    void aChildsFigureIsZeroUntilItCountsIt() {
        JsonNode view = cityView(3);

        assertThat(RollupFreshness.childFigure(view, "410108000000", "category.WATER_LEAK")).contains(0L);
        assertThat(RollupFreshness.childFigure(view, "410184000000", "reported")).contains(0L);
        assertThat(RollupFreshness.childFigure(view, "410105000000", "reported")).contains(80L);
        assertThat(RollupFreshness.childFigure(view, "410199000000", "reported")).isEmpty();
    }

    @Test
    void theProbesDistrictAndCounterFollowTheCodesAndTheRollUpsNames() {
        assertThat(RollupFreshness.districtOf("410105001002")).isEqualTo("410105000000");
        assertThat(RollupFreshness.counter("WATER_LEAK")).isEqualTo("category.WATER_LEAK");
    }

    @Test
    void nCountsTheUnitsOwnReportsByTheRecordsCategoryAsTheRollUpDoes() {
        // RollupCalculator: e.entry_unit = e.unit_code, e.action = 'REPORT', grouped by r.category_code
        assertThat(RollupFreshness.COUNT.replaceAll("\\s+", " "))
                .contains("join case_record r on r.unit_code = e.unit_code and r.case_id = e.case_id")
                .contains("e.action = 'REPORT' and e.entry_unit = e.unit_code and r.category_code = ?")
                .contains("e.unit_code like ?");
    }
}
