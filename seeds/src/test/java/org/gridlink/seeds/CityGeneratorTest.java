package org.gridlink.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityGeneratorTest {

    @Test
    void aCityOfTheAskedSizeWithValidCodesAndOnePersonPerRoleAndCell(@TempDir Path dir) throws Exception {
        CityGenerator.City city = CityGenerator.generate(3, 4, 5, 2);
        assertThat(city.ofTier("DISTRICT")).hasSize(3);
        assertThat(city.ofTier("TOWNSHIP")).hasSize(12);
        assertThat(city.ofTier("COMMUNITY")).hasSize(60);
        assertThat(city.cells()).hasSize(120).allMatch(c -> c.code().startsWith(c.community() + "-"));
        assertThat(city.units()).allMatch(u -> u.code().matches("4101[0-9]{8}"));
        assertThat(city.units()).extracting(CityGenerator.Unit::code).doesNotHaveDuplicates();
        assertThat(city.people()).hasSize(120 + 2 * city.units().size() + 1);
        CityGenerator.write(city, dir);
        assertThat(Files.readString(dir.resolve("units.json"))).contains("\"410103004005\"");
        assertThat(dir.resolve("assessment.json")).exists();
        assertThat(dir.resolve("categories.json")).exists();
    }

    @Test
    void aBatchIsReproducibleAndHasEveryOutcomeAndSource() {
        CityGenerator.City city = CityGenerator.generate(2, 2, 3, 2);
        Map<String, java.util.List<String>> cells = city.ofTier("COMMUNITY").stream().collect(Collectors.toMap(
                CityGenerator.Unit::code, u -> city.cellsOf(u.code()).stream().map(CityGenerator.Cell::code).toList()));
        var batch = CaseBatch.plan(42, 400, cells, java.util.List.of("GARBAGE_PILE", "NOISE", "FIRE_HAZARD"));
        assertThat(CaseBatch.plan(42, 400, cells, java.util.List.of("GARBAGE_PILE", "NOISE", "FIRE_HAZARD"))).isEqualTo(batch);
        assertThat(batch).extracting(CaseBatch.PlannedCase::outcome).contains(CaseBatch.Outcome.values());
        assertThat(batch).extracting(CaseBatch.PlannedCase::source).contains("GRID_PATROL", "CITIZEN_COMPLAINT", "HOTLINE_12345");
        assertThat(batch).allMatch(c -> c.gridCode().startsWith(c.community()));
        // most cases are found on patrol, and GARBAGE_PILE is the most common category
        assertThat(batch.stream().filter(c -> c.source().equals("GRID_PATROL")).count()).isGreaterThan(200);
    }
}
