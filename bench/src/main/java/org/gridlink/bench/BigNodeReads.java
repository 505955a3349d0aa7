package org.gridlink.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.gridlink.bench.driver.Operation;

/**
 * The reads a supervisor makes on a node holding a million records, as operations for the load driver, at any base
 * URL (the gateway or the community node): the queue's first page, the pages after it (keyset, by the cursor each
 * page gives), a status-filtered first page, and the case page of random loaded records.
 */
final class BigNodeReads {

    static final int PAGE = 20;
    static final String STATUS = "REPORTED";

    /** A loaded record: its unit and case id. */
    record Loaded(String unit, UUID caseId) {
    }

    /** One supervisor paging down a unit's queue: the cursor of the next page, and how many pages it has read. */
    private static final class Walker {
        final String unit;
        String cursor;
        long page;

        Walker(String unit) {
            this.unit = unit;
        }
    }

    private final CaseApi api;
    private final List<String> communities;
    private final List<Loaded> sample;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong deepest = new AtomicLong();

    BigNodeReads(CaseApi api, List<String> communities, List<Loaded> sample) {
        this.api = api;
        this.communities = communities;
        this.sample = sample;
    }

    /**
     * {@code size} loaded records picked at random (a random seq of the load's range each, so every record is as
     * likely), for the case page.
     */
    static List<Loaded> sample(Connection c, long firstSeq, long lastSeq, int size, long seed) throws SQLException {
        Random random = new Random(seed);
        List<Loaded> loaded = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("select unit_code, case_id from case_record where seq = ?")) {
            while (loaded.size() < size) {
                p.setLong(1, firstSeq + (long) (random.nextDouble() * (lastSeq - firstSeq + 1)));
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        loaded.add(new Loaded(rs.getString(1), rs.getObject(2, UUID.class)));
                    }
                }
            }
        }
        return loaded;
    }

    private String unit() {
        return communities.get((int) (next.getAndIncrement() % communities.size()));
    }

    /** {@code GET …/cases?limit=20}, the communities in turn. */
    Operation firstPage(String base) {
        return () -> api.queue(base, unit(), "limit=" + PAGE).thenApply(BigNodeReads::fullPage);
    }

    /** {@code GET …/cases?status=REPORTED&limit=20}, the communities in turn. */
    Operation statusPage(String base) {
        return () -> api.queue(base, unit(), "status=" + STATUS + "&limit=" + PAGE).thenApply(BigNodeReads::fullPage);
    }

    /**
     * The next page of a supervisor paging down a queue ({@code cursor} from the page before): as many supervisors as
     * clients ask at once, each on a community in turn, each going deeper with every page; one at the last page starts
     * again from the first.
     */
    Operation keysetPages(String base) {
        ConcurrentLinkedQueue<Walker> idle = new ConcurrentLinkedQueue<>();
        return () -> {
            Walker w = Optional.ofNullable(idle.poll()).orElseGet(() -> new Walker(unit()));
            String query = "limit=" + PAGE + (w.cursor == null ? "" : "&cursor=" + w.cursor);
            return api.queue(base, w.unit, query).thenApply(r -> {
                boolean ok = fullPage(r);
                if (ok) {
                    w.page++;
                    deepest.accumulateAndGet(w.page, Math::max);
                    w.cursor = CaseApi.nextCursor(r.body()).orElse(null);
                    if (w.cursor == null) {
                        w.page = 0;
                    }
                }
                idle.add(w);
                return ok;
            });
        };
    }

    /** {@code GET …/cases/{id}} of a random loaded record. */
    Operation casePage(String base) {
        return () -> {
            Loaded l = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            return api.read(base, l.unit(), l.caseId().toString()).thenApply(CaseApi::ok);
        };
    }

    /** The deepest page any supervisor read (the first page is page 1). */
    long deepestPage() {
        return deepest.get();
    }

    /** A 200 with a page of items (the queue of a loaded community is never shorter than a page). */
    static boolean fullPage(CaseApi.Reply r) {
        return CaseApi.ok(r) && r.body().contains("\"items\":[{");
    }
}
