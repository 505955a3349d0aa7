package org.gridlink.kernel.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which of the timeline's entries a look at it had seen: every entry numbered up to {@code last}
 * ({@code timeline_entry}'s identity column) but those numbered in one of its gaps ({@code from[i]} to {@code to[i]}),
 * numbers handed out below {@code last} whose entries the look could not see. The column hands its numbers out in order, but transactions
 * commit in any order: a number of a transaction still running when the look read (or of one rolled back, or an
 * insert that found its row already there) is a gap, and an entry that fills one later is new since the look though
 * numbered below its {@code last} ({@link UnseenEntries} keeps the gaps while they can still fill).
 *
 * @param last the highest number seen
 * @param from each gap's first number, ascending
 * @param to   each gap's last number
 */
public record TimelineSeen(long last, long[] from, long[] to) {

    public TimelineSeen {
        if (from.length != to.length) {
            throw new IllegalArgumentException("a gap has a first and a last number");
        }
        from = from.clone(); // kept with a unit's figures and read by other threads: never changed after
        to = to.clone();
    }

    @Override
    public long[] from() {
        return from.clone();
    }

    @Override
    public long[] to() {
        return to.clone();
    }

    /** Every entry numbered up to {@code last}, none missing. */
    public static TimelineSeen upTo(long last) {
        return new TimelineSeen(last, new long[0], new long[0]);
    }

    /** The gaps' first numbers, bound to a statement. */
    public Long[] fromBound() {
        return Arrays.stream(from).boxed().toArray(Long[]::new);
    }

    /** The gaps' last numbers, bound to a statement. */
    public Long[] toBound() {
        return Arrays.stream(to).boxed().toArray(Long[]::new);
    }

    /** Whether an entry numbered {@code seq} was new to the look. */
    public boolean unseen(long seq) {
        if (seq > last) {
            return true;
        }
        int i = Arrays.binarySearch(from, seq);
        int at = i >= 0 ? i : -i - 2; // the last gap starting at or below seq
        return at >= 0 && seq <= to[at];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimelineSeen s && s.last == last && Arrays.equals(s.from, from) && Arrays.equals(s.to, to);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(last) * 31 + Arrays.hashCode(from) * 17 + Arrays.hashCode(to);
    }

    @Override
    public String toString() {
        List<String> gaps = new ArrayList<>();
        for (int i = 0; i < from.length; i++) {
            gaps.add(from[i] == to[i] ? String.valueOf(from[i]) : from[i] + ".." + to[i]);
        }
        return "up to " + last + (gaps.isEmpty() ? "" : " but " + gaps);
    }
}
