package org.gridlink.community.patrol;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.AccessRefusedException;
import org.gridlink.kernel.access.Jurisdiction;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.KeyedIds;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.geo.GridMap;
import org.gridlink.kernel.support.web.Ids;
import org.gridlink.kernel.units.GridCell;
import org.gridlink.kernel.units.Unit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Patrols (巡查) at a community: a grid worker starts one in a cell of theirs, checks in at places on the way and ends
 * it; the unit's staff read them and each day's coverage of the cells. One patrol under way per person.
 */
@Service
public class Patrols {

    /** The most patrols a day's list or coverage reads. */
    static final int DAY_LIMIT = 2000;
    /** The most patrols a ledger lists. */
    static final int LEDGER_LIMIT = 10_000;

    private final PatrolStore store;
    private final NodeUnits node;
    private final GridMap map;
    private final Clock clock;

    public Patrols(PatrolStore store, NodeUnits node, GridMap map, Clock clock) {
        this.store = store;
        this.node = node;
        this.map = map;
        this.clock = clock;
    }

    /** A patrol, and whether this request started it (false: the same start sent again under its key). */
    public record Started(Patrol patrol, boolean created) {
    }

    public Mono<Started> start(String code, String gridCode, String note, Person person, String key) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            GridCell cell = cellOf(unit, gridCode);
            Jurisdiction.checkPatrol(person, unit.code(), cell.code());
            UUID id = key == null ? UUID.randomUUID() : KeyedIds.of("patrol", key, unit.code(), person.username());
            Mono<Started> again = store.find(unit.code(), id).flatMap(kept -> {
                if (!kept.patrol().gridCode().equals(cell.code())) {
                    return Mono.error(InvalidRequestException.unprocessable("Idempotency-Key", "the Idempotency-Key"
                            + " started patrol " + id + " in " + kept.patrol().gridCode() + " before; use a new key for"
                            + " another patrol"));
                }
                return complete(kept.patrol()).map(p -> new Started(p, false));
            });
            Mono<Started> fresh = store.underWay(person.username())
                    .flatMap(open -> Mono.<Started>error(underWayAlready(open.patrol())))
                    .switchIfEmpty(Mono.defer(() -> store.start(id, unit.code(), cell.code(), person.username(),
                                    person.name(), clock.instant(), blankAsNull(note))
                            .onErrorResume(DuplicateKeyException.class, raced -> store.underWay(person.username())
                                    .flatMap(open -> Mono.error(underWayAlready(open.patrol()))))
                            .then(store.find(unit.code(), id))
                            .flatMap(kept -> complete(kept.patrol()))
                            .map(p -> new Started(p, true))));
            return again.switchIfEmpty(fresh);
        });
    }

    public Mono<Patrol> checkIn(String code, String patrolId, double lat, double lon, String note, Person person,
                                String key) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            UUID id = Ids.parse("patrolId", patrolId, "a patrol id");
            return require(unit, id).flatMap(row -> {
                Patrol patrol = row.patrol();
                Jurisdiction.checkPatrol(person, unit.code(), patrol.gridCode());
                if (!patrol.patroller().equals(person.username())) {
                    throw new AccessRefusedException(person.username() + " checks in on"
                            + " their own patrols; " + id + " is " + patrol.patroller() + "'s");
                }
                UUID request = key == null ? null
                        : KeyedIds.of("patrol check-in", key, unit.code(), person.username(), id);
                String cell = map.cellAt(lat, lon).filter(c -> c.community().equals(unit.code()))
                        .map(GridMap.Cell::code).orElse(null);
                Mono<Patrol> sentBefore = request == null ? Mono.empty() : store.checkedInBy(request)
                        .flatMap(made -> made.equals(id) ? require(unit, id).flatMap(r -> complete(r.patrol()))
                                : Mono.error(InvalidRequestException.unprocessable("Idempotency-Key", "the"
                                + " Idempotency-Key checked in on patrol " + made + " before; use a new key")));
                return sentBefore.switchIfEmpty(Mono.defer(() -> store.checkIn(unit.code(), id, request,
                                clock.instant(), lat, lon, cell, blankAsNull(note))
                        .flatMap(seq -> require(unit, id).flatMap(r -> complete(r.patrol())))
                        .switchIfEmpty(Mono.defer(() -> require(unit, id).flatMap(r -> Mono.error(
                                new PatrolConflictException("patrol " + id + " ended at " + r.patrol().endedAt()
                                        + " (by " + r.patrol().endedBy() + "); a check-in goes on a patrol under way"
                                        + ": start a new one")))))));
            });
        });
    }

    public Mono<Patrol> end(String code, String patrolId, String note, Person person, String key) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            UUID id = Ids.parse("patrolId", patrolId, "a patrol id");
            return require(unit, id).flatMap(row -> {
                Jurisdiction.checkEndPatrol(person, unit.code(), row.patrol().patroller());
                UUID request = key == null ? null : KeyedIds.of("patrol end", key, unit.code(), person.username(), id);
                return store.end(unit.code(), id, clock.instant(), person.username(), blankAsNull(note), request)
                        .flatMap(ended -> require(unit, id).flatMap(now -> ended
                                || request != null && request.equals(now.endRequest()) ? complete(now.patrol())
                                : Mono.error(new PatrolConflictException("patrol " + id + " ended already at "
                                        + now.patrol().endedAt() + " (by " + now.patrol().endedBy() + ")"))));
            });
        });
    }

    public Mono<Patrol> get(String code, String patrolId, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            return require(unit, Ids.parse("patrolId", patrolId, "a patrol id")).flatMap(row -> complete(row.patrol()));
        });
    }

    /** The unit's patrols started on the day (in the calendar's zone; null: today), newest first. */
    public Mono<List<Patrol>> ofDay(String code, LocalDate day, String gridCode, String patroller, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            String cell = blankAsNull(gridCode) == null ? null : cellOf(unit, gridCode).code();
            return ofDay(unit, day == null ? today() : day, cell, patroller);
        });
    }

    /**
     * The unit's patrols started from {@code from} to {@code to} (days in the calendar's zone, both included; null:
     * today), newest first, at most one more than {@link #LEDGER_LIMIT} (which says the ledger, 巡查台账, is cut).
     */
    public Mono<List<Patrol>> between(String code, LocalDate from, LocalDate to, String gridCode, String patroller,
                                      Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            LocalDate first = from != null ? from : to != null ? to : today();
            LocalDate last = to != null ? to : from != null ? from : today();
            if (first.isAfter(last)) {
                throw InvalidRequestException.malformed("from", "from " + first + " is after to " + last);
            }
            String cell = blankAsNull(gridCode) == null ? null : cellOf(unit, gridCode).code();
            return store.list(unit.code(), first.atStartOfDay(zone()).toInstant(),
                            last.plusDays(1).atStartOfDay(zone()).toInstant(), cell, blankAsNull(patroller),
                            LEDGER_LIMIT + 1)
                    .collectList().flatMap(this::complete);
        });
    }

    /** The unit's patrols under way now, whatever day they started (one per person at most), newest first. */
    public Mono<List<Patrol>> underWay(String code, String patroller, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            return store.underWay(unit.code(), blankAsNull(patroller), DAY_LIMIT).collectList().flatMap(this::complete);
        });
    }

    /** Each of the unit's cells on the day: who patrols it and how it was patrolled. */
    public Mono<PatrolCoverage> coverage(String code, LocalDate day, Person person) {
        return Mono.defer(() -> {
            Unit unit = node.requireServed(code);
            Jurisdiction.checkQueue(person, unit.code());
            LocalDate on = day == null ? today() : day;
            Map<String, List<String>> workers = new LinkedHashMap<>();
            node.directory().gridCells(unit.code()).forEach(c -> workers.put(c.code(),
                    node.directory().roster().gridWorkersOf(unit.code(), c.code())));
            return ofDay(unit, on, null, null).map(patrols -> PatrolCoverage.of(unit.code(), on,
                    node.directory().gridCells(unit.code()), workers, patrols, clock.instant()));
        });
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone()));
    }

    public ZoneId zone() {
        return node.directory().calendar().zone();
    }

    private Mono<List<Patrol>> ofDay(Unit unit, LocalDate day, String gridCode, String patroller) {
        Instant from = day.atStartOfDay(zone()).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone()).toInstant();
        return store.list(unit.code(), from, to, gridCode, blankAsNull(patroller), DAY_LIMIT).collectList()
                .flatMap(this::complete);
    }

    private Mono<PatrolStore.Row> require(Unit unit, UUID id) {
        return store.find(unit.code(), id).switchIfEmpty(Mono.error(() -> new UnknownPatrolException(
                unit.name() + " (" + unit.code() + ") keeps no patrol " + id)));
    }

    private Mono<Patrol> complete(Patrol patrol) {
        return complete(List.of(patrol)).map(list -> list.get(0));
    }

    /** The patrols with their check-ins and what each found. */
    private Mono<List<Patrol>> complete(List<Patrol> patrols) {
        if (patrols.isEmpty()) {
            return Mono.just(List.of());
        }
        Instant now = clock.instant();
        Set<String> patrollers = patrols.stream().map(Patrol::patroller).collect(Collectors.toSet());
        Instant from = patrols.stream().map(Patrol::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant to = patrols.stream().map(p -> p.endedAt() != null ? p.endedAt() : now).max(Comparator.naturalOrder())
                .orElseThrow();
        UnitCode unit = patrols.get(0).unit();
        return Mono.zip(store.points(patrols.stream().map(Patrol::id).toList()),
                        Flux.from(store.reported(unit, patrollers, from, to)).collectList())
                .map(t -> patrols.stream()
                        .map(p -> p.withPoints(t.getT1().getOrDefault(p.id(), List.of()))
                                .withFindings(t.getT2().stream().filter(f -> p.found(f, now)).toList()))
                        .toList());
    }

    private GridCell cellOf(Unit unit, String gridCode) {
        if (gridCode == null || gridCode.isBlank()) {
            throw InvalidRequestException.malformed("gridCode", "gridCode is required: the grid cell patrolled");
        }
        List<GridCell> cells = node.directory().gridCells(unit.code());
        return cells.stream().filter(c -> c.code().equals(gridCode.strip())).findFirst()
                .orElseThrow(() -> InvalidRequestException.unprocessable("gridCode", "grid cell '" + gridCode
                        + "' is not a cell of " + unit.name() + " (" + unit.code() + "); its cells are "
                        + cells.stream().map(GridCell::code).collect(Collectors.joining(", "))));
    }

    private static PatrolConflictException underWayAlready(Patrol open) {
        return new PatrolConflictException(open.patroller() + " has patrol " + open.id() + " under way in "
                + open.gridCode() + " since " + open.startedAt() + "; end it before starting another");
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** A patrol's state that does not allow the request (one under way already, a check-in on an ended one). */
    public static class PatrolConflictException extends RuntimeException {
        PatrolConflictException(String message) {
            super(message);
        }
    }

    /** The unit keeps no such patrol. */
    public static class UnknownPatrolException extends RuntimeException {
        UnknownPatrolException(String message) {
            super(message);
        }
    }
}
