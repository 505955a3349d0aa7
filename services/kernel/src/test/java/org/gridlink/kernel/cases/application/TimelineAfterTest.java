package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Cases;
import org.gridlink.kernel.cases.TimelineEntry;
import org.junit.jupiter.api.Test;

/** The timeline an action answers with and sends as history, made without reading it back. */
class TimelineAfterTest {

    static final Instant T0 = Cases.T0;

    @Test
    void newEntriesFollowTheOnesOfTheSameTimeAndGoInTimeOrderAmongTheRest() {
        TimelineEntry report = entry(T0, "REPORT");
        TimelineEntry later = entry(T0.plusSeconds(60), "ACCEPT"); // from a neighbour whose clock runs ahead
        TimelineEntry same = entry(T0, "NOTE");
        TimelineEntry between = entry(T0.plusSeconds(30), "ESCALATE");

        assertThat(CaseHandling.timelineAfter(List.of(report, later), List.of(same, between)))
                .containsExactly(report, same, between, later);
    }

    @Test
    void anEntryTheTimelineHasOrThatComesTwiceIsThereOnce() {
        TimelineEntry report = entry(T0, "REPORT");
        TimelineEntry accept = entry(T0.plusSeconds(10), "ACCEPT");

        assertThat(CaseHandling.timelineAfter(List.of(report), List.of(report, accept, accept)))
                .containsExactly(report, accept);
        assertThat(CaseHandling.timelineAfter(List.of(), List.of())).isEmpty();
    }

    private static TimelineEntry entry(Instant at, String action) {
        return TimelineEntry.of(at, Cases.COMMUNITY, "someone", action, null, CaseStatus.REPORTED, null);
    }
}
