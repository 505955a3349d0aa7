package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The case API as a test uses it through the gateway, as the supervisor of the unit in question (who may do every
 * action there): report, act, read, wait for a record to reach a state.
 */
final class Api {

    private final TestPlatform platform;

    Api(TestPlatform platform) {
        this.platform = platform;
    }

    private WebTestClient as(String unit) {
        return platform.gatewayAs("supervisor." + unit);
    }

    static Map<String, Object> aReport(String category, String title) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryCode", category);
        body.put("title", title);
        body.put("description", "found on patrol");
        // an address without coordinates: a located report is placed (and, above a community, routed) by its point
        body.put("location", Map.of("address", "经八路 12号"));
        body.put("source", "GRID_PATROL");
        body.put("reporter", "grid-worker-7");
        return body;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> report(String unit, Map<String, Object> body) {
        return as(unit).post().uri("/api/units/{u}/cases", unit).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    String reportCase(String unit, String title) {
        return (String) report(unit, aReport("GARBAGE_PILE", title)).get("caseId");
    }

    Map<String, Object> act(String unit, String caseId, String action, String note, String target) {
        Map<String, Object> body = new HashMap<>();
        body.put("action", action);
        if (note != null) {
            body.put("note", note);
        }
        if (target != null) {
            body.put("target", target);
        }
        return act(unit, caseId, body);
    }

    /** An action as the unit's supervisor, with the whole body given. */
    @SuppressWarnings("unchecked")
    Map<String, Object> act(String unit, String caseId, Map<String, Object> body) {
        return as(unit).post().uri("/api/units/{u}/cases/{id}/actions", unit, caseId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    Map<String, Object> act(String unit, String caseId, String action) {
        return act(unit, caseId, action, null, null);
    }

    /** The work waiting on each department officer at the unit, and their absences (GET …/todo/officers). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> loadsAt(String unit) {
        return as(unit).get().uri("/api/units/{u}/todo/officers", unit).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
    }

    /** The unit's record of the case, or null while the unit holds none. */
    @SuppressWarnings("unchecked")
    Map<String, Object> find(String unit, String caseId) {
        var result = as(unit).get().uri("/api/units/{u}/cases/{id}", unit, caseId).exchange()
                .expectBody(Map.class).returnResult();
        if (result.getStatus() == HttpStatus.NOT_FOUND) {
            return null;
        }
        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        return result.getResponseBody();
    }

    /** Waits until the unit's record of the case has the status, then returns it. */
    Map<String, Object> awaitStatus(String unit, String caseId, String status) {
        Map<String, Object>[] seen = new Map[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            seen[0] = find(unit, caseId);
            assertThat(seen[0]).as("record of %s at %s", caseId, unit).isNotNull();
            assertThat(seen[0].get("status")).as("status at %s", unit).isEqualTo(status);
        });
        return seen[0];
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> timeline(Map<String, Object> view) {
        return (List<Map<String, Object>>) view.get("timeline");
    }

    /**
     * Asserts a problem+json answer (RFC 9457) with the status, naming the field (when not null) and saying the text in
     * its detail (when not null).
     */
    @SuppressWarnings("unchecked")
    static void problem(WebTestClient.ResponseSpec response, int status, String field, String text) {
        Map<String, Object> problem = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        if (field != null) {
            assertThat(problem.get("field")).as("problem %s", problem).isEqualTo(field);
        }
        if (text != null) {
            assertThat((String) problem.get("detail")).as("problem %s", problem).contains(text);
        }
    }

}
