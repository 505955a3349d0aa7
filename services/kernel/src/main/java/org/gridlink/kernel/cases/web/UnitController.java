package org.gridlink.kernel.cases.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.units.Category;
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

    public UnitController(NodeUnits node) {
        this.node = node;
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

    public record UnitView(String code, String name, String nameEn, String tier, UnitRef parent, List<UnitRef> children,
                           List<GridCellView> gridCells) {
    }

    @GetMapping("/api/units/{code}")
    @Operation(operationId = "readUnit", summary = "Read a unit",
            description = "The unit with its parent, its child units and, for a community, its grid cells.")
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
                    node.directory().gridCells(unit.code()).stream().map(GridCellView::of).toList());
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
}
