package org.gridlink.kernel.cases;

import java.util.List;

/** The result of a decision: the record as it is now, the entries to add to its timeline, the messages to send. */
public record CaseChange(CaseRecord record, List<TimelineEntry> entries, List<Outgoing> messages) {

    public CaseChange {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
    }

    public static CaseChange none(CaseRecord record) {
        return new CaseChange(record, List.of(), List.of());
    }
}
