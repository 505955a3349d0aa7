package org.gridlink.kernel.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Settle settle;

    public Rollups(RollupCalculator calculator, UnitReportStore store, NodeUnits node, StatsProperties props, Clock clock) {
        this.calculator = calculator;
        this.store = store;
        this.node = node;
        this.props = props;
        this.clock = clock;
        this.settle = new Settle(props.settle(), props.wholeInterval().compareTo(Settle.LONGEST) < 0
                ? props.wholeInterval() : Settle.LONGEST, System::nanoTime);
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

    /** How far back the next computation counts again what it counted before (widened by late commits). */
    Settle settle() {
        return settle;
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
     * answer's {@code asOf}; from what the publisher keeps, {@link #ownNow}), its children's as kept now.
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
            return new Read(first, now, 0, ownNow(code, first, now));
        }
        long t = System.nanoTime();
        // a computation that failed is not shared: the next read computes again
        return reads.compute(code, (k, r) -> r != null && r.first().equals(first) && !r.at().isAfter(now)
                && t - r.nanos() < ttl.toNanos() ? r
                : new Read(first, now, t, ownNow(code, first, now)
                        .cache(v -> ttl, e -> Duration.ZERO, () -> Duration.ZERO)));
    }

    /**
     * A unit's own figures now, for a read: from what its last report's computation kept ({@link #reports}), as the
     * publisher's next computation would go on from it, unless the unit's last whole computation is too old (below).
     * What happened before it is taken as kept; it is computed again from the settle before that computation on, or
     * from the first day of a case whose timeline at the unit changed since (the timeline's entries the publisher had
     * not seen then, {@link RollupCalculator#firstOfChanged}), whichever is earlier; and the
     * figures now are computed. So a read of a unit with a year of records reads its last seconds, not the year
     * (issue 8: 3.0 s for a community of 55 555 records, whole), and counts what its reports up the tiers count.
     * The whole window is computed when nothing is kept (the publisher not started, or paused), when the clock went
     * back since, and when the last whole computation is older than twice the whole interval (the publisher computes
     * each unit at least every heartbeat, whole once the interval passed: a round or two later on a node whose rounds
     * are long, and not at all when it has stopped): what the timeline cannot show (a supervision notice or a patrol
     * committed later than the settle after its time) is counted within that.
     */
    private Mono<UnitReport.Section> ownNow(String code, LocalDate first, Instant now) {
        Kept k = kept.get(code);
        if (k == null || k.computedAt().isAfter(now)
                || due(k.wholeAt(), props.wholeInterval().multipliedBy(2), now)) {
            return calculator.own(code, null, first, now);
        }
        Instant windowStart = first.atStartOfDay(props.zone()).toInstant();
        return calculator.firstOfChanged(code, k.seen()).flatMap(changed -> {
            Instant since = goOn(k, changed.orElse(null), windowStart);
            SortedMap<LocalDate, SortedMap<String, Long>> earlier = keptBefore(k, since, first);
            return calculator.compute(Map.of(code, since), null, now, first, now, Set.of(code))
                    .map(all -> all.getOrDefault(code, RollupCalculator.Own.NONE).section(earlier, first));
        });
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

    /**
     * The unit's own figures for one of its grid cells (community level), as an assessment ranks it: per day from
     * {@code from} (not before the window's first day) on, and of the figures now only the cell itself
     * ({@link RollupCalculator#days}). Every count of a day lies at or after that day's start, so the days from
     * {@code from} on are exact without reading the days before (a month's assessment reads its month and after, not
     * the window: at issue 8's 55 555 records a community, one cell's reports by category took 1.0–1.9 s over the
     * window and 6 ms over the month's first days).
     */
    public Mono<UnitReport.Section> gridCell(Unit community, String gridCode, LocalDate from, Instant now) {
        LocalDate first = firstDay(now);
        return calculator.days(community.code().value(), gridCode, from.isBefore(first) ? first : from, now);
    }

    /**
     * A unit's own counts per day of what happened before {@code settledAt}, as last computed here (without
     * {@code overdue}, which is always read whole); when it was computed, when last over the whole window; and the own
     * section reported then.
     */
    private record Kept(SortedMap<LocalDate, SortedMap<String, Long>> settled, Instant settledAt, Instant computedAt,
                        Instant wholeAt, Instant currentAt, UnitReport.Section own, TimelineSeen seen) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /**
     * The reports this node sends up for {@code units}, computed together. A unit's own figures are computed again
     * only from the earliest time that can have changed since they were last computed here; what happened before it
     * is kept. That time is the settle ({@link Settle}: {@code gridlink.stats.settle}, widened while commits come
     * late) before the last computation (what committed late, and what happened without a timeline entry, such as a
     * supervision notice sent, dated when it happened), or, when a
     * case whose timeline at the unit changed since ({@code touched}: the earliest first entry of those cases, per
     * unit) began before it, the start of that case's first day. Every count of a case lies at or after its first
     * entry at the unit, so this is exact (an entry committed after one numbered above it was seen is found too, in
     * the gaps {@link UnseenEntries} keeps). Every {@code gridlink.stats.whole-interval} a unit's figures are computed
     * whole (so that what no entry shows, such as a supervision notice committed later than the settle after its time,
     * is counted within it), and always when there is nothing kept or the clock went back. A
     * unit of {@code subtreeOnly} (reported because a child's report changed its subtree) takes its own figures as
     * last computed, without a query, when there are any and the clock did not go back since. {@code seen} is which
     * timeline entries the publisher had looked at when it found {@code touched}: kept with what is computed, a read
     * goes on from there ({@link #ownNow}).
     */
    public Mono<List<UnitReport>> reports(List<Unit> units, Map<String, Instant> touched, Set<String> subtreeOnly,
                                          TimelineSeen seen) {
        Instant now = clock.instant();
        LocalDate first = firstDay(now);
        Instant windowStart = first.atStartOfDay(props.zone()).toInstant();
        Instant split = now.minus(settle.current());
        Set<String> whole = new HashSet<>();
        Set<String> nowFor = new HashSet<>();
        Map<String, Instant> since = new HashMap<>();
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
                    || due(k.wholeAt(), props.wholeInterval(), now)) {
                whole.add(code);
                nowFor.add(code);
                since.put(code, windowStart);
                continue;
            }
            if (due(k.currentAt(), props.nowInterval(), now)) {
                nowFor.add(code);
            }
            since.put(code, goOn(k, touched.get(code), windowStart));
        }
        Mono<Map<String, RollupCalculator.Own>> computed = since.isEmpty() ? Mono.just(Map.of())
                : calculator.compute(since, null, split, first, now, nowFor);
        List<String> codes = units.stream().map(u -> u.code().value()).toList();
        return Mono.zip(computed, store.children(codes), store.nextSequences(units.size())).map(t -> {
            List<UnitReport> reports = new ArrayList<>();
            for (int i = 0; i < units.size(); i++) {
                Unit unit = units.get(i);
                String code = codes.get(i);
                List<UnitReportStore.Received> children = t.getT2().getOrDefault(code, List.of());
                if (reused.containsKey(code)) {
                    reports.add(report(unit, now, first, reused.get(code), children, t.getT3().get(i)));
                    continue;
                }
                Kept before = kept.get(code);
                boolean nowComputed = nowFor.contains(code);
                RollupCalculator.Own own = t.getT1().getOrDefault(code, RollupCalculator.Own.NONE);
                if (!nowComputed) {
                    own = own.withCurrent(new TreeMap<>(before.own().current()));
                }
                Instant from = since.get(code);
                // what happened before this computation's since, as kept (nothing when it is whole)
                SortedMap<LocalDate, SortedMap<String, Long>> earlier = whole.contains(code)
                        ? Collections.emptySortedMap() : keptBefore(before, from, first);
                TreeMap<LocalDate, SortedMap<String, Long>> settled = new TreeMap<>();
                RollupCalculator.add(settled, earlier);
                RollupCalculator.add(settled, own.settled());
                UnitReport.Section section = own.section(earlier, first);
                kept.put(code, new Kept(Collections.unmodifiableSortedMap(settled.tailMap(first, true)),
                        split.isAfter(from) ? split : from, now,
                        before == null ? now.minus(stagger(code)) : whole.contains(code) ? now : before.wholeAt(),
                        nowComputed ? now : before.currentAt(), section, seen));
                reports.add(report(unit, now, first, section, children, t.getT3().get(i)));
            }
            return reports;
        });
    }

    /**
     * Where a computation of a unit's own figures goes on from what {@code k} kept: the settle before that computation,
     * or the start of the day of {@code changed} (the earliest first entry of the cases changed since, or null) when
     * that is earlier; never before the window.
     */
    private Instant goOn(Kept k, Instant changed, Instant windowStart) {
        Instant from = k.settledAt();
        if (changed != null && changed.isBefore(from)) {
            from = today(changed).atStartOfDay(props.zone()).toInstant();
        }
        return from.isBefore(windowStart) ? windowStart : from;
    }

    /**
     * What {@code k} kept of what happened before a computation from {@code since} ({@link #goOn}): everything settled
     * when it goes on from the settle, else the days before the day it starts.
     */
    private SortedMap<LocalDate, SortedMap<String, Long>> keptBefore(Kept k, Instant since, LocalDate first) {
        return since.equals(k.settledAt()) ? k.settled().tailMap(first) : k.settled().subMap(first, today(since));
    }

    /** Whether {@code interval} has passed from {@code last} to {@code now}. */
    private static boolean due(Instant last, Duration interval, Instant now) {
        return !now.isBefore(last.plus(interval));
    }

    /**
     * How much earlier than its first computation a unit's last whole computation is taken to be: the units a node
     * serves are all computed whole when it starts, and without this every unit's next one would fall due in the same
     * round, every whole interval (at 100 cases/s a round of 18 communities' whole days took about a second, while
     * the cases beside it waited). Spread by the unit's code over the interval, the same on every start.
     */
    Duration stagger(String code) {
        long interval = props.wholeInterval().toMillis();
        return interval <= 0 ? Duration.ZERO : Duration.ofMillis(Math.floorMod(code.hashCode() * 2654435761L, interval));
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
