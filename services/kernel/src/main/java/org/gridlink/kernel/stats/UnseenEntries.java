package org.gridlink.kernel.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The gaps in the timeline's numbers below the highest the publisher's looks have seen ({@link TimelineSeen}), kept
 * until they cannot fill any more. A gap is a number handed out to a transaction that had not committed when a look
 * read, or never will (rolled back, or an insert that found its row there: a case's history brings entries the node
 * has). A look reads the entries that fill a gap as it reads those numbered above the last it saw, so an entry whose
 * transaction committed late, numbered below one seen before it, is counted at once and exactly: before, only the
 * settle and then the unit's whole computation counted it.
 * <p>
 * When a gap can no longer fill is told by PostgreSQL's transaction ids (each look reads its snapshot's
 * {@code xmin}, the oldest transaction still running, and {@code xmax}, the first not yet begun): a gap seen first
 * at one look is given the {@code xmax} of the next look, by which its transaction has its id (it takes its number
 * and its id in one insert, microseconds apart, and a look comes a poll interval later); once a look's {@code xmin}
 * is at or above that, every transaction that could hold the gap's number has ended, so it is filled by then (and
 * that look reads it) or never will be. A gap lives three looks at least, then, and as long as the oldest transaction
 * running on the node's database.
 * <p>
 * Used by one look at a time (the publisher's scheduler); {@link #seen} hands a copy to whoever reads.
 */
final class UnseenEntries {

    /** A gap's first and last numbers, and the transaction id every transaction below which ended makes it final. */
    private record Gap(long from, long to, long endsBelow) {
    }

    private List<Gap> gaps = List.of();

    /**
     * What a look found: the runs of numbers of the known gaps it read entries of ({@code filled}, each as its first
     * and last number), the gaps it found above the last seen before ({@code found}), and its snapshot's
     * {@code xmin} and {@code xmax}.
     */
    synchronized void looked(List<long[]> filled, List<long[]> found, long xmin, long xmax) {
        List<Gap> kept = new ArrayList<>();
        for (Gap g : gaps) {
            for (Gap rest : minus(g, filled)) {
                if (rest.endsBelow() == 0) {
                    kept.add(new Gap(rest.from(), rest.to(), xmax));
                } else if (xmin < rest.endsBelow()) {
                    kept.add(rest);
                }
            }
        }
        found.forEach(f -> kept.add(new Gap(f[0], f[1], 0)));
        kept.sort(Comparator.comparingLong(Gap::from));
        gaps = List.copyOf(kept);
    }

    /** What the looks have seen: every entry numbered up to {@code last} but those in the gaps kept. */
    synchronized TimelineSeen seen(long last) {
        long[] from = new long[gaps.size()];
        long[] to = new long[gaps.size()];
        for (int i = 0; i < gaps.size(); i++) {
            from[i] = gaps.get(i).from();
            to[i] = gaps.get(i).to();
        }
        return new TimelineSeen(last, from, to);
    }

    /** How many numbers the gaps kept hold. */
    synchronized long numbers() {
        return gaps.stream().mapToLong(g -> g.to() - g.from() + 1).sum();
    }

    /** What is left of {@code g} without the runs of {@code filled}. */
    private static List<Gap> minus(Gap g, List<long[]> filled) {
        List<Gap> left = List.of(g);
        for (long[] run : filled) {
            if (run[1] < g.from() || run[0] > g.to()) {
                continue;
            }
            List<Gap> next = new ArrayList<>();
            for (Gap piece : left) {
                if (run[1] < piece.from() || run[0] > piece.to()) {
                    next.add(piece);
                    continue;
                }
                if (run[0] > piece.from()) {
                    next.add(new Gap(piece.from(), run[0] - 1, piece.endsBelow()));
                }
                if (run[1] < piece.to()) {
                    next.add(new Gap(run[1] + 1, piece.to(), piece.endsBelow()));
                }
            }
            left = next;
        }
        return left;
    }
}
