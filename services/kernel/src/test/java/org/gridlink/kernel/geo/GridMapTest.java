package org.gridlink.kernel.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseChange;
import org.gridlink.kernel.cases.CaseDetails;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Location;
import org.gridlink.kernel.cases.Outgoing;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.application.InvalidRequestException;
import org.gridlink.kernel.cases.application.ReportCase;
import org.gridlink.kernel.cases.application.ReportPlacement;
import org.gridlink.kernel.cases.application.RoutingByLocation;
import org.gridlink.kernel.geo.seeds.GridMapLoader;
import org.gridlink.kernel.units.UnitDirectory;
import org.gridlink.kernel.units.seeds.SeedLoader;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/** Where a point lies on the sample city's grid, and what a report there becomes. */
class GridMapTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnitDirectory SEEDS = new SeedLoader(new DefaultResourceLoader(), JSON).load("classpath:seeds/zhengzhou");
    private static final GridMap MAP = new GridMapLoader(new DefaultResourceLoader(), JSON).load("classpath:seeds/zhengzhou");
    private static final ReportPlacement PLACEMENT = new ReportPlacement(SEEDS, MAP);
    private static final RoutingByLocation ROUTING = new RoutingByLocation(SEEDS, MAP);
    private static final Instant NOW = Instant.parse("2026-11-02T01:00:00Z");

    @Test
    void everySeededCellHasAnOutline() {
        assertThat(MAP.cells()).hasSize(54);
    }

    @Test
    void aPointInsideACellIsInThatCell() {
        assertThat(MAP.cellAt(34.772, 113.662)).map(GridMap.Cell::code).contains("410105001001-01");
        assertThat(MAP.cellAt(34.776, 113.667)).map(GridMap.Cell::code).contains("410105001002-02");
        assertThat(MAP.cellAt(34.446, 113.747)).map(GridMap.Cell::code).contains("410184102002-03");
    }

    @Test
    void aPointOnASharedEdgeBelongsToTheLowerCode() {
        assertThat(MAP.cellAt(34.772, 113.665)).map(GridMap.Cell::code).contains("410105001001-01");
        assertThat(MAP.cellAt(34.77, 113.68)).map(GridMap.Cell::code).contains("410105002001-01");
    }

    @Test
    void aPointOutsideEveryCellIsNowhere() {
        assertThat(MAP.cellAt(34.70, 113.66)).isEmpty();
        assertThat(MAP.cellAt(0, 0)).isEmpty();
    }

    @Test
    void aReportWithCoordinatesOnlyIsPlacedInItsCell() {
        ReportCase placed = PLACEMENT.place(unit("410105001001"), report(34.772, 113.667, null));
        assertThat(placed.gridCode()).isEqualTo("410105001001-02");
    }

    @Test
    void aReportThatNamesItsCellKeepsIt() {
        ReportCase placed = PLACEMENT.place(unit("410105001001"), report(34.776, 113.667, "410105001001-03"));
        assertThat(placed.gridCode()).isEqualTo("410105001001-03");
        assertThat(PLACEMENT.place(unit("410105001001"), report(null, null, null)).gridCode()).isNull();
    }

    @Test
    void aPointInAnotherCommunityIsRefusedNamingTheCommunityThatHoldsIt() {
        assertThatThrownBy(() -> PLACEMENT.place(unit("410105001001"), report(34.776, 113.667, null)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("location");
                    assertThat(e.malformed()).isFalse();
                    assertThat(e.getMessage()).contains("省委社区 (410105001002)", "410105001002-02");
                });
    }

    @Test
    void aPointOutsideTheCityIsRefusedSayingSo() {
        assertThatThrownBy(() -> PLACEMENT.place(unit("410105001000"), report(34.70, 113.66, null)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("location");
                    assertThat(e.getMessage()).contains("no community of 郑州市");
                });
    }

    @Test
    void aReportAtATownshipIsPlacedInACellOfItsCommunities() {
        assertThat(PLACEMENT.place(unit("410105001000"), report(34.776, 113.667, null)).gridCode())
                .isEqualTo("410105001002-02");
        assertThatThrownBy(() -> PLACEMENT.place(unit("410105001000"), report(34.776, 113.682, null)))
                .hasMessageContaining("农科路社区 (410105002002)");
    }

    @Test
    void aDistrictsReportIsAcceptedAndDispatchedByTheSystemToTheTownshipOnTheWay() {
        CaseRecord atDistrict = CaseRecord.intake(UUID.randomUUID(), UnitCode.of("410105000000"),
                details("410105001002-02"), NOW.plusSeconds(3600), NOW);
        List<CaseChange> changes = ROUTING.afterReport(atDistrict, NOW);
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).entries()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("ACCEPT");
            assertThat(e.actor()).isEqualTo(TimelineEntry.SYSTEM);
        });
        CaseChange dispatch = changes.get(1);
        assertThat(dispatch.record().status()).isEqualTo(CaseStatus.DISPATCHED);
        assertThat(dispatch.record().dispatchedTo()).isEqualTo(UnitCode.of("410105001000"));
        assertThat(dispatch.entries()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(CaseAction.DISPATCH.name());
            assertThat(e.actor()).isEqualTo(TimelineEntry.SYSTEM);
            assertThat(e.note()).contains("410105001002-02");
        });
        assertThat(dispatch.messages()).singleElement().isInstanceOf(Outgoing.Dispatch.class);
    }

    @Test
    void aTownshipPassesOnOnlyTheSystemsRoutingDispatch() {
        CaseRecord received = CaseRecord.intake(UUID.randomUUID(), UnitCode.of("410105001000"),
                details("410105001002-02"), NOW.plusSeconds(3600), NOW);
        TimelineEntry systemDispatch = TimelineEntry.of(NOW, UnitCode.of("410105000000"), TimelineEntry.SYSTEM,
                "DISPATCH", CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, "routed");
        TimelineEntry personsDispatch = TimelineEntry.of(NOW, UnitCode.of("410105000000"), "handler.410105000000",
                "DISPATCH", CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, "please handle");
        assertThat(ROUTING.afterDispatch(received, systemDispatch, NOW)).last()
                .satisfies(c -> assertThat(c.record().dispatchedTo()).isEqualTo(UnitCode.of("410105001002")));
        assertThat(ROUTING.afterDispatch(received, personsDispatch, NOW)).isEmpty();
    }

    @Test
    void aCommunityOrACaseWithoutACellIsNotRouted() {
        assertThat(ROUTING.afterReport(CaseRecord.intake(UUID.randomUUID(), UnitCode.of("410105001002"),
                details("410105001002-02"), NOW, NOW), NOW)).isEmpty();
        assertThat(ROUTING.afterReport(CaseRecord.intake(UUID.randomUUID(), UnitCode.of("410105001000"),
                details(null), NOW, NOW), NOW)).isEmpty();
    }

    @Test
    void distancesAreGreatCircleMetres() {
        // 0.00018 degrees of latitude is about 20 m
        assertThat(Distance.metres(34.772, 113.662, 34.77218, 113.662)).isBetween(19.9, 20.1);
        double eastward = Distance.metres(34.772, 113.662, 34.772, 113.66288);
        assertThat(eastward).isBetween(79.0, 82.0);
        Distance.Box box = Distance.around(34.772, 113.662, 50);
        assertThat(Distance.metres(34.772, 113.662, box.maxLat(), 113.662)).isBetween(49.9, 50.1);
        assertThat(Distance.metres(34.772, 113.662, 34.772, box.maxLon())).isBetween(49.9, 50.1);
    }

    private static org.gridlink.kernel.units.Unit unit(String code) {
        return SEEDS.find(code).orElseThrow();
    }

    private static ReportCase report(Double lat, Double lon, String grid) {
        return new ReportCase("GARBAGE_PILE", "rubbish", null, lat == null ? null : new Location(lat, lon, null), grid,
                "GRID_PATROL", null);
    }

    private static CaseDetails details(String grid) {
        return new CaseDetails("GARBAGE_PILE", "rubbish", null, new Location(34.776, 113.667, null), grid,
                "GRID_PATROL", "worker", NOW);
    }
}
