package org.gridlink.community.patrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.geo.Distance;
import org.gridlink.kernel.units.GridCell;
import org.junit.jupiter.api.Test;

class PatrolCoverageTest {

    static final UnitCode UNIT = UnitCode.of("410105001001");
    static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    static Patrol patrol(String cell, String who, Instant start, Instant end, List<Patrol.Point> points) {
        return new Patrol(UUID.randomUUID(), UNIT, cell, who, who, start, null, end, end == null ? null : who, null,
                points, List.of());
    }

    static Patrol.Point point(int seq, Instant at, double lat, double lon, String cell) {
        return new Patrol.Point(seq, at, lat, lon, cell, null);
    }

    static Patrol.Finding finding(String reporter, Instant at) {
        return new Patrol.Finding(UUID.randomUUID(), reporter, "t", "GARBAGE_PILE", "REPORTED", "410105001001-01", at);
    }

    @Test
    void aPatrolsLengthIsTheLineThroughItsCheckInsAndItsOutsidersAreCounted() {
        Patrol walk = patrol("410105001001-01", "gw", T0, T0.plusSeconds(1800), List.of(
                point(1, T0.plusSeconds(60), 34.7700, 113.6600, "410105001001-01"),
                point(2, T0.plusSeconds(600), 34.7710, 113.6600, "410105001001-01"),
                point(3, T0.plusSeconds(900), 34.7710, 113.6610, null)));
        double expected = Distance.metres(34.7700, 113.6600, 34.7710, 113.6600)
                + Distance.metres(34.7710, 113.6600, 34.7710, 113.6610);
        assertThat(walk.distanceMetres()).isCloseTo(expected, within(0.001));
        assertThat(walk.distanceMetres()).isBetween(190.0, 210.0); // about 111 m north, then 91 m east
        assertThat(walk.pointsOutsideCell()).isEqualTo(1);
        assertThat(walk.duration(T0.plusSeconds(99_999))).isEqualTo(Duration.ofMinutes(30));
        assertThat(patrol("410105001001-01", "gw", T0, null, List.of()).duration(T0.plusSeconds(300)))
                .as("under way: until now").isEqualTo(Duration.ofMinutes(5));
        assertThat(patrol("410105001001-01", "gw", T0, null, List.of()).distanceMetres()).isZero();
    }

    @Test
    void whatThePatrollerReportedWhileUnderWayIsFoundAndNothingElse() {
        Patrol walk = patrol("410105001001-01", "gw", T0, T0.plusSeconds(1800), List.of());
        assertThat(walk.found(finding("gw", T0), T0)).isTrue();
        assertThat(walk.found(finding("gw", T0.plusSeconds(1800)), T0)).isTrue();
        assertThat(walk.found(finding("gw", T0.minusSeconds(1)), T0)).isFalse();
        assertThat(walk.found(finding("gw", T0.plusSeconds(1801)), T0)).isFalse();
        assertThat(walk.found(finding("someone-else", T0.plusSeconds(60)), T0)).isFalse();
        Patrol underWay = patrol("410105001001-01", "gw", T0, null, List.of());
        assertThat(underWay.found(finding("gw", T0.plusSeconds(60)), T0.plusSeconds(120))).isTrue();
        assertThat(underWay.found(finding("gw", T0.plusSeconds(180)), T0.plusSeconds(120))).isFalse();
    }

    @Test
    void everyCellIsListedWithItsPatrolsAndTheCountOfCellsPatrolledIsThoseWithOne() {
        List<GridCell> cells = List.of(new GridCell("410105001001-01", "一网格", UNIT),
                new GridCell("410105001001-02", "二网格", UNIT), new GridCell("410105001001-03", "三网格", UNIT));
        Instant now = T0.plusSeconds(7200);
        Patrol ended = patrol("410105001001-01", "gw1", T0, T0.plusSeconds(1200), List.of(
                point(1, T0.plusSeconds(300), 34.77, 113.66, "410105001001-01"))).withFindings(
                List.of(finding("gw1", T0.plusSeconds(400))));
        Patrol underWay = patrol("410105001001-01", "gw1b", T0.plusSeconds(3600), null, List.of(
                point(1, T0.plusSeconds(4000), 34.77, 113.66, "410105001001-01"),
                point(2, T0.plusSeconds(5000), 34.77, 113.66, "410105001001-01")));
        Patrol other = patrol("410105001001-03", "gw3", T0, T0.plusSeconds(600), List.of());

        PatrolCoverage coverage = PatrolCoverage.of(UNIT, LocalDate.of(2026, 12, 5), cells,
                Map.of("410105001001-01", List.of("gw1", "gw1b")), List.of(ended, underWay, other), now);

        assertThat(coverage.cellCount()).isEqualTo(3);
        assertThat(coverage.patrolledCells()).isEqualTo(2);
        assertThat(coverage.cells()).extracting(PatrolCoverage.Cell::gridCode)
                .containsExactly("410105001001-01", "410105001001-02", "410105001001-03");
        PatrolCoverage.Cell first = coverage.cells().get(0);
        assertThat(first.patrols()).isEqualTo(2);
        assertThat(first.underWay()).isEqualTo(1);
        assertThat(first.minutes()).isEqualTo(20 + 60); // 20 minutes ended, 60 under way until now
        assertThat(first.checkIns()).isEqualTo(3);
        assertThat(first.findings()).isEqualTo(1);
        assertThat(first.lastAt()).isEqualTo(T0.plusSeconds(5000));
        assertThat(first.gridWorkers()).containsExactly("gw1", "gw1b");
        PatrolCoverage.Cell second = coverage.cells().get(1);
        assertThat(second.patrolled()).isFalse();
        assertThat(second.lastAt()).isNull();
        assertThat(second.gridWorkers()).isEmpty();
        assertThat(coverage.cells().get(2).lastAt()).isEqualTo(T0.plusSeconds(600));
    }
}
