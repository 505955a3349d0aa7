package org.gridlink.kernel.units;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gridlink.contracts.Tier;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.calendar.HolidayNotice;
import org.gridlink.kernel.calendar.StageLimits;
import org.gridlink.kernel.calendar.WorkingCalendar;

/** The administrative tree, grid cells, categories with their stage time limits and the working calendar of the city, as loaded from the seeds. */
public final class UnitDirectory {

    private final Map<UnitCode, Unit> units;
    private final Map<UnitCode, List<Unit>> children;
    private final Map<UnitCode, List<GridCell>> gridCells;
    private final Map<String, Category> categories;
    private final Map<String, StageLimits> limits;
    /** The seeds' calendar, and the one in use: the seeds' with each year the city published since ({@link #publish}). */
    private final WorkingCalendar seedCalendar;
    private final AtomicReference<WorkingCalendar> calendar = new AtomicReference<>();
    private final Roster roster;
    private final List<ReturnReason> returnReasons;

    /** {@code limits} holds the stage limits of every category, by category code. */
    public UnitDirectory(Collection<Unit> units, Collection<GridCell> cells, Collection<Category> categories,
                         Map<String, StageLimits> limits, WorkingCalendar calendar) {
        this(units, cells, categories, limits, calendar, new Roster(List.of()), List.of());
    }

    /** With the people of the city (the roster) and the reasons a receiver may give to send a case back. */
    public UnitDirectory(Collection<Unit> units, Collection<GridCell> cells, Collection<Category> categories,
                         Map<String, StageLimits> limits, WorkingCalendar calendar, Roster roster,
                         List<ReturnReason> returnReasons) {
        this.roster = Objects.requireNonNull(roster, "roster");
        this.returnReasons = List.copyOf(returnReasons);
        this.units = units.stream().collect(Collectors.toUnmodifiableMap(Unit::code, Function.identity()));
        this.children = units.stream().filter(u -> u.code().parent().isPresent())
                .sorted(Comparator.comparing(Unit::code))
                .collect(Collectors.groupingBy(u -> u.code().parent().orElseThrow(), Collectors.toUnmodifiableList()));
        this.gridCells = cells.stream().sorted(Comparator.comparing(GridCell::code))
                .collect(Collectors.groupingBy(GridCell::community, Collectors.toUnmodifiableList()));
        this.categories = categories.stream().collect(Collectors.toUnmodifiableMap(Category::code, Function.identity()));
        this.limits = Map.copyOf(limits);
        this.seedCalendar = Objects.requireNonNull(calendar, "calendar");
        this.calendar.set(calendar);
        List<String> without = this.categories.keySet().stream().filter(c -> !this.limits.containsKey(c)).sorted().toList();
        if (!without.isEmpty()) {
            throw new IllegalArgumentException("categories without stage time limits: " + without);
        }
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

    /**
     * The time limits per stage of a category. Kept beside {@link Category} rather than in it, because categories
     * are served as they are by the unit API.
     */
    public Optional<StageLimits> limits(String categoryCode) {
        return Optional.ofNullable(categoryCode == null ? null : limits.get(categoryCode));
    }

    /**
     * The working calendar that time limits in working hours and days run on: the seeds', with the years the city
     * published since ({@link #publish}).
     */
    public WorkingCalendar calendar() {
        return calendar.get();
    }

    /** The working calendar of the seeds, before any year the city published. */
    public WorkingCalendar seedCalendar() {
        return seedCalendar;
    }

    /**
     * The seeds' calendar with {@code published} (each year's notice as the city published it, in place of the seeds'
     * listing of that year), not yet in use ({@link #use}). A notice that does not fit the seeds' calendar (a make-up
     * working day on a weekday, ...) is refused as a whole.
     */
    public WorkingCalendar withPublished(Collection<HolidayNotice> published) {
        WorkingCalendar next = seedCalendar;
        for (HolidayNotice notice : published) {
            next = next.withYear(notice);
        }
        return next;
    }

    /** Puts the calendar in use: the due times computed from then on run on it. */
    public void use(WorkingCalendar next) {
        calendar.set(Objects.requireNonNull(next));
    }

    /** Who works where: grid workers, handlers, supervisors, officers and leaders (seeds: people.json). */
    public Roster roster() {
        return roster;
    }

    /** The reasons from which a receiver picks when asking to send a dispatched case back. */
    public List<ReturnReason> returnReasons() {
        return returnReasons;
    }

    public Optional<ReturnReason> returnReason(String code) {
        return returnReasons.stream().filter(r -> r.code().equals(code)).findFirst();
    }

    public int size() {
        return units.size();
    }
}
