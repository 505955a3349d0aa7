package org.gridlink.kernel.cases.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Cases;
import org.gridlink.kernel.cases.Origin;
import org.gridlink.kernel.cases.Outgoing;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.support.events.CloudEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which version of gridlink.case.returned a node sends, and what each carries. */
class ReturnedVersionsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant NOW = Cases.T0;

    static CloudEvent returned(int version) {
        CaseRecord r = Cases.at(Cases.TOWNSHIP, CaseStatus.CLOSED, Origin.ESCALATION, Cases.COMMUNITY, null, null, null);
        TimelineEntry e = TimelineEntry.of(NOW, Cases.TOWNSHIP, "s", "RETURN", CaseStatus.REPORTED, CaseStatus.CLOSED,
                "yours");
        return new CaseEventMapper(JSON, version).toEvent(
                new Outgoing.Return(Cases.COMMUNITY, e, "yours", "WITHIN_LOWER_LEVEL_POWERS"), r, java.util.List.of(), NOW);
    }

    @Test
    void v2ByDefaultWithAStructuredReason() {
        CloudEvent event = returned(2);
        assertThat(event.type()).isEqualTo(CaseEventTypes.RETURNED_V2);
        assertThat(event.dataSchema()).endsWith("gridlink.case.returned.v2");
        JsonNode body = JSON.readTree(event.data());
        assertThat(body.path("reason").path("code").asString()).isEqualTo("WITHIN_LOWER_LEVEL_POWERS");
        assertThat(body.path("reason").path("note").asString()).isEqualTo("yours");
    }

    @Test
    void v1OnRequestForARollingUpgradeWithTheReasonAsText() {
        CloudEvent event = returned(1);
        assertThat(event.type()).isEqualTo(CaseEventTypes.RETURNED);
        assertThat(JSON.readTree(event.data()).path("reason").asString()).isEqualTo("yours");
    }

    @Test
    void noOtherVersionExists() {
        assertThatThrownBy(() -> new CaseEventMapper(JSON, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returned-version");
    }
}
