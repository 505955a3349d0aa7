package org.gridlink.kernel.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSourcesTest {

    @Test
    void thePlatformsSourcesAreMarkedAsTheFiguresCountThem() {
        ReportSources sources = ReportSources.of(List.of("GRID_PATROL", "INSPECTION"), List.of("HOTLINE_12345"));
        assertThat(sources.find("GRID_PATROL")).get().extracting(ReportSources.Source::proactive).isEqualTo(true);
        assertThat(sources.find("INSPECTION")).get().extracting(ReportSources.Source::proactive).isEqualTo(true);
        assertThat(sources.find("HOTLINE_12345")).get()
                .satisfies(s -> assertThat(s.hotline()).isTrue())
                .satisfies(s -> assertThat(s.proactive()).isFalse())
                .satisfies(s -> assertThat(s.name()).isEqualTo("12345热线"));
        assertThat(sources.find("CITIZEN_APP")).get()
                .satisfies(s -> assertThat(s.hotline() || s.proactive()).isFalse());
        // the console offered 市民热线 as CITIZEN_HOTLINE, which no figure counted: it is no source
        assertThat(sources.find("CITIZEN_HOTLINE")).isEmpty();
        assertThat(sources.all()).extracting(ReportSources.Source::code)
                .containsExactly("GRID_PATROL", "INSPECTION", "HOTLINE_12345", "CITIZEN_APP", "CITIZEN_COMPLAINT", "OPEN311",
                        "OTHER");
    }

    @Test
    void aSourceTheFiguresAreSetToCountIsOneAReportMayName() {
        ReportSources sources = ReportSources.of(List.of("GRID_PATROL"), List.of("HOTLINE_12345", "HOTLINE_12319"));
        assertThat(sources.find("HOTLINE_12319")).get()
                .satisfies(s -> assertThat(s.hotline()).isTrue())
                .satisfies(s -> assertThat(s.name()).isEqualTo("HOTLINE_12319"));
        // INSPECTION is still a source, no longer counted as found proactively
        assertThat(sources.find("INSPECTION")).get().extracting(ReportSources.Source::proactive).isEqualTo(false);
        assertThat(sources.codes()).endsWith("OTHER, HOTLINE_12319");
    }
}
