package org.gridlink.kernel.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.gridlink.contracts.Tier;
import org.gridlink.kernel.cases.application.NodeUnits;
import org.gridlink.kernel.testing.MutableClock;
import org.gridlink.kernel.units.Unit;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Rollups#reports}: a unit's own counts per day are computed again only from the first day that can have
 * changed, the days before are kept, the overdue counts are never kept, and the whole window is computed again every
 * whole interval (gridlink.stats.whole-interval), when nothing is kept and when the clock went back. The computation itself is the database's
 * (StatsIT checks its figures against the four databases); here it is a table of counts per unit and day that the test
 * changes, and the calculator answers from it as the queries would: the days from {@code since} on.
 */
class RollupsKeptTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JSON)
            .load("classpath:seeds/zhengzhou");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final StatsProperties PROPS = new StatsProperties(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMillis(500), 0.5, null, 400, ZONE, List.of("GRID_PATROL"), List.of("HOTLINE_12345"), Duration.ZERO);
    private static final Instant NOON = LocalDate.of(2026, 11, 30).atTime(12, 0).atZone(ZONE).toInstant();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);

    /** What the database holds: unit → day → counter → n; and the overdue marks per unit and day. */
    private final Map<String, TreeMap<LocalDate, SortedMap<String, Long>>> table = new TreeMap<>();
    private final Map<String, TreeMap<LocalDate, Long>> overdue = new TreeMap<>();
    /** The {@code since} of every computation asked, per unit. */
    private final List<String> asked = new ArrayList<>();
    private final MutableClock clock = new MutableClock(NOON);
    private Rollups rollups;
    private Unit community;

    private final class TableCalculator extends RollupCalculator {
        TableCalculator() {
            super(null, PROPS);
        }

        @Override
        public Mono<Map<String, Own>> compute(Collection<String> units, String grid, LocalDate since, LocalDate first,
                                              Instant now) {
            Map<String, Own> all = new TreeMap<>();
            for (String u : units) {
                asked.add(u + "@" + since);
                TreeMap<LocalDate, SortedMap<String, Long>> days = new TreeMap<>();
                table.getOrDefault(u, new TreeMap<>()).tailMap(since).forEach((d, c) -> days.put(d, new TreeMap<>(c)));
                all.put(u, new Own(days, new TreeMap<>(overdue.getOrDefault(u, new TreeMap<>()).tailMap(first)),
                        new TreeMap<>(Map.of("status.HANDLING", 1L))));
            }
            return Mono.just(all);
        }
    }

    private static final class NoChildren extends UnitReportStore {
        private long sequence;

        NoChildren() {
            super(null, JSON);
        }

        @Override
        public Mono<Map<String, List<Received>>> children(Collection<String> parents) {
            return Mono.just(Map.of());
        }

        @Override
        public Mono<List<Long>> nextSequences(int n) {
            long from = sequence;
            sequence += n;
            return Mono.just(LongStream.range(from + 1, from + n + 1).boxed().toList());
        }
    }

    @BeforeEach
    void node() {
        NodeUnits node = new NodeUnits(Tier.COMMUNITY, SEEDS);
        community = node.directory().ofTier(Tier.COMMUNITY).stream().findFirst().orElseThrow();
        rollups = new Rollups(new TableCalculator(), new NoChildren(), node, PROPS, clock);
    }

    private String code() {
        return community.code().value();
    }

    private void count(LocalDate day, String counter, long n) {
        SortedMap<String, Long> counts = table.computeIfAbsent(code(), u -> new TreeMap<>())
                .computeIfAbsent(day, d -> new TreeMap<>());
        if (counts.merge(counter, n, Long::sum) == 0) {
            counts.remove(counter); // as a query's rows: no row for nothing counted
        }
    }

    private UnitReport.Section own(Map<String, LocalDate> touched) {
        return rollups.reports(List.of(community), touched, Set.of()).block().get(0).own();
    }

    /** The section the whole window computes now, from the table. */
    private UnitReport.Section whole() {
        LocalDate first = rollups.firstDay(clock.instant());
        int asks = asked.size();
        UnitReport.Section section = new TableCalculator().compute(List.of(code()), null, first, first, clock.instant())
                .block().get(code()).section(Map.of(), first);
        asked.subList(asks, asked.size()).clear(); // the test's own computation is not the node's
        return section;
    }

    @Test
    void theFirstReportComputesTheWholeWindowThenOnlyFromTheLastComputationsDay() {
        count(TODAY.minusDays(3), "reported", 2);
        count(TODAY, "reported", 1);

        assertThat(own(Map.of())).isEqualTo(whole());
        LocalDate first = rollups.firstDay(NOON);
        assertThat(asked).containsExactly(code() + "@" + first);

        clock.advance(Duration.ofSeconds(6));
        count(TODAY, "reported", 1);
        assertThat(own(Map.of())).isEqualTo(whole());
        assertThat(asked.get(1)).isEqualTo(code() + "@" + TODAY);
    }

    @Test
    void aChangedCaseOfAnEarlierDayIsComputedAgainFromItsFirstDayAndTheDaysBeforeAreKept() {
        count(TODAY.minusDays(10), "reported", 4);
        count(TODAY.minusDays(2), "reported", 1);
        own(Map.of());

        // a case reported two days ago is resolved today: its last RESOLVE moves from yesterday to today
        clock.advance(Duration.ofSeconds(6));
        count(TODAY.minusDays(1), "resolved", 1);
        own(Map.of());
        clock.advance(Duration.ofSeconds(6));
        count(TODAY.minusDays(1), "resolved", -1);
        count(TODAY, "resolved", 1);
        UnitReport.Section section = own(Map.of(code(), TODAY.minusDays(2)));

        assertThat(section).isEqualTo(whole());
        assertThat(asked.get(2)).isEqualTo(code() + "@" + TODAY.minusDays(2));
        assertThat(section.between(TODAY.minusDays(1), TODAY.minusDays(1))).doesNotContainKey("resolved");
        assertThat(section.between(TODAY.minusDays(10), TODAY.minusDays(10))).containsEntry("reported", 4L);
    }

    @Test
    void whatChangedBeforeTheDaysComputedAgainIsNotSeenUntilTheWholeWindowIsComputedAgain() {
        count(TODAY.minusDays(5), "reported", 1);
        own(Map.of());
        count(TODAY.minusDays(5), "reported", 1); // a change no timeline entry showed (the test's, not the node's)

        clock.advance(Duration.ofSeconds(10));
        assertThat(own(Map.of()).between(TODAY.minusDays(5), TODAY.minusDays(5))).containsEntry("reported", 1L);

        clock.advance(PROPS.wholeInterval());
        assertThat(own(Map.of())).isEqualTo(whole());
        assertThat(whole().between(TODAY.minusDays(5), TODAY.minusDays(5))).containsEntry("reported", 2L);
        assertThat(asked.get(2)).isEqualTo(code() + "@" + rollups.firstDay(clock.instant()));
    }

    @Test
    void aReportForTheSubtreeAloneTakesTheOwnFiguresAsLastComputedWithoutAQuery() {
        count(TODAY, "reported", 2);
        UnitReport.Section computed = own(Map.of());
        count(TODAY, "reported", 1); // not yet computed: the own change waits for its publish interval

        clock.advance(Duration.ofSeconds(1));
        UnitReport relayed = rollups.reports(List.of(community), Map.of(), Set.of(code())).block().get(0);

        assertThat(relayed.own()).isEqualTo(computed);
        assertThat(relayed.own().between(TODAY, TODAY)).containsEntry("reported", 2L);
        assertThat(relayed.reportedAt()).isEqualTo(clock.instant());
        assertThat(asked).hasSize(1);

        clock.advance(Duration.ofSeconds(5));
        assertThat(own(Map.of())).isEqualTo(whole()); // the own change's report computes it
        assertThat(asked).hasSize(2);
    }

    @Test
    void aReportForTheSubtreeAloneComputesWhenNothingIsKeptOrTheClockWentBack() {
        count(TODAY, "reported", 1);
        UnitReport first = rollups.reports(List.of(community), Map.of(), Set.of(code())).block().get(0);
        assertThat(first.own()).isEqualTo(whole());
        assertThat(asked).hasSize(1);

        clock.set(NOON.minus(Duration.ofHours(1)));
        rollups.reports(List.of(community), Map.of(), Set.of(code())).block();
        assertThat(asked).hasSize(2);
    }

    @Test
    void readsWithinTheReadTtlShareOneComputationOfTheOwnFigures() {
        StatsProperties cached = new StatsProperties(PROPS.publishInterval(), PROPS.relayInterval(),
                PROPS.heartbeatInterval(), PROPS.wholeInterval(), PROPS.pollInterval(), PROPS.busyShare(), null,
                PROPS.windowDays(), ZONE, PROPS.proactiveSources(), PROPS.hotlineSources(), Duration.ofMinutes(1));
        NodeUnits node = new NodeUnits(Tier.COMMUNITY, SEEDS);
        Rollups reading = new Rollups(new TableCalculator(), new NoChildren(), node, cached, clock);
        count(TODAY, "reported", 1);

        Rollups.Subtree first = reading.subtree(community, clock.instant()).block();
        count(TODAY, "reported", 1);
        clock.advance(Duration.ofSeconds(1));
        Rollups.Subtree second = reading.subtree(community, clock.instant()).block();

        assertThat(asked).hasSize(1);
        assertThat(second.own()).isEqualTo(first.own());
        assertThat(second.asOf()).isEqualTo(first.asOf()).isBefore(clock.instant()); // as of the computation

        clock.set(NOON.minus(Duration.ofMinutes(1))); // the clock went back: computed again
        assertThat(reading.subtree(community, clock.instant()).block().own().between(TODAY, TODAY))
                .containsEntry("reported", 2L);
        assertThat(asked).hasSize(2);

        rollups.subtree(community, clock.instant()).block(); // a read TTL of zero: every read computes
        rollups.subtree(community, clock.instant()).block();
        assertThat(asked).hasSize(4);
    }

    @Test
    void overdueCountsAreReadWholeEveryTimeSinceAClearedMarkLeavesNoEntry() {
        overdue.put(code(), new TreeMap<>(Map.of(TODAY.minusDays(3), 2L)));
        count(TODAY.minusDays(3), "reported", 2);
        assertThat(own(Map.of()).between(TODAY.minusDays(3), TODAY.minusDays(3))).containsEntry("overdue", 2L);

        overdue.put(code(), new TreeMap<>(Map.of(TODAY.minusDays(3), 1L))); // one record no longer overdue
        clock.advance(Duration.ofSeconds(6));
        UnitReport.Section section = own(Map.of());

        assertThat(section).isEqualTo(whole());
        assertThat(section.between(TODAY.minusDays(3), TODAY.minusDays(3))).containsEntry("overdue", 1L)
                .containsEntry("reported", 2L);
    }

    @Test
    void aClockThatWentBackMakesTheWholeWindowComputedAgain() {
        count(TODAY.minusDays(1), "reported", 1);
        own(Map.of());
        clock.set(NOON.minus(Duration.ofDays(1)));

        own(Map.of());

        assertThat(asked.get(1)).isEqualTo(code() + "@" + rollups.firstDay(clock.instant()));
    }

    @Test
    void justAfterMidnightYesterdayIsComputedAgainForWhatCommittedLate() {
        clock.set(TODAY.atStartOfDay(ZONE).toInstant().minusSeconds(5));
        own(Map.of());
        clock.set(TODAY.atStartOfDay(ZONE).toInstant().plusSeconds(5));

        own(Map.of());

        assertThat(asked.get(1)).isEqualTo(code() + "@" + TODAY.minusDays(1));
    }
}
