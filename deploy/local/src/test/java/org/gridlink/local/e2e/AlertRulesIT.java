package org.gridlink.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU;
import static org.gridlink.local.e2e.CrossTierFlowIT.JINGBALU_COMMUNITY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridlink.contracts.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerts an operator gets (deploy/k8s/monitoring/prometheus-rules.yaml) ask for metrics the apps export: every
 * metric an expression names, and every label a selector matches on, is in what a running platform's nodes and gateway
 * answer at {@code /actuator/prometheus}. An alert on a metric nobody exports would never fire.
 */
class AlertRulesIT {

    static final Path RULES = Path.of("..", "k8s", "monitoring", "prometheus-rules.yaml");
    // PromQL's own words that look like a metric's name
    static final Set<String> PROMQL = Set.of("histogram_quantile", "label_replace", "label_join", "count_values",
            "group_left", "group_right", "absent_over_time", "max_over_time", "min_over_time", "avg_over_time");
    static final Pattern NAME = Pattern.compile("\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b");
    static final Pattern SELECTOR = Pattern.compile("\\b([a-z][a-z0-9_]*)\\{([^}]*)}");
    static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*=\\s*\"([^\"]*)\"");

    static TestPlatform platform;
    static String scraped;

    @BeforeAll
    static void scrape() {
        platform = TestPlatform.get();
        // a call through the gateway to each tier opens its circuit breaker's meters, as traffic does
        for (String unit : List.of(JINGBALU_COMMUNITY, JINGBALU, "410105000000", "410100000000")) {
            platform.gatewayAs("leader.410100000000").get().uri("/api/units/{u}", unit).exchange()
                    .expectStatus().isOk();
        }
        StringBuilder all = new StringBuilder();
        for (Tier tier : Tier.values()) {
            all.append(prometheus(platform.directAnonymous(tier)));
        }
        all.append(prometheus(platform.gatewayAnonymous()));
        scraped = all.toString();
    }

    private static String prometheus(org.springframework.test.web.reactive.server.WebTestClient app) {
        // a node that served every endpoint of the tests (each route and status a timer with its histogram) exports
        // more than WebTestClient's default 256 KiB buffer
        return app.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void everyAlertSaysHowBadItIsAndWhatToDo() throws IOException {
        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            assertThat(alert).as("every rule is an alert").startsWith("Gridlink");
            assertThat(names.add(alert)).as(alert + " is named once").isTrue();
            assertThat((String) rule.get("expr")).as(alert).isNotBlank();
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            assertThat(labels).as(alert).extractingByKey("severity").isIn("critical", "warning", "info");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations).as(alert).containsKeys("summary", "description");
            assertThat((String) annotations.get("description")).as(alert).hasSizeGreaterThan(40);
        }
    }

    @Test
    void everyMetricAndLabelAnAlertAsksForIsOneTheAppsExport() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            String expr = (String) rule.get("expr");
            for (String metric : metrics(expr)) {
                if (!exported(metric)) {
                    missing.add(rule.get("alert") + ": " + metric);
                }
            }
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                Matcher matcher = MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    String series = selector.group(1) + "{" + matcher.group(1) + "=\"" + matcher.group(2) + "\"";
                    if (!Pattern.compile("(?m)^" + Pattern.quote(selector.group(1)) + "\\{[^}]*\\b"
                            + Pattern.quote(matcher.group(1) + "=\"" + matcher.group(2) + "\"")).matcher(scraped).find()) {
                        missing.add(rule.get("alert") + ": " + series + "}");
                    }
                }
            }
        }
        assertThat(missing).as("asked for by an alert, exported by no app").isEmpty();
    }

    @Test
    void everyAppSaysHowLateItsEventLoopsRunAndEveryNodeItsDatabaseLoopsToo() {
        for (Tier tier : Tier.values()) {
            assertThat(prometheus(platform.directAnonymous(tier))).as("the %s node", tier.id())
                    .containsPattern("(?m)^gridlink_eventloop_delay_seconds_bucket\\{[^}]*loops=\"http\"")
                    .containsPattern("(?m)^gridlink_eventloop_delay_seconds_bucket\\{[^}]*loops=\"database\"");
        }
        assertThat(prometheus(platform.gatewayAnonymous())).as("the gateway")
                .containsPattern("(?m)^gridlink_eventloop_delay_seconds_count\\{[^}]*loops=\"http\"[^}]*} [1-9]");
    }

    @Test
    void theCheckFindsAMetricNoAppExports() {
        assertThat(metrics("sum by (job) (increase(gridlink_no_such_thing_total[5m])) > 0"))
                .containsExactly("gridlink_no_such_thing_total");
        assertThat(exported("gridlink_no_such_thing_total")).isFalse();
        assertThat(exported("gridlink_outbox_pending")).isTrue();
    }

    static Set<String> metrics(String expr) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = NAME.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            if (!PROMQL.contains(m.group())) {
                found.add(m.group());
            }
        }
        return found;
    }

    static boolean exported(String metric) {
        return Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(scraped).find();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> rule = new Yaml().load(Files.readString(RULES));
        assertThat(rule).containsEntry("kind", "PrometheusRule");
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            all.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return all;
    }
}
