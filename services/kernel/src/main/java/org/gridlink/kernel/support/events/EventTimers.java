package org.gridlink.kernel.support.events;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/** Times the steps of an event's way between nodes, whose two ends may be read off two clocks. */
public final class EventTimers {

    private EventTimers() {
    }

    /**
     * Records {@code from} to {@code to}; not an unknown {@code from} (null, or a Kafka record without a timestamp:
     * -1 ms) and not one after {@code to} (a sender's clock ahead of this one tells nothing).
     */
    public static void since(Timer timer, Instant from, Instant to) {
        if (from != null && from.getEpochSecond() > 0 && !from.isAfter(to)) {
            timer.record(Duration.between(from, to));
        }
    }
}
