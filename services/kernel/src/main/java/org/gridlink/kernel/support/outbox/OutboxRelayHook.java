package org.gridlink.kernel.support.outbox;

import java.util.List;

/**
 * Points in the relay where a test can hold it, to stop a node between committing a state change and
 * publishing its event, or between publishing and marking the row sent. Production uses the no-op default.
 */
public interface OutboxRelayHook {

    OutboxRelayHook NONE = new OutboxRelayHook() {
    };

    default void beforePublish(List<OutboxMessage> batch) {
    }

    default void afterPublish(List<OutboxMessage> batch) {
    }
}
