package org.gridlink.gateway;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where an open circuit, a timeout or an unreachable node ends: 503 problem+json naming the tier, for every
 * HTTP method (a GET-only fallback would turn a timed-out POST into a 405). Also the platform summary.
 */
@RestController
class FallbackController {

    private final GatewaySettings settings;

    FallbackController(GatewaySettings settings) {
        this.settings = settings;
    }

    @RequestMapping("/fallback/{tier}")
    ResponseEntity<ProblemDetail> unavailable(@PathVariable String tier) {
        ProblemDetail p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "tier-unavailable",
                "The " + tier + " tier is unavailable",
                "the " + tier + " tier's node did not answer in time or is down; nothing was changed by the gateway,"
                        + " try again shortly");
        p.setProperty("tier", tier);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @GetMapping("/api/platform")
    Map<String, Object> platform() {
        return Map.of("cityCode", settings.cityCode(), "name", settings.cityName(), "tiers", settings.nodes());
    }
}
