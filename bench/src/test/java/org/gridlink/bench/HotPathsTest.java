package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.gridlink.gateway.routing.LeanHeaderFilters;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;

/** What the hot-path measurement compares, and how it sums up its rounds. */
class HotPathsTest {

    @Test
    void theMedianRoundIsTheMiddleOneOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(HotPathCosts.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(HotPathCosts.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void bothSidesOfTheHeaderFiltersHandOnTheSameHeadersForTheBenchmarksRequestAndAnswer() {
        // the comparison is of equal work: nothing in a report's headers or its answer's is removed by either side
        HttpHeaders request = HotPaths.intakeRequest("eyJhbGciOiJSUzI1NiJ9.payload.signature");
        HttpHeaders response = HotPaths.intakeResponse();
        HttpHeadersFilter gateways = new RemoveHopByHopHeadersFilter();
        HttpHeadersFilter lean = (HttpHeadersFilter) new LeanHeaderFilters()
                .postProcessAfterInitialization(new RemoveHopByHopHeadersFilter(), "filter");

        assertThat(HttpHeadersFilter.filter(List.of(gateways), request, null, Type.REQUEST).toSingleValueMap())
                .isEqualTo(request.toSingleValueMap());
        assertThat(HttpHeadersFilter.filter(List.of(lean), request, null, Type.REQUEST)).isSameAs(request);
        assertThat(HttpHeadersFilter.filter(List.of(gateways), response, null, Type.RESPONSE).toSingleValueMap())
                .isEqualTo(response.toSingleValueMap());
        assertThat(HttpHeadersFilter.filter(List.of(lean), response, null, Type.RESPONSE)).isSameAs(response);
    }

    @Test
    void alternatingTimesBothSidesAndTellsTheSlowerOne() {
        HotPathCosts.Pair pair = HotPaths.alternate(i -> i, i -> Integer.toString(i).hashCode() ^ Long.hashCode(
                Double.doubleToLongBits(Math.sqrt(i))));

        assertThat(pair.before()).isPositive();
        assertThat(pair.after()).isGreaterThan(pair.before());
        assertThat(pair.saved()).isNegative();
    }

    @Test
    void theChildsLineIsReadBackAndItsCommandRunsTheGatewaysJarWithTheBenchmarkOnTheLaunchersPath() {
        HotPathCosts.Result result = HotPathCosts.parse("starting\nhot-paths 812.5 301.25 4.5 1.75\n");

        assertThat(result.headerFilters()).isEqualTo(new HotPathCosts.Pair(812.5, 301.25));
        assertThat(result.levelCheck()).isEqualTo(new HotPathCosts.Pair(4.5, 1.75));
        assertThat(HotPathCosts.parse("an exception, no line")).isNull();
        assertThat(HotPathCosts.command(Path.of("/g/gateway-exec.jar"), Path.of("/b/bench.jar"), "t"))
                .containsSubsequence("-Dloader.path=/b/bench.jar", "-Dloader.main=org.gridlink.bench.HotPaths", "-cp",
                        "/g/gateway-exec.jar", "org.springframework.boot.loader.launch.PropertiesLauncher", "t");
    }
}
