package org.gridlink.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.gridlink.local.LocalMachine;
import org.gridlink.seeds.CaseBatch;
import org.gridlink.seeds.CityGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The city a benchmark runs on: the sample city the nodes load by default, or a bigger one made by the seeds'
 * {@link CityGenerator} ({@code --city=DxTxCxG}: districts × townships per district × communities per township × grid
 * cells per community), written where the identity service and the nodes read it ({@code gridlink.seeds}). The cases
 * come from {@link CaseBatch}: reproducible categories, sources and grid cells over the city's communities.
 */
final class BenchCity {

    /** Categories the batch draws from, the everyday ones first (all in the sample city's categories.json). */
    static final List<String> CATEGORIES = List.of("GARBAGE_PILE", "ILLEGAL_PARKING", "NOISE", "STREETLIGHT_BROKEN",
            "ROAD_OCCUPATION", "FIRE_HAZARD");

    private final String name;
    private final String seeds;
    private final Map<String, List<String>> cellsByCommunity;

    private BenchCity(String name, String seeds, Map<String, List<String>> cellsByCommunity) {
        this.name = name;
        this.seeds = seeds;
        this.cellsByCommunity = cellsByCommunity;
    }

    /** {@code sample} (or nothing): the sample city; {@code DxTxCxG}: a generated city written into {@code dir}. */
    static BenchCity of(String option, Path dir) throws IOException {
        if (option == null || option.isBlank() || option.equals("sample")) {
            return sample();
        }
        int[] size = size(option);
        return generated(dir, size[0], size[1], size[2], size[3]);
    }

    /** {@code DxTxCxG} as four numbers, refused with the reason when it is not one. */
    static int[] size(String option) {
        String[] parts = option.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("--city is 'sample' or DxTxCxG (districts x townships x communities x"
                    + " cells, e.g. 4x6x8x3), got '" + option + "'");
        }
        int[] size = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                size[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--city: '" + parts[i] + "' in '" + option + "' is not a number");
            }
        }
        return size;
    }

    /** The sample city (the seeds' Zhengzhou pilot units), which the nodes load by default. */
    static BenchCity sample() throws IOException {
        Map<String, List<String>> cells = new TreeMap<>();
        JsonMapper json = JsonMapper.builder().build();
        JsonNode units;
        JsonNode features;
        try (InputStream u = resource("units.json"); InputStream g = resource("grid-cells.geojson")) {
            units = json.readTree(u);
            features = json.readTree(g).path("features");
        }
        for (JsonNode unit : units) {
            if ("COMMUNITY".equals(unit.path("tier").asString())) {
                cells.put(unit.path("code").asString(), new ArrayList<>());
            }
        }
        for (JsonNode feature : features) {
            List<String> of = cells.get(feature.path("properties").path("community").asString());
            if (of != null) {
                of.add(feature.path("properties").path("code").asString());
            }
        }
        cells.values().forEach(l -> l.sort(null));
        return new BenchCity("the sample city (" + cells.size() + " communities)", null, cells);
    }

    /** A generated city, its seed files written into {@code dir} (wiped first). */
    static BenchCity generated(Path dir, int districts, int townships, int communities, int cellsEach) throws IOException {
        CityGenerator.City city = CityGenerator.generate(districts, townships, communities, cellsEach);
        LocalMachine.deleteTree(dir);
        CityGenerator.write(city, dir);
        Map<String, List<String>> cells = new TreeMap<>();
        for (CityGenerator.Unit c : city.ofTier("COMMUNITY")) {
            cells.put(c.code(), city.cellsOf(c.code()).stream().map(CityGenerator.Cell::code).sorted().toList());
        }
        return new BenchCity("a generated city of " + districts + " districts × " + townships + " townships × "
                + communities + " communities × " + cellsEach + " grid cells (" + city.units().size() + " units, "
                + city.cells().size() + " cells)", "file:" + dir.toAbsolutePath().normalize() + "/", cells);
    }

    String name() {
        return name;
    }

    /** Where the identity service and the nodes read the seeds ({@code gridlink.seeds}); empty: their default. */
    Optional<String> seeds() {
        return Optional.ofNullable(seeds);
    }

    List<String> communities() {
        return List.copyOf(cellsByCommunity.keySet());
    }

    Map<String, List<String>> cellsByCommunity() {
        return cellsByCommunity;
    }

    /** {@code size} cases over the city, the same for the same seed. */
    List<CaseBatch.PlannedCase> batch(long seed, int size) {
        return CaseBatch.plan(seed, size, cellsByCommunity, CATEGORIES);
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = BenchCity.class.getClassLoader().getResourceAsStream("seeds/zhengzhou/" + file);
        if (in == null) {
            throw new IOException("seeds/zhengzhou/" + file + " is not on the classpath");
        }
        return in;
    }
}
