package org.gridlink.kernel.support.outbox;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the relay does when it wakes. A notification names the highest outbox id its statement inserted
 * ({@code outbox_notify()}, V9): if this relay published that row already (the notifications of rows committed during a
 * batch come in after the batch took them), there is nothing to do; otherwise there is a row to claim, and the relay
 * claims at once instead of first asking whether anything is unpublished. A poll tick, or a notification that names no
 * row (a database before V9), looks first: one statement when there is nothing, instead of a claiming transaction's
 * three.
 */
final class RelayWakes {

    /** A wake that names no row: the polling fallback. */
    static final long POLL = 0;

    enum Step { NOTHING, CLAIM, LOOK }

    private final Map<Long, Boolean> recent;

    /** Remembers the last {@code capacity} ids this relay published. */
    RelayWakes(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The row a notification's payload names, or {@link #POLL} if it names none. */
    static long notified(String payload) {
        try {
            return payload == null || payload.isEmpty() ? POLL : Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return POLL;
        }
    }

    synchronized Step next(long wake) {
        if (wake <= POLL) {
            return Step.LOOK;
        }
        return recent.containsKey(wake) ? Step.NOTHING : Step.CLAIM;
    }

    synchronized void published(Collection<Long> ids) {
        ids.forEach(id -> recent.put(id, Boolean.TRUE));
    }
}
