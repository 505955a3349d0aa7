package org.gridlink.kernel.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When each served unit reports (the publisher's rounds ask it, {@code UnitReportPublisher}). A unit reports
 * <ul>
 * <li>for a change of its <b>own</b> records at most once per {@code gridlink.stats.publish-interval}: its own figures
 * are computed from the database, the costly part of a report, and changes in between are coalesced;</li>
 * <li>for a child's newer report (its <b>subtree</b> changed) at most once per {@code gridlink.stats.relay-interval}:
 * such a report takes the unit's own figures as last computed and adds the children's latest reports, so that a
 * change crosses a tier without waiting for the tier's next computation;</li>
 * <li>at least once per {@code gridlink.stats.heartbeat-interval}, its own figures computed, so that a parent can tell
 * a quiet child from a stopped one and the figures that change without a timeline entry (overdue, now) are
 * renewed.</li>
 * </ul>
 * Times are {@link System#nanoTime()}: the pacing must not follow the clock, which may jump (a clock set ahead and
 * back would otherwise silence a unit until the wrong time came round).
 */
final class ReportPacing {

    /** A round's units, in order, and those of them reported only for their subtree (own figures as kept). */
    record Round(List<String> due, Set<String> subtreeOnly) {

        boolean isEmpty() {
            return due.isEmpty();
        }
    }

    /**
     * The changes a round took, with when each was first marked, to be given back if its reports cannot be written.
     */
    record Taken(Round round, Map<String, Long> own, Map<String, Long> subtree) {
    }

    /** How long the changes a round reported waited, from first marked to written, in nanoseconds. */
    record Waited(List<Long> own, List<Long> subtree) {
    }

    private final StatsProperties props;
    private final LongSupplier nanos;
    private final Set<String> served;
    private final Set<String> ownChanged = ConcurrentHashMap.newKeySet();
    private final Set<String> subtreeChanged = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastReported = new ConcurrentHashMap<>();
    private final Map<String, Long> lastOwnReported = new ConcurrentHashMap<>();
    // when each pending change was first marked, for how long changes wait (Waited)
    private final Map<String, Long> ownSince = new ConcurrentHashMap<>();
    private final Map<String, Long> subtreeSince = new ConcurrentHashMap<>();

    ReportPacing(StatsProperties props, LongSupplier nanos, Set<String> served) {
        this.props = props;
        this.nanos = nanos;
        this.served = served;
    }

    /** The unit's own records changed (new timeline entries). */
    void ownChanged(String unit) {
        if (served.contains(unit)) {
            ownSince.putIfAbsent(unit, nanos.getAsLong());
            ownChanged.add(unit);
        }
    }

    /**
     * A child's newer report changed the unit's subtree: how long until the unit may report for it (zero: a round
     * started now would report it), so that the caller can start a round then instead of waiting for a poll; null
     * when this node does not serve the unit.
     */
    Duration subtreeChanged(String unit) {
        if (!served.contains(unit)) {
            return null;
        }
        long now = nanos.getAsLong();
        subtreeSince.putIfAbsent(unit, now);
        subtreeChanged.add(unit);
        Long last = lastReported.get(unit);
        long left = last == null ? 0 : last + props.relayInterval().toNanos() - now;
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** The units due now, in code order. */
    Round due() {
        long now = nanos.getAsLong();
        List<String> due = new ArrayList<>();
        Set<String> subtreeOnly = new HashSet<>();
        served.stream().sorted().forEach(u -> {
            Long last = lastReported.get(u);
            boolean heartbeat = elapsed(last, now, props.heartbeatInterval().toNanos());
            boolean own = ownChanged.contains(u) && elapsed(lastOwnReported.get(u), now, props.publishInterval().toNanos());
            boolean subtree = subtreeChanged.contains(u) && elapsed(last, now, props.relayInterval().toNanos());
            if (heartbeat || own) {
                due.add(u);
            } else if (subtree) {
                due.add(u);
                subtreeOnly.add(u);
            }
        });
        return new Round(List.copyOf(due), Set.copyOf(subtreeOnly));
    }

    /**
     * Takes the changes the round's reports will carry, before they are computed: a change that arrives while they
     * are (a child's report read too late) marks the unit again and goes in the next round.
     */
    Taken take(Round round) {
        Map<String, Long> own = new HashMap<>();
        Map<String, Long> subtree = new HashMap<>();
        for (String u : round.due()) {
            if (subtreeChanged.remove(u)) {
                subtree.put(u, subtreeSince.remove(u));
            }
            if (!round.subtreeOnly().contains(u) && ownChanged.remove(u)) {
                own.put(u, ownSince.remove(u));
            }
        }
        return new Taken(round, own, subtree);
    }

    /** The round's reports were written: how long their changes waited. */
    Waited reported(Taken taken) {
        long at = nanos.getAsLong();
        for (String u : taken.round().due()) {
            lastReported.put(u, at);
        }
        for (String u : taken.own().keySet()) {
            lastOwnReported.put(u, at);
        }
        return new Waited(waits(taken.own(), at), waits(taken.subtree(), at));
    }

    private static List<Long> waits(Map<String, Long> since, long at) {
        return since.values().stream().filter(Objects::nonNull).map(s -> at - s).toList();
    }

    /** The round's reports could not be written: its changes are pending again, as marked first. */
    void failed(Taken taken) {
        taken.own().forEach((u, since) -> {
            if (since != null) {
                ownSince.merge(u, since, Math::min);
            }
            ownChanged.add(u);
        });
        taken.subtree().forEach((u, since) -> {
            if (since != null) {
                subtreeSince.merge(u, since, Math::min);
            }
            subtreeChanged.add(u);
        });
    }

    private static boolean elapsed(Long since, long now, long interval) {
        return since == null || now - since >= interval;
    }
}
