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
import java.util.Optional;
import java.util.Random;
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
 * {@link Rollups#reports}: a unit's own counts are computed again only from the earliest time that can have changed
 * (the settle before the last computation, or the first day of a changed case that began before it), what happened
 * before is kept, the overdue counts are never kept, and the whole window is computed again every whole interval
 * (gridlink.stats.whole-interval), when nothing is kept and when the clock went back. The computation itself is the
 * database's (StatsIT checks its figures against the four databases); here it is a table of counts per unit and time
 * that the test changes, and the calculator answers from it as the queries would: what happened from each unit's
 * {@code since} on, per day, split at {@code split}.
 */
class RollupsKeptTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JSON)
            .load("classpath:seeds/zhengzhou");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final StatsProperties PROPS = new StatsProperties(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofMillis(500), 0.5, null, 400, ZONE, List.of("GRID_PATROL"), List.of("HOTLINE_12345"), Duration.ZERO);
    private static final Instant NOON = LocalDate.of(2026, 11, 30).atTime(12, 0).atZone(ZONE).toInstant();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);

    /** What the database holds: unit → time → counter → n; and the overdue marks per unit and day. */
    private final Map<String, TreeMap<Instant, SortedMap<String, Long>>> table = new TreeMap<>();
    private final Map<String, TreeMap<LocalDate, Long>> overdue = new TreeMap<>();
    /** The {@code since} of every computation asked, per unit. */
    private final List<String> asked = new ArrayList<>();
    /** The units whose figures now a computation read. */
    private final List<String> nowAsked = new ArrayList<>();
    /** The unit's timeline: each entry's number and the first entry of its case. */
    private final TreeMap<Long, Instant> entries = new TreeMap<>();
    /** The look for changed cases of every read that went on from what a report kept ({@code unit>seen}). */
    private final List<String> askedChanged = new ArrayList<>();
    /** What the figures now hold (records handled at the unit now). */
    private long handling = 1;
    private final MutableClock clock = new MutableClock(NOON);
    private Rollups rollups;
    private NodeUnits node;
    private Unit community;

    private final class TableCalculator extends RollupCalculator {
        TableCalculator() {
            super(null, PROPS);
        }

        @Override
        public Mono<Map<String, Own>> compute(Map<String, Instant> since, String grid, Instant split, LocalDate first,
                                              Instant now, Set<String> nowFor) {
            Map<String, Own> all = new TreeMap<>();
            since.forEach((u, from) -> {
                asked.add(u + "@" + from);
                TreeMap<LocalDate, SortedMap<String, Long>> settled = new TreeMap<>();
                TreeMap<LocalDate, SortedMap<String, Long>> days = new TreeMap<>();
                table.getOrDefault(u, new TreeMap<>()).tailMap(from).forEach((at, c) -> add(
                        at.isBefore(split) ? settled : days, LocalDate.ofInstant(at, ZONE), c));
                all.put(u, new Own(settled, days,
                        new TreeMap<>(overdue.getOrDefault(u, new TreeMap<>()).tailMap(first)),
                        nowFor.contains(u) ? new TreeMap<>(Map.of("status.HANDLING", handling)) : new TreeMap<>()));
                if (nowFor.contains(u)) {
                    nowAsked.add(u);
                }
            });
            return Mono.just(all);
        }

        @Override
        public Mono<Optional<Instant>> firstOfChanged(String unit, TimelineSeen seen) {
            askedChanged.add(unit + ">" + seen);
            return Mono.just(entries.entrySet().stream().filter(e -> seen.unseen(e.getKey())).map(Map.Entry::getValue)
                    .min(Instant::compareTo));
        }

        private static void add(Map<LocalDate, SortedMap<String, Long>> days, LocalDate day, Map<String, Long> counts) {
            counts.forEach((counter, n) -> {
                SortedMap<String, Long> c = days.computeIfAbsent(day, d -> new TreeMap<>());
                if (c.merge(counter, n, Long::sum) == 0) {
                    c.remove(counter); // as a query's rows: no row for nothing counted
                }
            });
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
        node = new NodeUnits(Tier.COMMUNITY, SEEDS);
        community = node.directory().ofTier(Tier.COMMUNITY).stream().findFirst().orElseThrow();
        rollups = new Rollups(new TableCalculator(), new NoChildren(), node, PROPS, clock);
    }

    private String code() {
        return community.code().value();
    }

    /** Something counted at {@code at}. */
    private void count(Instant at, String counter, long n) {
        SortedMap<String, Long> counts = table.computeIfAbsent(code(), u -> new TreeMap<>())
                .computeIfAbsent(at, d -> new TreeMap<>());
        if (counts.merge(counter, n, Long::sum) == 0) {
            counts.remove(counter);
        }
    }

    /** Something counted on {@code day}, at noon. */
    private void count(LocalDate day, String counter, long n) {
        count(day.atTime(12, 0).atZone(ZONE).toInstant(), counter, n);
    }

    private UnitReport.Section own(Map<String, Instant> touched) {
        return rollups.reports(List.of(community), touched, Set.of(), seen()).block().get(0).own();
    }

    /** The unit's timeline entries (what the publisher's look has seen: all of them, up to the last). */
    private TimelineSeen seen() {
        return TimelineSeen.upTo(last());
    }

    private long last() {
        return entries.isEmpty() ? -1 : entries.lastKey();
    }

    /** A timeline entry of a case whose first entry was at {@code firstAt}. */
    private void entry(Instant firstAt) {
        entries.put(last() + 1, firstAt);
    }

    /** The unit's own figures as a read computes them (no read TTL: each read computes). */
    private UnitReport.Section read() {
        return rollups.subtree(community, clock.instant()).block().own();
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    /** The section the whole window computes now, from the table. */
    private UnitReport.Section whole() {
        LocalDate first = rollups.firstDay(clock.instant());
        int asks = asked.size();
        UnitReport.Section section = new TableCalculator().compute(Map.of(code(), start(first)), null, start(first),
                        first, clock.instant(), Set.of(code()))
                .block().get(code()).section(Map.of(), first);
        asked.subList(asks, asked.size()).clear(); // the test's own computation is not the node's
        nowAsked.remove(nowAsked.size() - 1);
        return section;
    }

    @Test
    void theFirstReportComputesTheWholeWindowThenOnlyFromTheSettleBeforeTheLastComputation() {
        count(TODAY.minusDays(3), "reported", 2);
        count(NOON.minus(Duration.ofHours(2)), "reported", 1);
        count(NOON.minusSeconds(10), "reported", 1); // within the settle: computed again next time

        assertThat(own(Map.of())).isEqualTo(whole());
        assertThat(asked).containsExactly(code() + "@" + start(rollups.firstDay(NOON)));

        clock.advance(Duration.ofSeconds(6));
        count(NOON.plusSeconds(3), "reported", 1);
        UnitReport.Section section = own(Map.of());
        assertThat(section).isEqualTo(whole());
        assertThat(section.between(TODAY, TODAY)).containsEntry("reported", 3L);
        assertThat(asked.get(1)).isEqualTo(code() + "@" + NOON.minus(PROPS.settle()));

        clock.advance(Duration.ofSeconds(6)); // from the settle before the second computation on, the first kept
        count(NOON.plusSeconds(9), "reported", 1);
        assertThat(own(Map.of())).isEqualTo(whole());
        assertThat(asked.get(2)).isEqualTo(code() + "@" + NOON.plusSeconds(6).minus(PROPS.settle()));
    }

    @Test
    void whatCommittedLateWithinTheSettleIsCounted() {
        count(NOON.minus(Duration.ofHours(1)), "reported", 1);
        own(Map.of());

        // dated 30 s before the computation, committed after it: no timeline change shows it (not touched)
        count(NOON.minusSeconds(30), "supervisions", 1);
        clock.advance(Duration.ofSeconds(6));
        UnitReport.Section section = own(Map.of());

        assertThat(section).isEqualTo(whole());
        assertThat(section.between(TODAY, TODAY)).containsEntry("supervisions", 1L).containsEntry("reported", 1L);
    }

    @Test
    void aChangedCaseThatBeganWithinTheSettleDoesNotTakeTheComputationBackToItsDay() {
        count(NOON.minus(Duration.ofHours(1)), "reported", 1);
        own(Map.of());
        clock.advance(Duration.ofSeconds(6));
        count(NOON.plusSeconds(2), "reported", 1);

        UnitReport.Section section = own(Map.of(code(), NOON.plusSeconds(2)));

        assertThat(section).isEqualTo(whole());
        assertThat(asked.get(1)).isEqualTo(code() + "@" + NOON.minus(PROPS.settle()));
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
        // the case's first entry: its report, two days ago at noon
        UnitReport.Section section = own(Map.of(code(), TODAY.minusDays(2).atTime(12, 0).atZone(ZONE).toInstant()));

        assertThat(section).isEqualTo(whole());
        assertThat(asked.get(2)).isEqualTo(code() + "@" + start(TODAY.minusDays(2)));
        assertThat(section.between(TODAY.minusDays(1), TODAY.minusDays(1))).doesNotContainKey("resolved");
        assertThat(section.between(TODAY.minusDays(10), TODAY.minusDays(10))).containsEntry("reported", 4L);
    }

    @Test
    void whatChangedBeforeTheDaysComputedAgainIsNotSeenUntilTheWholeWindowIsComputedAgain() {
        count(TODAY.minusDays(5), "reported", 1);
        own(Map.of());
        count(TODAY.minusDays(5), "reported", 1); // a change no timeline entry showed (the test's, not the node's)
        Duration firstWhole = PROPS.wholeInterval().minus(rollups.stagger(code())); // after the node's start
        assertThat(firstWhole).isGreaterThan(Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        assertThat(own(Map.of()).between(TODAY.minusDays(5), TODAY.minusDays(5))).containsEntry("reported", 1L);

        clock.advance(firstWhole);
        assertThat(own(Map.of())).isEqualTo(whole());
        assertThat(whole().between(TODAY.minusDays(5), TODAY.minusDays(5))).containsEntry("reported", 2L);
        assertThat(asked.get(2)).isEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
    }

    @Test
    void aReportForTheSubtreeAloneTakesTheOwnFiguresAsLastComputedWithoutAQuery() {
        count(TODAY, "reported", 2);
        UnitReport.Section computed = own(Map.of());
        count(TODAY, "reported", 1); // not yet computed: the own change waits for its publish interval

        clock.advance(Duration.ofSeconds(1));
        UnitReport relayed = rollups.reports(List.of(community), Map.of(), Set.of(code()), seen()).block().get(0);

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
        UnitReport first = rollups.reports(List.of(community), Map.of(), Set.of(code()), seen()).block().get(0);
        assertThat(first.own()).isEqualTo(whole());
        assertThat(asked).hasSize(1);

        clock.set(NOON.minus(Duration.ofHours(1)));
        rollups.reports(List.of(community), Map.of(), Set.of(code()), seen()).block();
        assertThat(asked).hasSize(2);
    }

    @Test
    void readsWithinTheReadTtlShareOneComputationOfTheOwnFigures() {
        StatsProperties cached = new StatsProperties(PROPS.publishInterval(), PROPS.relayInterval(),
                PROPS.heartbeatInterval(), PROPS.wholeInterval(), PROPS.settle(), PROPS.nowInterval(), PROPS.pollInterval(), PROPS.busyShare(), null,
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
    void aReadGoesOnFromWhatTheLastReportKeptInsteadOfComputingTheWholeWindow() {
        count(TODAY.minusDays(30), "reported", 3);
        count(NOON.minus(Duration.ofHours(2)), "reported", 1);
        entry(NOON.minus(Duration.ofHours(2)));
        own(Map.of()); // the publisher's report: the whole window, kept

        clock.advance(Duration.ofSeconds(20));
        count(NOON.plusSeconds(15), "reported", 1); // a new case, not yet reported up
        entry(NOON.plusSeconds(15));
        handling = 2;
        UnitReport.Section read = read();

        assertThat(read).isEqualTo(whole());
        assertThat(read.between(TODAY, TODAY)).containsEntry("reported", 2L);
        assertThat(read.current()).containsEntry("status.HANDLING", 2L); // the figures now: always computed
        assertThat(asked.get(1)).isEqualTo(code() + "@" + NOON.minus(PROPS.settle()));
        assertThat(askedChanged).containsExactly(code() + ">up to 0");
    }

    @Test
    void aReadGoesBackToTheFirstDayOfACaseChangedSinceTheLastReportAndKeepsTheDaysBefore() {
        count(TODAY.minusDays(10), "reported", 4);
        count(TODAY.minusDays(2), "reported", 1);
        entry(TODAY.minusDays(10).atTime(12, 0).atZone(ZONE).toInstant());
        entry(TODAY.minusDays(2).atTime(12, 0).atZone(ZONE).toInstant());
        count(TODAY.minusDays(1), "resolved", 1); // the second case, resolved yesterday
        entry(TODAY.minusDays(2).atTime(12, 0).atZone(ZONE).toInstant());
        own(Map.of());

        // resolved again today: its last RESOLVE moves from yesterday to today (an entry the report has not seen)
        clock.advance(Duration.ofSeconds(30));
        count(TODAY.minusDays(1), "resolved", -1);
        count(TODAY, "resolved", 1);
        entry(TODAY.minusDays(2).atTime(12, 0).atZone(ZONE).toInstant());
        UnitReport.Section read = read();

        assertThat(read).isEqualTo(whole());
        assertThat(asked.get(1)).isEqualTo(code() + "@" + start(TODAY.minusDays(2)));
        assertThat(askedChanged).containsExactly(code() + ">up to 2");
        assertThat(read.between(TODAY.minusDays(1), TODAY.minusDays(1))).doesNotContainKey("resolved");
        assertThat(read.between(TODAY.minusDays(10), TODAY.minusDays(10))).containsEntry("reported", 4L);
    }

    @Test
    void aReadGoesBackToTheFirstDayOfACaseWhoseEntryFilledAGapTheLastReportHadNotSeen() {
        count(TODAY.minusDays(10), "reported", 4);
        entries.put(0L, TODAY.minusDays(10).atTime(12, 0).atZone(ZONE).toInstant());
        entries.put(2L, NOON.minus(Duration.ofHours(1))); // number 1 handed out, its transaction still running
        rollups.reports(List.of(community), Map.of(), Set.of(), new TimelineSeen(2, new long[] {1}, new long[] {1}))
                .block();

        // it commits a minute later: an entry of the first case, dated when it wrote, long before the settle
        clock.advance(Duration.ofMinutes(1));
        count(NOON.minus(Duration.ofMinutes(2)), "accepted", 1);
        entries.put(1L, TODAY.minusDays(10).atTime(12, 0).atZone(ZONE).toInstant());
        UnitReport.Section read = read();

        assertThat(read).isEqualTo(whole());
        assertThat(read.between(TODAY, TODAY)).containsEntry("accepted", 1L);
        assertThat(asked.get(1)).isEqualTo(code() + "@" + start(TODAY.minusDays(10)));
        assertThat(askedChanged).containsExactly(code() + ">up to 2 but [1]");
    }

    @Test
    void aReadEqualsTheWholeWindowAfterAnyRunOfReportsAndOfChangesTheTimelineShows() {
        for (long seed = 1; seed <= 300; seed++) {
            table.clear();
            entries.clear();
            asked.clear();
            askedChanged.clear();
            nowAsked.clear();
            clock.set(NOON);
            node();
            Random random = new Random(seed);
            // the resolutions counted so far (when, and their case's first entry), and the earliest first entry of
            // the cases changed since the last report (what the publisher's look finds: touched)
            List<Instant[]> resolved = new ArrayList<>();
            Instant touched = null;
            for (int step = 0; step < 40; step++) {
                Instant now = clock.instant();
                switch (random.nextInt(6)) {
                    case 0 -> clock.advance(Duration.ofSeconds(1 + random.nextInt(120)));
                    case 1 -> { // a case reported now
                        count(now, "reported", 1);
                        entry(now);
                        touched = touched == null || now.isBefore(touched) ? now : touched;
                    }
                    case 2 -> { // a case reported up to 60 days ago resolved now
                        Instant first = now.minus(Duration.ofDays(random.nextInt(61)))
                                .minusSeconds(random.nextInt(86_400));
                        count(first, "reported", 1);
                        count(now, "resolved", 1);
                        resolved.add(new Instant[] {now, first});
                        entry(first);
                        touched = touched == null || first.isBefore(touched) ? first : touched;
                    }
                    case 3 -> { // resolved again: its resolution moves from its day to now
                        if (resolved.isEmpty()) {
                            continue;
                        }
                        Instant[] r = resolved.remove(random.nextInt(resolved.size()));
                        count(r[0], "resolved", -1);
                        count(now, "resolved", 1);
                        resolved.add(new Instant[] {now, r[1]});
                        entry(r[1]);
                        touched = touched == null || r[1].isBefore(touched) ? r[1] : touched;
                    }
                    case 4 -> { // the publisher's report
                        own(touched == null ? Map.of() : Map.of(code(), touched));
                        touched = null;
                    }
                    default -> assertThat(read()).as("seed %d, step %d", seed, step).isEqualTo(whole());
                }
            }
        }
    }

    @Test
    void aReadComputesTheWholeWindowWhenNothingIsKeptTheClockWentBackOrThePublisherFellBehind() {
        count(TODAY.minusDays(3), "reported", 1);
        assertThat(read()).isEqualTo(whole());
        assertThat(asked).containsExactly(code() + "@" + start(rollups.firstDay(NOON))); // nothing kept
        own(Map.of());

        clock.set(NOON.minus(Duration.ofMinutes(1)));
        read();
        assertThat(asked.get(2)).isEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));

        // kept up: reported at least every heartbeat, whole once the whole interval passed
        clock.set(NOON);
        Duration behind = PROPS.wholeInterval().multipliedBy(2).minus(rollups.stagger(code()));
        clock.advance(behind.minusSeconds(1));
        read();
        assertThat(asked.get(3)).isNotEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
        clock.advance(Duration.ofSeconds(1)); // the publisher did not: paused, or its rounds fell behind
        assertThat(read()).isEqualTo(whole());
        assertThat(asked.get(4)).isEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
        assertThat(askedChanged).hasSize(1);
    }

    @Test
    void aGridCellsFiguresForAnAssessmentAreComputedFromTheDayAskedWithoutTheFiguresNow() {
        LocalDate month = TODAY.withDayOfMonth(1);
        count(TODAY.minusDays(40), "reported", 1);
        count(TODAY.minusDays(3), "reported", 2);

        UnitReport.Section cell = rollups.gridCell(community, code() + "-01", month, NOON).block();

        assertThat(asked).containsExactly(code() + "@" + start(month));
        assertThat(nowAsked).isEmpty(); // an assessment weighs no status now: the records' pass is not run
        assertThat(cell.between(month, TODAY)).isEqualTo(whole().between(month, TODAY)).containsEntry("reported", 2L);
        rollups.gridCell(community, code() + "-01", TODAY.minusYears(2), NOON).block(); // not before the window
        assertThat(asked.get(1)).isEqualTo(code() + "@" + start(rollups.firstDay(NOON)));
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

        assertThat(asked.get(1)).isEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
    }

    @Test
    void justAfterMidnightTheSettleBeforeItIsComputedAgainAndCountsOnItsOwnDay() {
        clock.set(start(TODAY).minusSeconds(5));
        count(start(TODAY).minus(Duration.ofHours(3)), "reported", 1);
        own(Map.of());
        count(start(TODAY).minusSeconds(20), "reported", 1); // committed late, yesterday's
        clock.set(start(TODAY).plusSeconds(5));
        count(start(TODAY).plusSeconds(1), "reported", 1);

        UnitReport.Section section = own(Map.of());

        assertThat(asked.get(1)).isEqualTo(code() + "@" + start(TODAY).minusSeconds(5).minus(PROPS.settle()));
        assertThat(section).isEqualTo(whole());
        assertThat(section.between(TODAY.minusDays(1), TODAY.minusDays(1))).containsEntry("reported", 2L);
        assertThat(section.between(TODAY, TODAY)).containsEntry("reported", 1L);
    }

    @Test
    void theFiguresNowAreComputedAgainOnlyEveryNowIntervalAndCarriedAsLastComputedBetween() {
        count(NOON.minusSeconds(100), "reported", 1);
        assertThat(own(Map.of()).current()).containsEntry("status.HANDLING", 1L);

        handling = 2; // a record taken in: the next computation within the now interval does not read it
        clock.advance(Duration.ofSeconds(2));
        count(NOON.plusSeconds(1), "reported", 1);
        UnitReport.Section within = own(Map.of());
        assertThat(within.current()).containsEntry("status.HANDLING", 1L);
        assertThat(within.between(TODAY, TODAY)).containsEntry("reported", 2L); // the counts per day do go on

        clock.advance(PROPS.nowInterval());
        assertThat(own(Map.of()).current()).containsEntry("status.HANDLING", 2L);
        assertThat(nowAsked).containsExactly(code(), code());
    }

    @Test
    void theUnitsWholeComputationsAreSpreadOverTheWholeIntervalNotAllDueInOneRound() {
        List<Unit> communities = node.directory().ofTier(Tier.COMMUNITY);
        Set<Duration> staggers = new java.util.HashSet<>();
        communities.forEach(u -> staggers.add(rollups.stagger(u.code().value())));
        assertThat(staggers).hasSize(communities.size())
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, PROPS.wholeInterval().minusMillis(1)));

        count(TODAY.minusDays(5), "reported", 1);
        own(Map.of()); // the first computation, whole
        Duration left = PROPS.wholeInterval().minus(rollups.stagger(code()));
        clock.advance(left.minusSeconds(1));
        own(Map.of());
        assertThat(asked.get(1)).isNotEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
        clock.advance(Duration.ofSeconds(1));
        own(Map.of());
        assertThat(asked.get(2)).isEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));

        clock.advance(PROPS.wholeInterval().minusSeconds(1)); // then every whole interval
        own(Map.of());
        assertThat(asked.get(3)).isNotEqualTo(code() + "@" + start(rollups.firstDay(clock.instant())));
    }
}
