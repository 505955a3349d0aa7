package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.gridlink.kernel.cases.CaseAction;
import org.junit.jupiter.api.Test;

/** An action's digest, by which an action sent again under its Idempotency-Key is told from another. */
class ActionRequestTest {

    static final Instant UNTIL = Instant.parse("2026-12-07T09:30:00.123456Z");

    @Test
    void theSameActionGivesTheSameDigestAsTheActionReadsIt() {
        ActionRequest asked = new ActionRequest(CaseAction.EXTEND_REQUEST, "rain all week", null, null, null, null,
                UNTIL);

        assertThat(asked.digest()).hasSize(64).matches("[0-9a-f]+")
                .isEqualTo(new ActionRequest(CaseAction.EXTEND_REQUEST, "  rain all week\n", "", " ", null, null,
                        UNTIL.plusNanos(789)).digest());
    }

    @Test
    void anyFieldAskedOtherwiseGivesAnotherDigest() {
        ActionRequest asked = new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, null,
                null, null, null, null);
        List<ActionRequest> others = List.of(
                new ActionRequest(CaseAction.ESCALATE, "to the street team", "410105001001", null, null, null, null,
                        null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team!", "410105001001", null, null, null, null,
                        null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001002", null, null, null, null,
                        null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", "officer.1", null, null,
                        null, null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, "GARBAGE_PILE",
                        null, null, null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, null, "WRONG_UNIT",
                        null, null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, null, null, UNTIL,
                        null, null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, null, null, null,
                        "3f1c2e4a-0000-4000-8000-000000000001", null),
                new ActionRequest(CaseAction.DISPATCH, "to the street team", "410105001001", null, null, null, null,
                        null, "SATISFIED"),
                // a field's text moved into the next one is not the same request
                new ActionRequest(CaseAction.DISPATCH, "to the street team410105001001", null, null, null, null, null,
                        null, null));

        assertThat(others).extracting(ActionRequest::digest).doesNotContain(asked.digest()).doesNotHaveDuplicates();
    }
}
