package org.gridlink.kernel.units;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;

/** The administrative tree, grid cells and categories of the city, as loaded from the seeds. */
public final class UnitDirectory {

    private final Map<UnitCode, Unit> units;
    private final Map<UnitCode, List<Unit>> children;
    private final Map<UnitCode, List<GridCell>> gridCells;
    private final Map<String, Category> categories;

    public UnitDirectory(Collection<Unit> units, Collection<GridCell> cells, Collection<Category> categories) {
        this.units = units.stream().collect(Collectors.toUnmodifiableMap(Unit::code, Function.identity()));
        this.children = units.stream().filter(u -> u.code().parent().isPresent())
                .sorted(Comparator.comparing(Unit::code))
                .collect(Collectors.groupingBy(u -> u.code().parent().orElseThrow(), Collectors.toUnmodifiableList()));
        this.gridCells = cells.stream().sorted(Comparator.comparing(GridCell::code))
                .collect(Collectors.groupingBy(GridCell::community, Collectors.toUnmodifiableList()));
        this.categories = categories.stream().collect(Collectors.toUnmodifiableMap(Category::code, Function.identity()));
    }

    public Optional<Unit> find(UnitCode code) {
        return Optional.ofNullable(units.get(code));
    }

    public Optional<Unit> find(String code) {
        return UnitCode.isValid(code) ? find(UnitCode.of(code)) : Optional.empty();
    }

    public List<Unit> children(UnitCode code) {
        return children.getOrDefault(code, List.of());
    }

    public Optional<Unit> parent(UnitCode code) {
        return code.parent().flatMap(this::find);
    }

    public List<Unit> ofTier(Tier tier) {
        return units.values().stream().filter(u -> u.tier() == tier).sorted(Comparator.comparing(Unit::code)).toList();
    }

    public List<GridCell> gridCells(UnitCode community) {
        return gridCells.getOrDefault(community, List.of());
    }

    public Optional<Category> category(String code) {
        return Optional.ofNullable(code == null ? null : categories.get(code));
    }

    public List<Category> categories() {
        return categories.values().stream().sorted(Comparator.comparing(Category::code)).toList();
    }

    public int size() {
        return units.size();
    }
}
