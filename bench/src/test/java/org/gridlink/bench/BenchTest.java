package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class BenchTest {

    @Test
    void aUnitsTierFollowsFromItsCodeAsTheGatewayRoutesIt() {
        assertThat(Bench.tierOf("410105001001")).isEqualTo("community");
        assertThat(Bench.tierOf("410105001000")).isEqualTo("township");
        assertThat(Bench.tierOf("410105000000")).isEqualTo("district");
        assertThat(Bench.tierOf("410100000000")).isEqualTo("city");
    }

    @Test
    void onlyRunsTheNamedScenariosInTheRunsOrderAndAllWithoutIt() {
        assertThat(Bench.only(null)).isEqualTo(Bench.SCENARIOS);
        assertThat(Bench.only(" ")).isEqualTo(Bench.SCENARIOS);
        assertThat(Bench.only("reads-1m, freshness")).containsExactly("freshness", "reads-1m");
        // side by side only when named, in its place in the run's order
        assertThat(Bench.only(null)).doesNotContain("side-by-side");
        assertThat(Bench.only("chain,side-by-side,gateway")).containsExactly("gateway", "side-by-side", "chain");
        assertThat(Bench.NAMEABLE).containsAll(Bench.SCENARIOS);
        assertThatThrownBy(() -> Bench.only("intake,reads"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'reads'")
                .hasMessageContaining("reads-1m");
        assertThatThrownBy(() -> Bench.only(",")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatBIsInTheSideBySideScenarioIsRefusedWithoutTheScenario() {
        Map<String, String> withJar = Bench.options("--side-by-side-jar=/tmp/b.jar", "--side-by-side-args=--x=1");
        assertThatThrownBy(() -> Bench.sideBySide(withJar, Bench.only("gateway")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--only=side-by-side");
        SideBySide.Setup setup = Bench.sideBySide(withJar, Bench.only("side-by-side"));
        assertThat(setup.jar()).contains(java.nio.file.Path.of("/tmp/b.jar"));
        assertThat(setup.args()).containsExactly("--x=1");
        // neither: an A/A run, and nothing to refuse anywhere
        assertThat(Bench.sideBySide(Map.of(), Bench.only(null)).sameAsA()).isTrue();
        assertThat(Bench.sideBySide(Map.of(), Bench.only(null)).app()).isEqualTo("community");
        // the gateways side by side, even an A/A run of them, only with the scenario
        Map<String, String> gateways = Bench.options("--side-by-side-app=gateway");
        assertThatThrownBy(() -> Bench.sideBySide(gateways, Bench.only("gateway")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--only=side-by-side");
        assertThat(Bench.sideBySide(gateways, Bench.only("side-by-side")).app()).isEqualTo("gateway");
    }

    @Test
    void theQueuePagesOpenLoopRunsAtHalfTheClosedLoopUnlessARateIsAskedForWithTheReads() {
        Bench.Plan plan = Bench.Plan.of(false, 8, 10, 100, Bench.RECORDS);
        assertThat(plan.readsOpenRate(692)).isEqualTo(346);
        assertThat(plan.readsOpenRateLabel()).isEqualTo("half the closed loop's rate");

        Map<String, String> asked = Bench.options("--only=reads-1m", "--reads-open-rate=250");
        Bench.Plan fixed = plan.withReadsOpenRate(Bench.readsOpenRate(asked, Bench.only("reads-1m")));
        assertThat(fixed.readsOpenRate(692)).isEqualTo(250);
        assertThat(fixed.readsOpenRate(499)).isEqualTo(250);
        assertThat(fixed.readsOpenRateLabel()).isEqualTo("the rate --reads-open-rate asked");
        // the other settings are kept
        assertThat(fixed.withReadsOpenRate(250)).isEqualTo(fixed);
        assertThat(fixed.withJitSettle(Duration.ZERO).readsOpenRate(692)).isEqualTo(250);
        assertThat(fixed.withChainBeside(97).readsOpenRate(692)).isEqualTo(250);

        assertThat(Bench.readsOpenRate(Map.of(), Bench.only("gateway"))).isZero();
        assertThatThrownBy(() -> Bench.readsOpenRate(asked, Bench.only("gateway")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add reads-1m to --only");
        assertThatThrownBy(() -> Bench.readsOpenRate(Bench.options("--reads-open-rate=fast"), Bench.only(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("like 250; got fast");
        assertThatThrownBy(() -> plan.withReadsOpenRate(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> plan.withReadsOpenRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartialRunsResultsNeverTakeAWholeRunsName() {
        LocalDate day = LocalDate.of(2026, 11, 30);

        assertThat(Bench.baseName(day, true, Bench.SCENARIOS, Bench.RECORDS)).isEqualTo("2026-11-30-quick");
        assertThat(Bench.baseName(day, false, Bench.SCENARIOS, Bench.RECORDS)).isEqualTo("2026-11-30");
        assertThat(Bench.baseName(day, true, List.of("freshness", "reads-1m"), Bench.RECORDS))
                .isEqualTo("2026-11-30-quick-only-freshness-reads-1m");
        assertThat(Bench.baseName(day, true, List.of("freshness", "reads-1m"), 100_000))
                .isEqualTo("2026-11-30-quick-only-freshness-reads-1m-100000-records");
        assertThat(Bench.baseName(day, true, List.of("freshness"), 100_000)).as("no load, no size")
                .isEqualTo("2026-11-30-quick-only-freshness");
    }

    @Test
    void aRunNeverOverwritesAnEarlierRunsResults(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        assertThat(Bench.unused(dir, "2026-11-30")).isEqualTo("2026-11-30");
        Files.writeString(dir.resolve("2026-11-30.md"), "by hand");
        assertThat(Bench.unused(dir, "2026-11-30")).isEqualTo("2026-11-30-2");
        Files.writeString(dir.resolve("2026-11-30-2-plans.md"), "plans");
        assertThat(Bench.unused(dir, "2026-11-30")).isEqualTo("2026-11-30-3");
    }

    @Test
    void theJitIsTheFullOneUnlessC1IsAskedFor() {
        assertThat(Bench.c1Only("full")).isFalse();
        assertThat(Bench.c1Only("c1")).isTrue();
        assertThatThrownBy(() -> Bench.c1Only("c2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full").hasMessageContaining("c1");
    }

    @Test
    void theChainsCapacityFollowsFromItsCpuPerFlow() {
        // 122 ms of CPU per flow: two cores carry 2000 / 122 flows a second, 100 a second take 12.2 cores
        assertThat(Bench.capacity(122, 2)).isEqualTo("16.4/s on 2 cores; 12.2 cores");
        assertThat(Bench.capacity(8, 4)).isEqualTo("500/s on 4 cores; 0.800 cores");
        assertThat(Bench.capacity(Double.NaN, 2)).isEqualTo("n/a");
        assertThat(Bench.capacity(0, 2)).isEqualTo("n/a");
    }

    @Test
    void theChainsLoadIsItsRateAtItsCpuPerFlowOverTheCores() {
        // 10 flows a second at 119 ms each keep 1.19 of 2 cores busy; at 182 ms (a slowed machine), 1.82
        assertThat(Bench.chainLoad(10, 119, 2)).isCloseTo(0.595, within(1e-9));
        assertThat(Bench.chainLoad(10, 182, 2)).isCloseTo(0.91, within(1e-9));
        assertThat(Bench.chainLoad(10, Double.NaN, 2)).isNaN();
        assertThat(Bench.chainLoad(10, 0, 2)).isNaN();
    }

    @Test
    void aChainThatKeptTheCoresBusyIsSaidToBeTheirQueue() {
        assertThat(Bench.queueingNote(0.595)).isEmpty();
        assertThat(Bench.queueingNote(Double.NaN)).isEmpty();
        assertThat(Bench.queueingNote(0.91)).isEqualTo("the chain's rate kept 91% of the cores busy: this tail is"
                + " mostly its wait for them, not comparable with a run below 80%");
        assertThat(Bench.queueingNote(Bench.QUEUEING_LOAD)).startsWith("the chain's rate kept 80% of the cores busy");
    }

    @Test
    void optionsAreNamedWithValuesOrAloneAndAnUnknownOneIsRefused() {
        assertThat(Bench.options("--quick", "--only=intake,chain", "--node-args=--a=1;--b=2"))
                .containsExactly(Map.entry("quick", "true"), Map.entry("only", "intake,chain"),
                        Map.entry("node-args", "--a=1;--b=2"));
        assertThatThrownBy(() -> Bench.options("--chain-rat=5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no option --chain-rat;")
                .hasMessageContaining("--chain-rate");
        assertThatThrownBy(() -> Bench.options("quick")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommandLineQuotesWhatAShellWouldSplit() {
        assertThat(Bench.commandLine("--only=gateway", "--gateway-args=--a=1;--b=2", "--node-args=--c=it's"))
                .isEqualTo("--only=gateway '--gateway-args=--a=1;--b=2' '--node-args=--c=it'\\''s'");
    }

    @Test
    void runShsUsageNamesEveryOptionTheBenchmarkTakesAndNoOther() throws IOException {
        // the usage's explanations: a line "#   --name[, --other]  what it does" each
        Set<String> usage = new TreeSet<>();
        Pattern explained = Pattern.compile("^#\\s+(--[a-z][a-z0-9-]*(, --[a-z][a-z0-9-]*)*)\\s");
        Files.readString(Path.of("run.sh")).lines().takeWhile(l -> l.startsWith("#"))
                .map(explained::matcher).filter(Matcher::find)
                .forEach(m -> Arrays.stream(m.group(1).split(", ")).forEach(o -> usage.add(o.substring(2))));
        usage.add("home"); // run.sh passes it itself
        assertThat(usage).containsExactlyInAnyOrderElementsOf(Bench.OPTIONS);
    }

    @Test
    void nodeAndGatewaySettingsAreSpringArgumentsSeparatedBySemicolons() {
        assertThat(Bench.settings("node-args", null)).isEmpty();
        assertThat(Bench.settings("node-args", "--gridlink.stats.publish-interval=1s; --gridlink.stats.busy-share=0.3"))
                .containsExactly("--gridlink.stats.publish-interval=1s", "--gridlink.stats.busy-share=0.3");
        assertThatThrownBy(() -> Bench.settings("node-args", "gridlink.stats.publish-interval=1s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--node-args");
        assertThatThrownBy(() -> Bench.settings("gateway-args", "spring.cloud.gateway.server.webflux.httpclient.response-timeout=10s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--gateway-args");
    }

    @Test
    void theNextPagesCursorIsFoundInAPageAndNoneOnTheLast() {
        assertThat(CaseApi.nextCursor("{\"items\":[{\"title\":\"nextCursor\"}],\"nextCursor\":\"123456\"}"))
                .contains("123456");
        assertThat(CaseApi.nextCursor("{\"items\":[],\"nextCursor\":null}")).isEmpty();
    }

    @Test
    void aProbesReportNamesItsCategoryAndCell() {
        assertThat(CaseApi.aReport("WATER_LEAK", "probe 1", "410105001001-01", "GRID_PATROL"))
                .contains("\"categoryCode\":\"WATER_LEAK\"").contains("\"gridCode\":\"410105001001-01\"")
                .doesNotContain("\n");
        assertThat(CaseApi.aReport("WATER_LEAK", "probe 1", null, "GRID_PATROL")).doesNotContain("gridCode");
    }

    @Test
    void aReportIsInTheCommunitysFirstGridCell() {
        assertThat(CaseApi.aReport("410184102003", "t"))
                .contains("\"gridCode\":\"410184102003-01\"")
                .contains("\"categoryCode\":\"GARBAGE_PILE\"")
                .doesNotContain("\n");
    }

    @Test
    void neitherTheProbesNorTheRareFilterShareACategoryWithTheLoadOrTheIntake() {
        List<String> loaded = BulkLoad.CATEGORIES.stream().map(BulkLoad.Share::value).toList();

        assertThat(loaded).containsExactlyInAnyOrderElementsOf(BenchCity.CATEGORIES);
        assertThat(loaded).doesNotContain(RollupFreshness.PROBE_CATEGORY, Bench.RARE_CATEGORY);
        assertThat(RollupFreshness.PROBE_CATEGORY).isNotEqualTo(Bench.RARE_CATEGORY);
    }
}
