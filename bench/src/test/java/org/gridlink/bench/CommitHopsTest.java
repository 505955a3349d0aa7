package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.bench.CommitHops.Escalated;
import org.gridlink.bench.CommitHops.Key;
import org.junit.jupiter.api.Test;

class CommitHopsTest {

    private static final List<String> UNITS = List.of("410105001001", "410105001000", "410105000000", "410100000000");
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void eachHopRunsFromTheSendersEscalateCommitToTheReceiversFirstCommit() {
        UUID c = UUID.randomUUID();
        Map<Key, Instant> escalated = Map.of(
                new Key(UNITS.get(0), c), T,
                new Key(UNITS.get(1), c), T.plusMillis(100),
                new Key(UNITS.get(2), c), T.plusMillis(200));
        Map<Key, Instant> firstWritten = Map.of(
                new Key(UNITS.get(0), c), T.minusMillis(50), // the community's own report, before its ESCALATE
                new Key(UNITS.get(1), c), T.plusMillis(7),
                new Key(UNITS.get(2), c), T.plusMillis(111),
                new Key(UNITS.get(3), c), T.plusNanos(200_250_000));

        CommitHops.Result result = CommitHops.hops(List.of(new Escalated(c, UNITS)), escalated, firstWritten);

        assertThat(result.missing()).isZero();
        assertThat(result.hops()[0].getTotalCount()).isEqualTo(1);
        assertThat(result.hops()[0].getMaxValue()).isBetween(6_990L, 7_010L); // µs, HdrHistogram's precision
        assertThat(result.hops()[1].getMaxValue()).isBetween(10_990L, 11_010L);
        assertThat(result.hops()[2].getMaxValue()).isEqualTo(250);
        assertThat(result.all().getTotalCount()).isEqualTo(3);
    }

    @Test
    void aHopWithoutACommitTimeOnEitherSideOrRunningBackwardsIsCountedAsMissingNotTimed() {
        UUID arrived = UUID.randomUUID();
        UUID lost = UUID.randomUUID();
        Map<Key, Instant> escalated = Map.of(
                new Key(UNITS.get(0), arrived), T,
                new Key(UNITS.get(1), arrived), T.plusMillis(100), // its district wrote before it: not a hop
                new Key(UNITS.get(0), lost), T);
        Map<Key, Instant> firstWritten = Map.of(
                new Key(UNITS.get(1), arrived), T.plusMillis(5),
                new Key(UNITS.get(2), arrived), T.plusMillis(50));

        CommitHops.Result result = CommitHops.hops(List.of(new Escalated(arrived, UNITS),
                new Escalated(lost, UNITS)), escalated, firstWritten);

        // arrived: hop 0 timed, hop 1 backwards, hop 2 without a sender; lost: none of its three
        assertThat(result.hops()[0].getTotalCount()).isEqualTo(1);
        assertThat(result.all().getTotalCount()).isEqualTo(1);
        assertThat(result.missing()).isEqualTo(5);
    }

    @Test
    void theDatabasesAreThoseOfTheCasesUnitsEachOnce() {
        Map<String, String> dbs = CommitHops.databases(List.of(new Escalated(UUID.randomUUID(), UNITS),
                new Escalated(UUID.randomUUID(), UNITS)), Bench::databaseOf, n -> "jdbc:" + n);

        assertThat(dbs).containsExactly(Map.entry("gridlink_community", "jdbc:gridlink_community"),
                Map.entry("gridlink_township", "jdbc:gridlink_township"),
                Map.entry("gridlink_district", "jdbc:gridlink_district"),
                Map.entry("gridlink_city", "jdbc:gridlink_city"));
    }
}
