package org.gridlink.kernel.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * The unit's figures for a read: its own as computed at most {@code gridlink.stats.read-ttl} ago (as of then: the
     * answer's {@code asOf}), its children's as kept now.
     */
    public Mono<Subtree> subtree(Unit unit, Instant now) {
        LocalDate first = firstDay(now);
        String code = unit.code().value();
        Read read = ownForRead(code, first, now);
        return read.own().zipWith(store.children(code))
                .map(t -> subtree(unit, read.at(), first, t.getT1(), t.getT2()));
    }

    /** A unit's own figures computed for a read at {@code at}, shared by the reads within the read TTL. */
    private record Read(LocalDate first, Instant at, long nanos, Mono<UnitReport.Section> own) {
    }

    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    private Read ownForRead(String code, LocalDate first, Instant now) {
        Duration ttl = props.readTtl();
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            return new Read(first, now, 0, calculator.own(code, null, first, now));
        }
        long t = System.nanoTime();
        // a computation that failed is not shared: the next read computes again
        return reads.compute(code, (k, r) -> r != null && r.first().equals(first) && !r.at().isAfter(now)
                && t - r.nanos() < ttl.toNanos() ? r
                : new Read(first, now, t, calculator.own(code, null, first, now)
                        .cache(v -> ttl, e -> Duration.ZERO, () -> Duration.ZERO)));
    }

    private Subtree subtree(Unit unit, Instant now, LocalDate first, UnitReport.Section own,
                            List<UnitReportStore.Received> received) {
        Map<String, UnitReportStore.Received> reports = received.stream()
                .collect(Collectors.toMap(r -> r.report().unit(), Function.identity()));
        UnitReport.Section total = own;
        List<ChildRollup> children = new ArrayList<>();
        for (Unit child : node.directory().children(unit.code())) {
            UnitReportStore.Received r0 = reports.get(child.code().value());
            if (r0 == null) {
                children.add(new ChildRollup(child, null, true, null));
                continue;
            }
            UnitReport r = r0.report();
            total = total.plus(r.subtree().since(first));
            long age = Math.max(0, Duration.between(r.reportedAt(), now).toSeconds());
            boolean stale = Duration.between(r.reportedAt(), now).compareTo(props.staleAfterOrDefault()) > 0;
            children.add(new ChildRollup(child, r, stale, age));
        }
        return new Subtree(unit, now, own, total, children);
    }

    /** The unit's own figures for one of its grid cells (community level). */
    public Mono<UnitReport.Section> gridCell(Unit community, String gridCode, Instant now) {
        return calculator.own(community.code().value(), gridCode, firstDay(now), now);
    }

    /**
     * How long before a unit's last computation its figures are computed again, besides the days of the cases whose
     * timelines changed since: what happened without a timeline entry (a supervision notice sent) is dated at the
     * time it happened, and a transaction may commit a little after the time it wrote.
     */
    static final Duration SETTLE = Duration.ofMinutes(5);

    /**
     * A unit's own counts per day as last computed here (without {@code overdue}, which is always read whole), and the
     * own section reported from them.
     */
    private record Kept(SortedMap<LocalDate, SortedMap<String, Long>> days, Instant computedAt, Instant wholeAt,
                        UnitReport.Section own) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /**
     * The reports this node sends up for {@code units}, computed together. A unit's own figures are computed again
     * only from the first day that can have changed since they were last computed here: the first day of every case
     * whose timeline at the unit changed since ({@code touched}, the earliest per unit), and the day of the last
     * computation less {@link #SETTLE}; the days before are kept. Every {@code gridlink.stats.whole-interval} a
     * unit's figures are computed whole (so that a change the timeline did not show, such as an entry whose sequence
     * number was handed out before an earlier one was seen, is counted within it), and always when there is nothing
     * kept or the clock went back. A unit of {@code subtreeOnly} (reported because a child's report changed its
     * subtree) takes its own figures as last computed, without a query, when there are any and the clock did not go
     * back since.
     */
    public Mono<List<UnitReport>> reports(List<Unit> units, Map<String, LocalDate> touched, Set<String> subtreeOnly) {
        Instant now = clock.instant();
        LocalDate first = firstDay(now);
        List<String> whole = new ArrayList<>();
        Map<String, LocalDate> partial = new HashMap<>();
        Map<String, UnitReport.Section> reused = new HashMap<>();
        for (Unit unit : units) {
            String code = unit.code().value();
            Kept k = kept.get(code);
            if (subtreeOnly.contains(code) && k != null && !k.computedAt().isAfter(now)) {
                reused.put(code, k.own().since(first));
                continue;
            }
            // wholeAt is never after computedAt: a clock gone back shows in computedAt
            if (k == null || k.computedAt().isAfter(now)
                    || !Duration.between(k.wholeAt(), now).minus(props.wholeInterval()).isNegative()) {
                whole.add(code);
                continue;
            }
            LocalDate since = today(k.computedAt().minus(SETTLE));
            LocalDate changed = touched.get(code);
            if (changed != null && changed.isBefore(since)) {
                since = changed;
            }
            partial.put(code, since.isBefore(first) ? first : since);
        }
        LocalDate partialSince = partial.values().stream().min(Comparator.naturalOrder()).orElse(first);
        Mono<Map<String, RollupCalculator.Own>> wholeOnes = whole.isEmpty() ? Mono.just(Map.of())
                : calculator.compute(whole, null, first, first, now);
        Mono<Map<String, RollupCalculator.Own>> partialOnes = partial.isEmpty() ? Mono.just(Map.of())
                : calculator.compute(partial.keySet(), null, partialSince, first, now);
        List<String> codes = units.stream().map(u -> u.code().value()).toList();
        return Mono.zip(wholeOnes, partialOnes, store.children(codes), store.nextSequences(units.size())).map(t -> {
            List<UnitReport> reports = new ArrayList<>();
            for (int i = 0; i < units.size(); i++) {
                Unit unit = units.get(i);
                String code = codes.get(i);
                List<UnitReportStore.Received> children = t.getT3().getOrDefault(code, List.of());
                if (reused.containsKey(code)) {
                    reports.add(report(unit, now, first, reused.get(code), children, t.getT4().get(i)));
                    continue;
                }
                boolean isWhole = !partial.containsKey(code);
                RollupCalculator.Own computed = (isWhole ? t.getT1() : t.getT2())
                        .getOrDefault(code, RollupCalculator.Own.NONE);
                Kept before = kept.get(code);
                SortedMap<LocalDate, SortedMap<String, Long>> earlier = isWhole ? Collections.emptySortedMap()
                        : before.days().subMap(first, partialSince);
                TreeMap<LocalDate, SortedMap<String, Long>> days = new TreeMap<>(earlier);
                days.putAll(computed.days());
                UnitReport.Section own = computed.section(earlier, first);
                kept.put(code, new Kept(Collections.unmodifiableSortedMap(days.tailMap(first, true)), now,
                        isWhole ? now : before.wholeAt(), own));
                reports.add(report(unit, now, first, own, children, t.getT4().get(i)));
            }
            return reports;
        });
    }

    private UnitReport report(Unit unit, Instant now, LocalDate first, UnitReport.Section own,
                              List<UnitReportStore.Received> received, long sequence) {
        Subtree s = subtree(unit, now, first, own, received);
        List<UnitReport.ChildRef> refs = s.children().stream().filter(c -> c.report() != null)
                .map(c -> new UnitReport.ChildRef(c.unit().code().value(), c.report().reportedAt(), c.report().sequence()))
                .toList();
        return new UnitReport(unit.code().value(), unit.code().parent().map(org.gridlink.contracts.UnitCode::value).orElse(null), now,
                sequence, props.zone().getId(), s.own(), s.subtree(), refs);
    }
}
