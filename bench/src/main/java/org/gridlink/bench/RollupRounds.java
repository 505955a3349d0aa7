package org.gridlink.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridlink.bench.driver.Formats;

/**
 * What a node's roll-up publisher did during a measurement, from its Prometheus scrape (open on every node): the
 * rounds it ran ({@code gridlink.stats.round}), the time they took and the units each reported
 * ({@code gridlink.stats.round.units}), as the difference of two scrapes.
 */
final class RollupRounds {

    /** A timer's count and sum (seconds). */
    record Timed(double count, double seconds) {

        static final Timed NONE = new Timed(0, 0);

        Timed minus(Timed before) {
            return new Timed(count - before.count, seconds - before.seconds);
        }

        /** "1.23 s (45)": the mean and the count; "none" without any. */
        String mean() {
            return count <= 0 ? "none" : Formats.millis(seconds / count * 1e6) + " (" + Math.round(count) + ")";
        }
    }

    /**
     * The counters of one scrape that matter here: the rounds, their time and the units they reported; how long the
     * changes the reports carried waited, own and subtree ({@code gridlink.stats.change.wait}); how long the
     * children's reports took to arrive here, from their computation ({@code gridlink.stats.report.lag}) and from their
     * producer ({@code gridlink.stats.report.delivery}); and how long the node's outbox rows
     * (its reports among them) took from their insert to the broker's ack ({@code gridlink.outbox.lag}).
     */
    record Scrape(double rounds, double seconds, double unitsReported, Timed ownWait, Timed subtreeWait, Timed lag,
                  Timed reportDelivery, Timed outbox, Timed inboxDelivery, Timed inboxLag) {

        Scrape(double rounds, double seconds, double unitsReported) {
            this(rounds, seconds, unitsReported, Timed.NONE, Timed.NONE, Timed.NONE, Timed.NONE, Timed.NONE,
                    Timed.NONE, Timed.NONE);
        }

        Scrape minus(Scrape before) {
            return new Scrape(rounds - before.rounds, seconds - before.seconds, unitsReported - before.unitsReported,
                    ownWait.minus(before.ownWait), subtreeWait.minus(before.subtreeWait), lag.minus(before.lag),
                    reportDelivery.minus(before.reportDelivery), outbox.minus(before.outbox),
                    inboxDelivery.minus(before.inboxDelivery), inboxLag.minus(before.inboxLag));
        }

        /**
         * "its outbox rows reached the broker 12.3 ms (456) after the transaction that wrote them began; events from
         * other nodes came to its listener 4.5 ms (789) after their producer had them, and were applied here 67.8 ms
         * (789) after the change that sent them": the steps of an event's way between two nodes, means over this
         * difference.
         */
        String describeEvents() {
            return "its outbox rows reached the broker " + outbox.mean() + " after the transaction that wrote them"
                    + " began; events from other nodes came to its listener " + inboxDelivery.mean() + " after their"
                    + " producer had them, and were applied here " + inboxLag.mean() + " after the change that sent"
                    + " them";
        }

        /**
         * "412 rounds in 60 s, 38.1 ms each (26.2% of the time), 2.30 units reported each; …" over the interval this
         * difference covers.
         */
        String describe(Duration over) {
            if (rounds <= 0) {
                return "no round";
            }
            return Formats.number(rounds) + " rounds in " + over.toSeconds() + " s, "
                     + Formats.millis(seconds / rounds * 1e6) + " each ("
                    + Formats.number(100.0 * seconds * 1000 / over.toMillis()) + "% of the time), " + Formats.number(unitsReported / rounds) + " units reported each"
                    + (ownWait.count > 0 || subtreeWait.count > 0 || lag.count > 0
                        ? "; a change waited for its report: own " + ownWait.mean() + ", subtree " + subtreeWait.mean()
                            + "; children's reports came to its listener " + reportDelivery.mean() + " after their"
                            + " producer had them and were kept " + lag.mean() + " after they were computed"
                            + "; the node's outbox rows reached the broker " + outbox.mean() + " after their insert"
                        : "");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RollupRounds() {
    }

    /** Reads the node's counters now. */
    static Scrape scrape(String nodeUrl) {
        return parse(exposition(nodeUrl));
    }

    /** The node's Prometheus text exposition now. */
    static String exposition(String nodeUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(nodeUrl + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(nodeUrl + "/actuator/prometheus answered " + r.statusCode());
            }
            return r.body();
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
            Matcher change = CHANGE.matcher(line);
            String key = change.find() ? name + "." + change.group(1) : name;
            values.merge(key, Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
        return new Scrape(values.getOrDefault("gridlink_stats_round_seconds_count", 0.0),
                values.getOrDefault("gridlink_stats_round_seconds_sum", 0.0),
                values.getOrDefault("gridlink_stats_round_units_sum", 0.0),
                timed(values, "gridlink_stats_change_wait_seconds", ".own"),
                timed(values, "gridlink_stats_change_wait_seconds", ".subtree"),
                timed(values, "gridlink_stats_report_lag_seconds", ""),
                timed(values, "gridlink_stats_report_delivery_seconds", ""),
                timed(values, "gridlink_outbox_lag_seconds", ""),
                timed(values, "gridlink_inbox_delivery_seconds", ""),
                timed(values, "gridlink_inbox_lag_seconds", ""));
    }

    private static final Pattern CHANGE = Pattern.compile("[{,]change=\"(\\w+)\"");

    private static Timed timed(Map<String, Double> values, String name, String tag) {
        return new Timed(values.getOrDefault(name + "_count" + tag, 0.0), values.getOrDefault(name + "_sum" + tag, 0.0));
    }
}
