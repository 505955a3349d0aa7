package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.gridlink.seeds.CaseBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.json.JsonMapper;

class BenchCityTest {

    @Test
    void aGeneratedCityIsWrittenWhereTheNodesReadItAndLoadsInTheirSeedLoader(@TempDir Path dir) throws Exception {
        BenchCity city = BenchCity.of("2x3x4x2", dir.resolve("city"));
        assertThat(city.communities()).hasSize(2 * 3 * 4);
        assertThat(city.cellsByCommunity().values()).allSatisfy(cells -> assertThat(cells).hasSize(2));
        assertThat(city.seeds()).hasValueSatisfying(s -> assertThat(s).startsWith("file:").endsWith("/city/"));

        UnitDirectory nodes = new SeedLoader(new DefaultResourceLoader(), JsonMapper.builder().build())
                .load(city.seeds().orElseThrow());
        assertThat(nodes.ofTier(Tier.COMMUNITY)).hasSize(24);
        assertThat(nodes.ofTier(Tier.DISTRICT)).hasSize(2);
        // every category the batch draws from is one the nodes know
        assertThat(BenchCity.CATEGORIES).allSatisfy(c -> assertThat(nodes.category(c)).isPresent());
    }

    @Test
    void theBatchIsReproducibleAndSpreadOverTheCitysCommunitiesAndCells(@TempDir Path dir) throws Exception {
        BenchCity city = BenchCity.of("1x2x5x3", dir);
        List<CaseBatch.PlannedCase> batch = city.batch(7, 500);
        assertThat(city.batch(7, 500)).isEqualTo(batch);
        assertThat(batch).extracting(CaseBatch.PlannedCase::community).containsAll(city.communities());
        assertThat(batch).allSatisfy(c -> assertThat(city.cellsByCommunity().get(c.community())).contains(c.gridCode()));
        assertThat(batch).extracting(CaseBatch.PlannedCase::category).isSubsetOf(BenchCity.CATEGORIES);
    }

    @Test
    void theSampleCityIsTheDefaultAndKeepsTheNodesOwnSeeds() throws Exception {
        BenchCity city = BenchCity.of(null, Path.of("unused"));
        assertThat(city.seeds()).isEmpty();
        assertThat(city.communities()).hasSize(18).contains("410105001001");
        assertThat(city.cellsByCommunity().get("410105001001")).contains("410105001001-01");
        assertThat(BenchCity.of("sample", Path.of("unused")).communities()).isEqualTo(city.communities());
    }

    @Test
    void aCitySizeThatIsNotFourNumbersIsRefusedWithTheReason() {
        assertThatThrownBy(() -> BenchCity.size("4x6x8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DxTxCxG");
        assertThatThrownBy(() -> BenchCity.size("4x6xeightx3")).hasMessageContaining("'eight'");
        assertThat(BenchCity.size("4X6x8x3")).containsExactly(4, 6, 8, 3);
    }

    @Test
    void aPlannedCasesReportNamesItsCellCategoryAndSourceWithoutCoordinates() {
        CaseBatch.PlannedCase c = new CaseBatch.PlannedCase(12, "410101001002", "410101001002-03", "NOISE",
                "HOTLINE_12345", CaseBatch.Outcome.LEFT_OPEN);
        String body = CaseApi.aReport(c);
        var json = JsonMapper.builder().build().readTree(body);
        assertThat(json.path("categoryCode").asString()).isEqualTo("NOISE");
        assertThat(json.path("gridCode").asString()).isEqualTo("410101001002-03");
        assertThat(json.path("source").asString()).isEqualTo("HOTLINE_12345");
        assertThat(json.path("location").has("lat")).isFalse();
        assertThat(body).doesNotContain("\n");
    }
}
