package org.gridlink.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.gridlink.bench.driver.Measurement;
import org.gridlink.bench.driver.Operation;

/**
 * One case up the whole chain, as its supervisors would take it: reported at a community, ACCEPT and ESCALATE there;
 * as soon as the township holds its record, ACCEPT and ESCALATE there; the same at the district; done when the city
 * holds its record. Each hop is timed from the records' own timestamps (the sender's record's {@code updatedAt} of the
 * ESCALATE, the receiver's {@code createdAt}, one clock for all nodes on this machine): outbox, relay, broker,
 * consumer, the receiving node's transaction; the hop issue 8 names, commit to commit, is read afterwards for the cases
 * it {@link #measured() measured} ({@link CommitHops}). The chain time, community ESCALATE to the city's record, also
 * holds the two middle tiers' supervisors' reactions (the benchmark seeing the record in the tier's database, within
 * {@link Arrivals#TICK}, then two HTTP actions each).
 */
final class EscalationChain {

    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);

    private final CaseApi api;
    private final String base;
    private final Arrivals arrivals;
    private final List<String> communities;
    private final java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicLong next = new AtomicLong();
    private Histogram[] hops = newHops();
    private Histogram chain = Measurement.newHistogram();
    private List<CommitHops.Escalated> measured = new ArrayList<>();

    /**
     * @param base     where the supervisors act (the gateway)
     * @param arrivals tells when a unit holds its record of a case
     */
    EscalationChain(CaseApi api, String base, Arrivals arrivals, List<String> communities) {
        this.api = api;
        this.base = base;
        this.arrivals = arrivals;
        this.communities = communities;
    }

    private static Histogram[] newHops() {
        return new Histogram[] {Measurement.newHistogram(), Measurement.newHistogram(), Measurement.newHistogram()};
    }

    /** Forgets what was recorded (after a warm-up). */
    synchronized void reset() {
        hops = newHops();
        chain = Measurement.newHistogram();
        measured = new ArrayList<>();
    }

    /** The hops community→township, township→district, district→city (µs). */
    synchronized Histogram[] hops() {
        return hops;
    }

    /** All three hops in one histogram. */
    synchronized Histogram allHops() {
        Histogram all = Measurement.newHistogram();
        for (Histogram h : hops) {
            all.add(h);
        }
        return all;
    }

    synchronized Histogram chain() {
        return chain;
    }

    /** The cases recorded since the last {@link #reset()}, with the units they went through ({@link CommitHops}). */
    synchronized List<CommitHops.Escalated> measured() {
        return List.copyOf(measured);
    }

    Operation operation() {
        return () -> {
            String community = communities.get((int) (next.getAndIncrement() % communities.size()));
            String township = community.substring(0, 9) + "000";
            String district = community.substring(0, 6) + "000000";
            String city = community.substring(0, 4) + "00000000";
            long[] micros = new long[3];
            return api.report(base, community).thenCompose(r -> {
                String caseId = CaseApi.caseId(r);
                return escalate(community, caseId)
                        .thenCompose(sent -> arrival(township, caseId, sent, micros, 0)
                                .thenCompose(at -> escalate(township, caseId))
                                .thenCompose(s2 -> arrival(district, caseId, s2, micros, 1))
                                .thenCompose(at -> escalate(district, caseId))
                                .thenCompose(s3 -> arrival(city, caseId, s3, micros, 2))
                                .thenApply(cityAt -> {
                                    record(new CommitHops.Escalated(UUID.fromString(caseId),
                                            List.of(community, township, district, city)), micros,
                                            between(sent, cityAt));
                                    return true;
                                }));
            }).whenComplete((ok, error) -> {
                if (error != null) {
                    firstFailure.compareAndSet(null, error);
                }
            });
        };
    }

    private synchronized void record(CommitHops.Escalated escalated, long[] hopMicros, long chainMicros) {
        measured.add(escalated);
        for (int i = 0; i < 3; i++) {
            hops[i].recordValue(Math.max(1, hopMicros[i]));
        }
        chain.recordValue(Math.max(1, chainMicros));
    }

    /** ACCEPT then ESCALATE at the unit; the moment of the ESCALATE as its record tells. */
    private CompletableFuture<Instant> escalate(String unit, String caseId) {
        return api.act(base, unit, caseId, "ACCEPT").thenCompose(accepted -> {
            check(accepted);
            return api.act(base, unit, caseId, "ESCALATE");
        }).thenApply(escalated -> CaseApi.instant(escalated, "updatedAt"));
    }

    /** Waits until the unit holds a record of the case (see {@link Arrivals}); its {@code createdAt}, also hop {@code i}. */
    private CompletableFuture<Instant> arrival(String unit, String caseId, Instant sent, long[] micros, int i) {
        return arrivals.of(unit, caseId, ARRIVAL_TIMEOUT).thenApply(createdAt -> {
            micros[i] = between(sent, createdAt);
            return createdAt;
        });
    }

    /** Why the first case that failed did, if one did. */
    java.util.Optional<Throwable> firstFailure() {
        return java.util.Optional.ofNullable(firstFailure.get());
    }

    /** Takes one case up the whole chain and waits for it: every consumer on the way has joined its group. */
    void once() {
        operation().start().toCompletableFuture().join();
    }

    private static void check(CaseApi.Reply response) {
        if (!CaseApi.ok(response)) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    static long between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1_000;
    }
}
