package org.gridlink.local.e2e;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gridlink.kernel.support.outbox.OutboxMessage;
import org.gridlink.kernel.support.outbox.OutboxRelayHook;

/** Holds a node's outbox relay at one point, once, for the first batch holding an event of the given type. */
final class HoldingRelayHook implements OutboxRelayHook {

    enum Point { BEFORE_PUBLISH, AFTER_PUBLISH }

    private final Point point;
    private final String eventType;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean held;

    HoldingRelayHook(Point point, String eventType) {
        this.point = point;
        this.eventType = eventType;
    }

    @Override
    public void beforePublish(List<OutboxMessage> batch) {
        hold(Point.BEFORE_PUBLISH, batch);
    }

    @Override
    public void afterPublish(List<OutboxMessage> batch) {
        hold(Point.AFTER_PUBLISH, batch);
    }

    private void hold(Point at, List<OutboxMessage> batch) {
        if (at != point || held || batch.stream().noneMatch(m -> m.type().equals(eventType))) {
            return;
        }
        held = true;
        reached.countDown();
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("relay held for a crash test and released");
    }

    boolean awaitReached() throws InterruptedException {
        return reached.await(30, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }
}
