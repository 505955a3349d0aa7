package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Role;
import org.gridlink.kernel.units.ReturnReason;
import org.gridlink.kernel.units.Roster;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.units.Category;
import org.gridlink.kernel.geo.GridMap;
import org.gridlink.kernel.geo.GridMapJson;
import org.gridlink.kernel.units.ReportSources;
import org.gridlink.kernel.calendar.CalendarCoverage;
import org.gridlink.kernel.cases.application.CalendarWatch;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The unit API: a unit with its parent and children, and the categories a case can be reported under. */
@RestController
@Tag(name = "units")
public class UnitController {

    private final NodeUnits node;
    private final CalendarWatch calendar;
    private final ReportSources sources;
    private final GridMap gridMap;

    public UnitController(NodeUnits node, CalendarWatch calendar, ReportSources sources, GridMap gridMap) {
        this.node = node;
        this.calendar = calendar;
        this.sources = sources;
        this.gridMap = gridMap;
    }

    public record UnitRef(String code, String name, String nameEn, String tier) {

        static UnitRef of(Unit u) {
            return new UnitRef(u.code().value(), u.name(), u.nameEn(), u.tier().name());
        }
    }

    public record GridCellView(String code, String name) {

        static GridCellView of(GridCell c) {
            return new GridCellView(c.code(), c.name());
        }
    }

    /**
     * A unit, and how far ahead the city's working calendar knows the public holidays ({@code calendar.warning} when
     * it ends soon: the time limits past it count holidays as working days).
     */
    public record UnitView(String code, String name, String nameEn, String tier, UnitRef parent, List<UnitRef> children,
                           List<GridCellView> gridCells, CalendarCoverage calendar) {
    }

    @GetMapping("/api/units/{code}")
    @Operation(operationId = "readUnit", summary = "Read a unit",
            description = "The unit with its parent, its child units and, for a community, its grid cells; and how"
                    + " far ahead the working calendar knows the public holidays (calendar.warning when fewer than"
                    + " gridlink.calendar.warn-ahead days are left).")
    @ApiResponse(responseCode = "200", description = "The unit.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<UnitView> unit(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkViewUnit(person, unit.code());
            return new UnitView(unit.code().value(), unit.name(), unit.nameEn(), unit.tier().name(),
                    node.directory().parent(unit.code()).map(UnitRef::of).orElse(null),
                    node.directory().children(unit.code()).stream().map(UnitRef::of).toList(),
                    node.directory().gridCells(unit.code()).stream().map(GridCellView::of).toList(),
                    calendar.coverage());
        });
    }

    @GetMapping("/api/units/{code}/categories")
    @Operation(operationId = "listCategories", summary = "List the case categories",
            description = "The categories a case can be reported under, with the department that acts on each by"
                    + " default and its time limit.")
    @ApiResponse(responseCode = "200", description = "The categories.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<Category>> categories(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Jurisdiction.checkViewUnit(person, node.requireServed(code).code());
            return node.directory().categories();
        });
    }

    @GetMapping(path = "/api/units/{code}/grid-map", produces = {"application/geo+json", "application/json"})
    @Operation(operationId = "readGridMap", summary = "The grid cells of a unit's subtree as GeoJSON",
            description = "A GeoJSON FeatureCollection (RFC 7946) of the outlines of the grid cells (网格) in the"
                    + " communities within the unit (a community's own; a township's communities'; the whole city's),"
                    + " each with its code, name and community, in [longitude, latitude] (WGS84). Empty for a unit"
                    + " without any.")
    @ApiResponse(responseCode = "200", description = "The cells.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<GridMapJson.FeatureCollection> gridMap(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkViewUnit(person, unit.code());
            return GridMapJson.of(gridMap, unit.code());
        });
    }

    @GetMapping("/api/units/{code}/sources")
    @Operation(operationId = "listSources", summary = "List the channels a case can be reported by",
            description = "The sources a report may name (来源): the platform's own and those the figures are set to"
                    + " count (gridlink.stats.proactive-sources, gridlink.stats.hotline-sources), each marked proactive"
                    + " (主动发现) or hotline (热线) as the figures count it. A report naming another source is 422.")
    @ApiResponse(responseCode = "200", description = "The sources.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<ReportSources.Source>> sources(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Jurisdiction.checkViewUnit(person, node.requireServed(code).code());
            return sources.all();
        });
    }

    /** One person in a unit's roster, with what they answer for there. */
    public record RosterEntry(String username, String name, String unitCode, List<String> roles, String duty,
                              String department, List<String> grids, List<String> assignments, List<String> contracts) {

        static RosterEntry of(Roster.Member m, String duty) {
            return new RosterEntry(m.username(), m.name(), m.unit().value(),
                    m.roles().stream().map(Enum::name).sorted().toList(), duty, m.department(),
                    m.grids().stream().sorted().toList(), m.assignments().stream().map(UnitCode::value).sorted().toList(),
                    m.contracts().stream().map(UnitCode::value).sorted().toList());
        }
    }

    /** A grid cell and who patrols it. */
    public record GridDuty(String code, String name, List<String> gridWorkers) {
    }

    /** A department that acts on categories by default, and the officers of it who serve the unit. */
    public record DepartmentDuty(String department, List<String> categories, List<String> officers) {
    }

    /**
     * Who is responsible for what in a unit: its posts (handlers, supervisors, grid leaders), its grid cells and who
     * patrols each, the department officers who serve it (its own and those assigned down to it) with the categories
     * each department takes by default, and the leaders of the tier above who answer for it (分包).
     */
    public record RosterView(String unitCode, List<RosterEntry> posts, List<GridDuty> grids,
                             List<DepartmentDuty> departments, List<RosterEntry> officers, List<RosterEntry> leaders) {
    }

    @GetMapping("/api/units/{code}/roster")
    @Operation(operationId = "readRoster", summary = "Who is responsible for what in a unit",
            description = "The unit's posts, grid cells with their grid workers, the department officers who serve the"
                    + " unit (a DISPATCH may name one of them as officer) with the categories each department takes by"
                    + " default, and the leaders who answer for the unit (分包).")
    @ApiResponse(responseCode = "200", description = "The roster.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "403", description = "The unit is outside the caller's jurisdiction.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<RosterView> roster(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            Roster roster = node.directory().roster();
            List<Roster.Member> own = roster.of(unit.code());
            List<RosterEntry> posts = own.stream()
                    .filter(m -> !m.roles().contains(Role.DEPARTMENT_OFFICER) && !m.roles().contains(Role.CITIZEN))
                    .filter(m -> !(m.roles().equals(java.util.Set.of(Role.GRID_WORKER)) && m.grids().size() == 1))
                    .map(m -> RosterEntry.of(m, duty(m))).toList();
            List<GridDuty> grids = node.directory().gridCells(unit.code()).stream()
                    .map(c -> new GridDuty(c.code(), c.name(), roster.gridWorkersOf(unit.code(), c.code())))
                    .toList();
            List<Roster.Member> officers = roster.officersFor(unit.code());
            Map<String, List<String>> categoriesByDepartment = new TreeMap<>();
            node.directory().categories().forEach(c -> {
                if (c.department() != null) {
                    categoriesByDepartment.computeIfAbsent(c.department(), d -> new ArrayList<>()).add(c.code());
                }
            });
            List<DepartmentDuty> departments = categoriesByDepartment.entrySet().stream()
                    .map(e -> new DepartmentDuty(e.getKey(), e.getValue(), officers.stream()
                            .filter(o -> e.getKey().equals(o.department())).map(Roster.Member::username).toList()))
                    .toList();
            return new RosterView(unit.code().value(), posts, grids, departments,
                    officers.stream().map(m -> RosterEntry.of(m, m.unit().equals(unit.code())
                            ? "department officer of the unit" : "assigned to the unit by " + m.unit())).toList(),
                    roster.leadersOf(unit.code()).stream().map(m -> RosterEntry.of(m, "answers for the unit (分包)"))
                            .toList());
        });
    }

    private static String duty(Roster.Member m) {
        if (m.roles().contains(Role.SUPERVISOR)) {
            return "supervises: verifies, sends back for rework, closes, decides requests";
        }
        if (m.roles().contains(Role.HANDLER)) {
            return "takes in, handles, dispatches and escalates cases";
        }
        if (m.roles().contains(Role.LEADER)) {
            return "leader; answers for " + m.contracts().stream().map(UnitCode::value).sorted().toList();
        }
        if (m.roles().contains(Role.GRID_WORKER)) {
            return "grid leader of " + m.grids().stream().sorted().toList();
        }
        if (m.roles().contains(Role.ADMIN)) {
            return "administers the platform";
        }
        return String.join(", ", m.roles().stream().map(Enum::name).sorted().toList());
    }

    @GetMapping("/api/units/{code}/return-reasons")
    @Operation(operationId = "listReturnReasons", summary = "List the reasons for sending a dispatched case back",
            description = "The reason codes a RETURN_REQUEST picks from (退回原因).")
    @ApiResponse(responseCode = "200", description = "The reasons.")
    @ApiResponse(responseCode = "400", description = "A malformed unit code.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such unit on this node.", content = @Content)
    public Mono<List<ReturnReason>> returnReasons(@PathVariable String code, @AuthenticationPrincipal Person person) {
        return Mono.fromSupplier(() -> {
            Jurisdiction.checkViewUnit(person, node.requireServed(code).code());
            return node.directory().returnReasons();
        });
    }
}
