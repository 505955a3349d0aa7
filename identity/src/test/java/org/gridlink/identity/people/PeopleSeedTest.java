package org.gridlink.identity.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gridlink.contracts.UnitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** people.json against the other seed files: everyone they need is there, and nobody names what does not exist. */
class PeopleSeedTest {

    private static final String SEEDS = "seeds/zhengzhou/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<JsonNode> units;
    private static List<JsonNode> cells;
    private static List<JsonNode> people;
    private static Map<String, JsonNode> byUsername;

    @BeforeAll
    static void read() throws IOException {
        units = list(read("units.json"));
        cells = list(read("grid-cells.geojson").path("features"));
        people = list(read("people.json"));
        byUsername = people.stream().collect(Collectors.toMap(p -> p.path("username").asString(), Function.identity()));
    }

    @Test
    void usernamesAreUnique() {
        assertThat(byUsername).hasSameSizeAs(people);
    }

    @Test
    void everyUnitHasAHandlerAndASupervisor() {
        for (JsonNode unit : units) {
            String code = unit.path("code").asString();
            assertPerson("handler." + code, code, "HANDLER");
            assertPerson("supervisor." + code, code, "SUPERVISOR");
        }
    }

    @Test
    void everyGridCellHasAGridWorkerAndEveryCommunityAGridLeader() {
        for (JsonNode cell : cells) {
            String code = cell.path("properties").path("code").asString();
            String community = cell.path("properties").path("community").asString();
            JsonNode worker = assertPerson("gridworker." + code, community, "GRID_WORKER");
            assertThat(strings(worker.path("grids"))).containsExactly(code);
            JsonNode leader = assertPerson("gridleader." + community, community, "GRID_WORKER");
            assertThat(strings(leader.path("grids"))).contains(code);
        }
    }

    @Test
    void everyCityDistrictAndTownshipHasALeaderAnsweringForChildUnits() {
        for (JsonNode unit : units) {
            String code = unit.path("code").asString();
            if (!unit.path("tier").asString().equals("COMMUNITY")) {
                JsonNode leader = assertPerson("leader." + code, code, "LEADER");
                assertThat(strings(leader.path("contracts"))).isNotEmpty()
                        .allSatisfy(child -> assertThat(UnitCode.of(code).isParentOf(UnitCode.of(child))).isTrue());
            }
        }
    }

    @Test
    void theAdminCitizensAndDepartmentOfficersAreThere() {
        assertPerson("admin.410100000000", "410100000000", "ADMIN");
        for (int i = 1; i <= 6; i++) {
            JsonNode citizen = byUsername.get("citizen." + i);
            assertThat(citizen).as("citizen." + i).isNotNull();
            assertThat(UnitCode.of(citizen.path("unit").asString()).tier().name()).isEqualTo("COMMUNITY");
        }
        List<JsonNode> officers = people.stream()
                .filter(p -> strings(p.path("roles")).contains("DEPARTMENT_OFFICER")).toList();
        assertThat(officers).isNotEmpty().allSatisfy(o -> {
            assertThat(o.path("username").asString()).matches("officer\\.[A-Z_]+\\." + o.path("unit").asString());
            assertThat(strings(o.path("assignments"))).isNotEmpty();
        });
    }

    @Test
    void everyReferencedUnitAndGridCellExists() throws IOException {
        Set<String> unitCodes = new HashSet<>(units.stream().map(u -> u.path("code").asString()).toList());
        Set<String> cellCodes = new HashSet<>(cells.stream().map(c -> c.path("properties").path("code").asString()).toList());
        Set<String> roles = new HashSet<>(List.of("GRID_WORKER", "HANDLER", "SUPERVISOR", "DEPARTMENT_OFFICER",
                "LEADER", "ADMIN", "CITIZEN"));
        for (JsonNode p : people) {
            String who = p.path("username").asString();
            assertThat(p.path("name").asString()).as(who + " name").isNotBlank();
            assertThat(unitCodes).as(who + " unit").contains(p.path("unit").asString());
            assertThat(strings(p.path("roles"))).as(who + " roles").isNotEmpty().allMatch(roles::contains);
            assertThat(unitCodes).as(who + " assignments").containsAll(strings(p.path("assignments")));
            assertThat(unitCodes).as(who + " contracts").containsAll(strings(p.path("contracts")));
            assertThat(cellCodes).as(who + " grids").containsAll(strings(p.path("grids")));
            for (String field : List.of("grids", "assignments", "contracts")) {
                assertThat(p.path(field).isArray()).as(who + " " + field + " is an array").isTrue();
            }
        }
        // the service's own loader agrees (it also checks that grids are the person's community's)
        assertThat(new PeopleLoader(new DefaultResourceLoader(), JSON).load("classpath:seeds/zhengzhou").all())
                .hasSameSizeAs(people);
    }

    @Test
    void everyRoleHasADemoPassword() {
        for (Role role : Role.values()) {
            assertThat(DemoPasswords.of(role)).as(role.name()).isNotBlank();
        }
        assertThat(DemoPasswords.of(Role.SUPERVISOR)).isEqualTo("supervisor-demo");
        assertThat(DemoPasswords.of(Role.GRID_WORKER)).isEqualTo("grid-worker-demo");
    }

    private static JsonNode assertPerson(String username, String unit, String role) {
        JsonNode p = byUsername.get(username);
        assertThat(p).as(username).isNotNull();
        assertThat(p.path("unit").asString()).as(username + " unit").isEqualTo(unit);
        assertThat(strings(p.path("roles"))).as(username + " roles").containsExactly(role);
        return p;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asString()));
        return values;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = PeopleSeedTest.class.getClassLoader().getResourceAsStream(SEEDS + file)) {
            assertThat(in).as(SEEDS + file + " on the classpath").isNotNull();
            return JSON.readTree(in);
        }
    }
}
