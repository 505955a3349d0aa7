package org.gridlink.kernel.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.units.Unit;
import reactor.core.publisher.Mono;

/**
 * A unit's roll-up as this node knows it: the unit's own figures, computed from this node's tables, plus the
 * latest subtree roll-up each child unit reported. A child that stopped reporting keeps its last figures, marked
 * stale with their age — never zeros.
 */
public class Rollups {

    private final RollupCalculator calculator;
    private final UnitReportStore store;
    private final NodeUnits node;
    private final StatsProperties props;
    private final Clock clock;

    public Rollups(RollupCalculator calculator, UnitReportStore store, NodeUnits node, StatsProperties props, Clock clock) {
        this.calculator = calculator;
        this.store = store;
        this.node = node;
        this.props = props;
        this.clock = clock;
    }

    /** A child unit's latest report (null when it never reported) and how old it is. */
    public record ChildRollup(Unit unit, UnitReport report, boolean stale, Long ageSeconds) {
    }

    /** A unit's figures: its own, its subtree's (own plus every child's latest subtree), and the children's. */
    public record Subtree(Unit unit, Instant asOf, UnitReport.Section own, UnitReport.Section subtree,
                          List<ChildRollup> children) {
    }

    public Instant now() {
        return clock.instant();
    }

    public StatsProperties settings() {
        return props;
    }

    public NodeUnits node() {
        return node;
    }

    public LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, props.zone());
    }

    /** The first day a roll-up carries. */
    public LocalDate firstDay(Instant now) {
        return today(now).minusDays(props.windowDays() - 1L);
    }

    public Mono<Subtree> subtree(Unit unit, Instant now) {
        LocalDate first = firstDay(now);
        String code = unit.code().value();
        return calculator.own(code, null, first, now).zipWith(store.children(code)).map(t -> {
            Map<String, UnitReportStore.Received> reports = t.getT2().stream()
                    .collect(Collectors.toMap(r -> r.report().unit(), Function.identity()));
            UnitReport.Section total = t.getT1();
            List<ChildRollup> children = new ArrayList<>();
            for (Unit child : node.directory().children(unit.code())) {
                UnitReportStore.Received received = reports.get(child.code().value());
                if (received == null) {
                    children.add(new ChildRollup(child, null, true, null));
                    continue;
                }
                UnitReport r = received.report();
                total = total.plus(r.subtree().since(first));
                long age = Math.max(0, Duration.between(r.reportedAt(), now).toSeconds());
                boolean stale = Duration.between(r.reportedAt(), now).compareTo(props.staleAfterOrDefault()) > 0;
                children.add(new ChildRollup(child, r, stale, age));
            }
            return new Subtree(unit, now, t.getT1(), total, children);
        });
    }

    /** The unit's own figures for one of its grid cells (community level). */
    public Mono<UnitReport.Section> gridCell(Unit community, String gridCode, Instant now) {
        return calculator.own(community.code().value(), gridCode, firstDay(now), now);
    }

    /** The report this node sends up for {@code unit}. */
    public Mono<UnitReport> report(Unit unit) {
        Instant now = clock.instant();
        return subtree(unit, now).zipWith(store.nextSequence()).map(t -> {
            Subtree s = t.getT1();
            List<UnitReport.ChildRef> refs = s.children().stream().filter(c -> c.report() != null)
                    .map(c -> new UnitReport.ChildRef(c.unit().code().value(), c.report().reportedAt(), c.report().sequence()))
                    .toList();
            return new UnitReport(unit.code().value(), unit.code().parent().map(org.gridlink.contracts.UnitCode::value).orElse(null), now,
                    t.getT2(), props.zone().getId(), s.own(), s.subtree(), refs);
        });
    }
}
