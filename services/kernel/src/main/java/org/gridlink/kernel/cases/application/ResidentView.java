package org.gridlink.kernel.cases.application;

import java.util.List;
import java.util.Set;
import org.gridlink.kernel.cases.CaseAction;
import org.gridlink.kernel.cases.CaseRecord;
import org.gridlink.kernel.cases.CaseStateMachine;
import org.gridlink.kernel.cases.TimelineEntry;
import org.gridlink.kernel.cases.Verdict;
import org.gridlink.kernel.evidence.EvidenceRef;

/**
 * A case as a resident reads it (the citizen who reported it, or who follows it after a merge): where it stands and
 * what came of it, from the units that had it, without the staff's names and their notes to each other (办理进度, as a
 * city's public service portal shows it). The staff reading the same record see all of it.
 *
 * <ul>
 *   <li>A note on the record ({@link CaseAction#COMMENT}: progress among the staff, a leader's instruction, a unit
 *       asking after it) is left out.</li>
 *   <li>Every entry names its unit; its person only when that is the resident.</li>
 *   <li>An entry's note is kept where it tells the resident the outcome: why the report was not accepted, how it was
 *       resolved, that it was closed or reopened, their verdict, the photos' descriptions; and on the resident's own
 *       entries. Every other note (why it was escalated, a dispatch's instructions, a request and its decision, a
 *       supervision notice) is the staff's; a case merged in is named, not its reporter.</li>
 *   <li>The record does not name the officer holding it nor the request waiting on a decision.</li>
 * </ul>
 */
public final class ResidentView {

    /** The entries whose note a resident reads. */
    private static final Set<String> PUBLIC_NOTES = Set.of(CaseStateMachine.REPORT, CaseAction.REJECT.name(),
            CaseAction.RESOLVE.name(), CaseStateMachine.CHILD_RESOLVED, CaseAction.CLOSE.name(), CaseStateMachine.CLOSED,
            CaseStateMachine.REOPEN, CaseStateMachine.REOPENED, Verdict.SATISFIED.action(), Verdict.NOT_FIXED.action(),
            EvidenceRef.ACTION);

    private ResidentView() {
    }

    /** The record without the officer holding it and the request waiting on a decision. */
    public static CaseRecord record(CaseRecord r) {
        return r.withoutStaff();
    }

    /** The timeline as {@code resident} reads it. */
    public static List<TimelineEntry> timeline(List<TimelineEntry> timeline, String resident) {
        return timeline.stream().filter(e -> !CaseAction.COMMENT.name().equals(e.action())).map(e -> {
            boolean own = resident.equals(e.actor());
            return new TimelineEntry(e.id(), e.at(), e.unit(), own ? e.actor() : null, e.action(), e.fromStatus(),
                    e.toStatus(), own ? e.note() : note(e));
        }).toList();
    }

    private static String note(TimelineEntry e) {
        if (PUBLIC_NOTES.contains(e.action())) {
            return e.note();
        }
        if (CaseStateMachine.MERGED_IN.equals(e.action()) && e.note() != null) {
            // which case was merged in; not its reporter nor the staff's words after it
            int at = e.note().indexOf(CaseStateMachine.MERGED_INTO_THIS);
            return at < 0 ? null : e.note().substring(0, at + CaseStateMachine.MERGED_INTO_THIS.length());
        }
        return null;
    }
}
