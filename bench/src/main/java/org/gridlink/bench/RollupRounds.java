package org.gridlink.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.gridlink.bench.driver.Formats;

/**
 * What a node's roll-up publisher did during a measurement, from its Prometheus scrape (open on every node): the
 * rounds it ran ({@code gridlink.stats.round}), the time they took and the units each reported
 * ({@code gridlink.stats.round.units}), as the difference of two scrapes.
 */
final class RollupRounds {

    /** The counters of one scrape that matter here. */
    record Scrape(double rounds, double seconds, double unitsReported) {

        Scrape minus(Scrape before) {
            return new Scrape(rounds - before.rounds, seconds - before.seconds, unitsReported - before.unitsReported);
        }

        /** "412 rounds in 60 s, 38.1 ms each (26.2% of the time), 2.30 units reported each" over the interval this difference covers. */
        String describe(Duration over) {
            if (rounds <= 0) {
                return "no round";
            }
            return Formats.number(rounds) + " rounds in " + over.toSeconds() + " s, "
                     + Formats.millis(seconds / rounds * 1e6) + " each ("
                    + Formats.number(100.0 * seconds * 1000 / over.toMillis()) + "% of the time), " + Formats.number(unitsReported / rounds) + " units reported each";
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RollupRounds() {
    }

    /** Reads the node's counters now. */
    static Scrape scrape(String nodeUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(nodeUrl + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(nodeUrl + "/actuator/prometheus answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot scrape " + nodeUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The round counters of a Prometheus text exposition; 0 for those it does not have yet. */
    static Scrape parse(String exposition) {
        Map<String, Double> values = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space).trim();
            values.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
        return new Scrape(values.getOrDefault("gridlink_stats_round_seconds_count", 0.0),
                values.getOrDefault("gridlink_stats_round_seconds_sum", 0.0),
                values.getOrDefault("gridlink_stats_round_units_sum", 0.0));
    }
}
