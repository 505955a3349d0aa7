package org.gridlink.kernel.stats;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Roll-up and report settings ({@code gridlink.stats.*}).
 *
 * @param publishInterval   the least time between two reports of one unit for changes of its own records, whose
 *                          figures are then computed from the database: changes within it are coalesced (1 s; under
 *                          heavy change the pacing below spaces the rounds further; 5 s before a computation went
 *                          back only to the settle below instead of the start of the day)
 * @param relayInterval     the least time between two reports of one unit for a child's newer report: such a report
 *                          adds the children's latest reports to the unit's own figures as last computed, so it costs
 *                          no roll-up query and goes at once (250 ms: a change crosses a tier in about the broker's
 *                          and the outbox's time, not a publish interval)
 * @param heartbeatInterval a unit reports at least this often even when nothing changed
 * @param wholeInterval     a unit's own figures are computed from the timeline's changes (only from the earliest
 *                          time that can have changed, what happened before kept) and at least this often over the
 *                          whole window (1 h): what the timeline's changes cannot show (a supervision notice or a
 *                          patrol committed later than the settle after its time) is counted within it. 5 min until
 *                          the publisher kept the gaps in the timeline's numbers ({@link UnseenEntries}): until then
 *                          an entry committed after one numbered above it was seen was counted only so, and a
 *                          community of 55 555 records took 3.0–3.5 s of PostgreSQL a whole computation (issue 8)
 * @param settle            how long after its time a change may still come to be read (a transaction commits after the
 *                          time it wrote; a supervision notice, sent without an entry at the sending unit, is dated
 *                          when it was sent): a unit's figures are computed again from this long before their last
 *                          computation on (and from the first day of every case whose timeline changed), what
 *                          happened before is kept (5 s; widened to twice the latest commit the publisher sees come
 *                          late, {@link Settle}; what comes later still is counted within the whole interval). A
 *                          round's cost grows with it: each reads the settle's worth of every unit's entries again
 *                          (30 s until issue 8's intake found about a fifth of PostgreSQL's CPU per report in it)
 * @param nowInterval       how often a unit's figures now ({@code status.*}, {@code overdueNow}, {@code parkedNow}: a
 *                          pass over all its records, the costliest part of a computation, whose cost grows with the
 *                          records, not with the change) are computed again for its reports; between, a report
 *                          carries them as last computed (5 s: as often as the publish interval had them before
 *                          issue 8's second pass). A read of a unit's figures always computes them
 * @param pollInterval      how often the node looks for units whose records changed
 * @param busyShare         the largest share of the time the node spends computing roll-ups: after a round that
 *                          took t, the next starts no sooner than t × (1 − share) / share later (and no sooner than
 *                          the poll interval); under heavy change or on a large database, reports come less often
 *                          instead of the roll-ups taking the node's database and CPU from the people using it
 * @param staleAfter        a child whose last report is older than this is shown stale (default 3 × heartbeat)
 * @param windowDays        how many days back a report carries daily figures
 * @param zone              whose calendar days the daily figures count in
 * @param proactiveSources  case sources that count as found proactively (主动发现)
 * @param hotlineSources    case sources that count as hotline complaints (12345: the three rates)
 * @param readTtl           how long a unit's own figures, computed for a read of its figures, serve the reads that
 *                          follow (1 s: the screens of a city's leaders polling one unit's figures cost one computation
 *                          a second between them, not one each; the children's reports are always read as kept); 0
 *                          computes them for every read
 */
@ConfigurationProperties("gridlink.stats")
public record StatsProperties(@DefaultValue("1s") Duration publishInterval,
                              @DefaultValue("250ms") Duration relayInterval,
                              @DefaultValue("30s") Duration heartbeatInterval,
                              @DefaultValue("1h") Duration wholeInterval,
                              @DefaultValue("5s") Duration settle,
                              @DefaultValue("5s") Duration nowInterval,
                              @DefaultValue("500ms") Duration pollInterval,
                              @DefaultValue("0.5") double busyShare,
                              Duration staleAfter,
                              @DefaultValue("400") int windowDays,
                              @DefaultValue("Asia/Shanghai") ZoneId zone,
                              @DefaultValue({"GRID_PATROL", "INSPECTION"}) List<String> proactiveSources,
                              @DefaultValue({"HOTLINE_12345"}) List<String> hotlineSources,
                              @DefaultValue("1s") Duration readTtl) {

    public StatsProperties {
        if (!(busyShare > 0 && busyShare <= 1)) {
            throw new IllegalArgumentException("gridlink.stats.busy-share must be in (0, 1], not " + busyShare);
        }
    }

    /**
     * How long to wait before the next round after one that took {@code spent}, when nothing asks for one sooner: the
     * rest its cost calls for, and at least the poll interval.
     */
    public Duration pauseAfter(Duration spent) {
        Duration paced = restAfter(spent);
        return paced.compareTo(pollInterval) > 0 ? paced : pollInterval;
    }

    /**
     * The least rest after a round that took {@code spent} (a child's report that may go up at once ends the wait for
     * the poll interval, never this rest).
     */
    public Duration restAfter(Duration spent) {
        return Duration.ofNanos((long) (spent.toNanos() * (1 - busyShare) / busyShare));
    }

    public Duration staleAfterOrDefault() {
        return staleAfter != null ? staleAfter : heartbeatInterval.multipliedBy(3);
    }
}
