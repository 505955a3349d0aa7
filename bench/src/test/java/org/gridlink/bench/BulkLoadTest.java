package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BulkLoadTest {

    static final Map<String, List<String>> CITY = new TreeMap<>(Map.of(
            "410105001001", List.of("410105001001-01", "410105001001-02"),
            "410105001002", List.of("410105001002-01"),
            "410108001001", List.of()));
    static final Instant END = Instant.parse("2026-11-30T08:00:00.700Z");

    @Test
    void theBatchesCoverEveryRecordOnceInOrder() {
        BulkLoad load = new BulkLoad(BulkLoad.BATCH * 2 + 7, CITY, END);

        List<long[]> batches = load.batches();

        assertThat(batches).hasSize(3);
        assertThat(batches.get(0)).containsExactly(1, BulkLoad.BATCH);
        assertThat(batches.get(1)).containsExactly(BulkLoad.BATCH + 1, 2L * BulkLoad.BATCH);
        assertThat(batches.get(2)).containsExactly(2L * BulkLoad.BATCH + 1, 2L * BulkLoad.BATCH + 7);
    }

    @Test
    void aBatchInsertsItsRecordsOverEveryCommunityWithItsOwnCells() {
        BulkLoad load = new BulkLoad(1_000, CITY, END);

        String sql = load.caseBatch(1, 500);

        assertThat(sql).contains("from generate_series(1, 500) as g(i)")
                .contains("(0, '410105001001', array['410105001001-01', '410105001001-02']::text[])")
                .contains("(1, '410105001002', array['410105001002-01']::text[])")
                .contains("(2, '410108001001', array[]::text[])")
                .contains("on u.k = g.i % 3")
                .contains("case when cardinality(u.cells) = 0 then null")
                .contains("'" + BulkLoad.MARKER + "'")
                .contains("order by g.i")
                .doesNotContain("%%");
        assertThatThrownBy(() -> load.caseBatch(990, 1_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNewestRecordIsTheLoadsSecondAndTheOldestAYearBefore() {
        BulkLoad load = new BulkLoad(1_000_000, CITY, END);

        assertThat(load.endMicros()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z").toEpochMilli() * 1_000);
        assertThat(load.stepMicros()).isEqualTo(31_536_000L);
        assertThat(load.caseBatch(1, 10)).contains("to_timestamp(((" + load.endMicros() + " - (1000000 - g.i)::bigint * "
                + load.stepMicros() + ") / 1e6)::float8)");
    }

    @Test
    void theNewestThreePercentAreOpenTheRestClosedOneInFiftyRejected() {
        BulkLoad load = new BulkLoad(30_000, CITY, END);

        Map<String, Long> statuses = load.expectedStatuses();

        assertThat(load.openFrom()).isEqualTo(29_100);
        assertThat(statuses.get("REPORTED") + statuses.get("ACCEPTED") + statuses.get("IN_PROGRESS")).isEqualTo(900);
        assertThat(statuses.get("REPORTED")).isEqualTo(300);
        assertThat(statuses.get("REJECTED") / (double) (statuses.get("REJECTED") + statuses.get("CLOSED")))
                .isCloseTo(1.0 / BulkLoad.REJECTED_ONE_IN, within(0.002));
        for (long i = 1; i <= load.openFrom(); i++) {
            assertThat(load.statusOf(i)).isIn("CLOSED", "REJECTED");
        }
        // every community gets every open status, not one each (the status follows the community's own count)
        for (String community : CITY.keySet()) {
            assertThat(java.util.stream.LongStream.rangeClosed(load.openFrom() + 1, 30_000)
                    .filter(i -> load.communityOf(i).equals(community)).mapToObj(load::statusOf).distinct())
                    .containsExactlyInAnyOrderElementsOf(BulkLoad.OPEN_STATUSES);
        }
    }

    @Test
    void theCategoriesComeInTheirSharesFromTheMd5OfTheRecordsNumber() {
        // md5("1") = c4ca4238a0b923820dcc509a6f75849b: its first 28 bits, as PostgreSQL's ('x' || …)::bit(28)::int
        assertThat(BulkLoad.hash(1)).isEqualTo(0xc4ca423);
        BulkLoad load = new BulkLoad(100_000, CITY, END);

        Map<String, Long> categories = load.expectedCategories();

        assertThat(categories.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000);
        for (BulkLoad.Share share : BulkLoad.CATEGORIES) {
            assertThat(categories.get(share.value()) / 1_000.0).as(share.value()).isCloseTo(share.percent(), within(1.0));
        }
    }

    @Test
    void codesThatCouldBreakTheStatementAreRefused() {
        assertThatThrownBy(() -> new BulkLoad(10, Map.of("41010500100'", List.of()), END))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("community code");
        assertThatThrownBy(() -> new BulkLoad(10, Map.of("410105001001", List.of("x'); drop table unit; --")), END))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid cell");
        assertThatThrownBy(() -> new BulkLoad(0, CITY, END)).isInstanceOf(IllegalArgumentException.class);
    }
}
