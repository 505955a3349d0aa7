package org.gridlink.seeds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes a city of any size in the seeds' format (units.json, grid-cells.geojson, people.json, plus the sample city's
 * categories, calendar, departments and assessment weights): {@code districts × townships × communities × cells}.
 * Codes follow PPCCDDTTTVVV under the city 4101; names are generated, geometry is a grid of rectangles.
 *
 * <pre>java -cp seeds/target/classes org.gridlink.seeds.CityGenerator out/ 10 12 15 4</pre>
 */
public final class CityGenerator {

    public record Unit(String code, String name, String nameEn, String tier) {
    }

    public record Cell(String code, String name, String community, double lon, double lat) {
    }

    public record Person(String username, String name, String unit, String role, String grid) {
    }

    public record City(List<Unit> units, List<Cell> cells, List<Person> people) {

        public List<Unit> ofTier(String tier) {
            return units.stream().filter(u -> u.tier().equals(tier)).toList();
        }

        public List<Cell> cellsOf(String community) {
            return cells.stream().filter(c -> c.community().equals(community)).toList();
        }
    }

    private CityGenerator() {
    }

    public static City generate(int districts, int townships, int communities, int cells) {
        if (districts < 1 || districts > 99 || townships < 1 || townships > 999 || communities < 1 || communities > 999
                || cells < 1 || cells > 99) {
            throw new IllegalArgumentException("sizes: districts 1..99, townships and communities 1..999, cells 1..99");
        }
        List<Unit> units = new ArrayList<>();
        List<Cell> gridCells = new ArrayList<>();
        List<Person> people = new ArrayList<>();
        units.add(new Unit("410100000000", "生成市", "Generated City", "CITY"));
        int column = 0;
        for (int d = 1; d <= districts; d++) {
            String dc = String.format("4101%02d000000", d);
            units.add(new Unit(dc, "第" + d + "区", "District " + d, "DISTRICT"));
            for (int t = 1; t <= townships; t++) {
                String tc = String.format("4101%02d%03d000", d, t);
                units.add(new Unit(tc, "第" + d + "区第" + t + "街道", "Township " + d + "-" + t, "TOWNSHIP"));
                for (int c = 1; c <= communities; c++) {
                    String cc = String.format("4101%02d%03d%03d", d, t, c);
                    units.add(new Unit(cc, "第" + d + "区第" + t + "街道第" + c + "社区", "Community " + d + "-" + t + "-" + c,
                            "COMMUNITY"));
                    for (int g = 1; g <= cells; g++) {
                        String gc = String.format("%s-%02d", cc, g);
                        gridCells.add(new Cell(gc, "第" + c + "社区第" + g + "网格", cc, 113.0 + column * 0.005, 34.5 + g * 0.004));
                        people.add(new Person("gridworker." + gc, gc + "网格员", cc, "GRID_WORKER", gc));
                    }
                    column++;
                }
            }
        }
        for (Unit u : units) {
            people.add(new Person("handler." + u.code(), u.name() + "处置员", u.code(), "HANDLER", null));
            people.add(new Person("supervisor." + u.code(), u.name() + "督办员", u.code(), "SUPERVISOR", null));
        }
        people.add(new Person("admin.410100000000", "生成市管理员", "410100000000", "ADMIN", null));
        return new City(units, gridCells, people);
    }

    /** Writes the city's seed files into {@code dir}, with the sample city's categories, calendar and weights. */
    public static void write(City city, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder u = new StringBuilder("[\n");
        for (int i = 0; i < city.units().size(); i++) {
            Unit x = city.units().get(i);
            u.append(String.format("  {\"code\": %s, \"name\": %s, \"nameEn\": %s, \"tier\": %s}%s%n", q(x.code()),
                    q(x.name()), q(x.nameEn()), q(x.tier()), i + 1 < city.units().size() ? "," : ""));
        }
        Files.writeString(dir.resolve("units.json"), u.append("]\n"), StandardCharsets.UTF_8);
        StringBuilder g = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [\n");
        for (int i = 0; i < city.cells().size(); i++) {
            Cell c = city.cells().get(i);
            double w = c.lon();
            double s = c.lat();
            double e = w + 0.005;
            double n = s + 0.004;
            g.append(String.format(Locale.ROOT, "  {\"type\": \"Feature\", \"properties\": {\"code\": %s, \"name\": %s,"
                            + " \"community\": %s}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.4f, %.4f],"
                            + " [%.4f, %.4f], [%.4f, %.4f], [%.4f, %.4f], [%.4f, %.4f]]]}}%s%n", q(c.code()), q(c.name()),
                    q(c.community()), w, s, e, s, e, n, w, n, w, s, i + 1 < city.cells().size() ? "," : ""));
        }
        Files.writeString(dir.resolve("grid-cells.geojson"), g.append("]}\n"), StandardCharsets.UTF_8);
        StringBuilder p = new StringBuilder("[\n");
        for (int i = 0; i < city.people().size(); i++) {
            Person x = city.people().get(i);
            p.append(String.format("  {\"username\": %s, \"name\": %s, \"unit\": %s, \"roles\": [%s], \"grids\": [%s],"
                            + " \"assignments\": [], \"contracts\": []}%s%n", q(x.username()), q(x.name()), q(x.unit()),
                    q(x.role()), x.grid() == null ? "" : q(x.grid()), i + 1 < city.people().size() ? "," : ""));
        }
        Files.writeString(dir.resolve("people.json"), p.append("]\n"), StandardCharsets.UTF_8);
        for (String file : List.of("categories.json", "calendar.json", "departments.json", "assessment.json")) {
            try (InputStream in = CityGenerator.class.getClassLoader().getResourceAsStream("seeds/zhengzhou/" + file)) {
                if (in == null) {
                    throw new IOException("the sample city's " + file + " is not on the classpath");
                }
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
    }

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: CityGenerator <dir> <districts> <townships per district> <communities per township>"
                    + " <cells per community>");
            System.exit(2);
        }
        City city = generate(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        write(city, Path.of(args[0]));
        System.out.printf("%d units, %d grid cells, %d people in %s%n", city.units().size(), city.cells().size(),
                city.people().size(), args[0]);
    }
}
