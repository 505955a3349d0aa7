package org.gridlink.kernel.cases;

import java.time.Instant;
import org.gridlink.contracts.UnitCode;

/** A message a change sends to another unit; the application turns each into an event in the outbox. */
public sealed interface Outgoing {

    UnitCode to();

    TimelineEntry entry();

    /** The case handed up to the parent: {@code gridlink.case.escalated.v1}. */
    record Escalation(UnitCode to, TimelineEntry entry) implements Outgoing {
    }

    /** The case handed down to a child: {@code gridlink.case.dispatched.v1}. */
    record Dispatch(UnitCode to, TimelineEntry entry, String instructions, Instant dueAt) implements Outgoing {
    }

    /**
     * An escalation sent back to the child that made it: {@code gridlink.case.returned.v2} ({@code .v1} on request);
     * {@code reasonCode} from the return reasons, or null.
     */
    record Return(UnitCode to, TimelineEntry entry, String reason, String reasonCode) implements Outgoing {

        public Return(UnitCode to, TimelineEntry entry, String reason) {
            this(to, entry, reason, null);
        }
    }

    /** A timeline entry travelling along the chain: {@code gridlink.case.progressed.v1}. */
    record Progress(UnitCode to, TimelineEntry entry, CaseStatus senderStatus, String resolution) implements Outgoing {
    }

    /** A request to the dispatcher (return, extension, park): {@code gridlink.case.requested.v1}. */
    record Request(UnitCode to, TimelineEntry entry, PendingRequest request) implements Outgoing {
    }

    /**
     * The dispatcher's decision on a child's request: {@code gridlink.case.decided.v1}; {@code until} is the granted
     * due time (extension) or review date (park).
     */
    record Decision(UnitCode to, TimelineEntry entry, PendingRequest.Kind kind, boolean approved, Instant until,
                    String note) implements Outgoing {
    }
}
