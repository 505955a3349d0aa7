package org.gridlink.kernel.cases.persistence;

import java.time.Instant;
import java.util.List;
import org.gridlink.kernel.cases.CaseStatus;
import org.gridlink.kernel.cases.Task;

/**
 * What a page of a unit's queue is narrowed to; a null component narrows nothing.
 *
 * @param status         records in this status
 * @param category       records of this category
 * @param overdueAt      records whose running clock ran out before this instant
 * @param grid           records found in this grid cell (a community's)
 * @param assignee       records given to this department officer of the unit and not taken back from them (escalated,
 *                       returned on their request), open or handled
 * @param reportedFrom   records of cases reported at or after this instant
 * @param reportedBefore records of cases reported before this instant
 * @param reporter       records of cases this person reported (the record's reporter), and of those their reports
 *                       were merged into (they follow them)
 * @param task           records that wait on this task of the unit's people ({@link Task#of}) at {@code taskAt}
 * @param taskAt         the instant a parked record's review date is compared with, when {@code task} is given
 * @param supervisedAt   records a supervision notice (督办) was sent about that still wait on the unit's people at
 *                       this instant ({@link Task#supervised})
 * @param words          records each of these words is found in (检索): in the title, the description or the address,
 *                       regardless of case, or at the beginning of the case id; null or empty for any
 * @param instructed     records a leader's instruction (领导批示) waits on, not closed or rejected
 */
public record QueueFilter(CaseStatus status, String category, Instant overdueAt, String grid, String assignee,
                          Instant reportedFrom, Instant reportedBefore, String reporter, Task task, Instant taskAt,
                          Instant supervisedAt, List<String> words, boolean instructed) {

    /** The whole queue. */
    public static final QueueFilter NONE = new QueueFilter(null, null, null, null, null);

    public QueueFilter {
        if (task != null && taskAt == null) {
            throw new IllegalArgumentException("a task narrows the queue at an instant (a parked record waits on none)");
        }
        words = words == null || words.isEmpty() ? null : List.copyOf(words);
    }

    /** Not narrowed to a task. */
    public QueueFilter(CaseStatus status, String category, Instant overdueAt, String grid, String assignee,
                       Instant reportedFrom, Instant reportedBefore, String reporter) {
        this(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, reporter, null, null, null, null, false);
    }

    /** Not narrowed by the time of the report. */
    public QueueFilter(CaseStatus status, String category, Instant overdueAt, String grid, String assignee) {
        this(status, category, overdueAt, grid, assignee, null, null, null);
    }

    /** The same narrowing, and only the records whose running clock ran out before {@code at}. */
    public QueueFilter withOverdueAt(Instant at) {
        return new QueueFilter(status, category, at, grid, assignee, reportedFrom, reportedBefore, reporter, task, taskAt,
                supervisedAt, words, instructed);
    }

    /** The same narrowing, and only the cases reported from {@code from} (inclusive) to {@code before} (exclusive). */
    public QueueFilter withReported(Instant from, Instant before) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, from, before, reporter, task, taskAt,
                supervisedAt, words, instructed);
    }

    /** The same narrowing, and only the cases {@code name} reported or follows. */
    public QueueFilter withReporter(String name) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, name, task,
                taskAt, supervisedAt, words, instructed);
    }

    /** The same narrowing, and only the records that wait on {@code wanted} at {@code now} (none: not narrowed). */
    public QueueFilter withTask(Task wanted, Instant now) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, reporter,
                wanted, wanted == null ? null : now, supervisedAt, words, instructed);
    }

    /** The same narrowing, and only the supervised records that wait on the unit's people at {@code now}. */
    public QueueFilter withSupervisedAt(Instant now) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, reporter,
                task, taskAt, now, words, instructed);
    }

    /** The same narrowing, and only the records each of {@code found} is found in (none: not narrowed). */
    public QueueFilter withWords(List<String> found) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, reporter,
                task, taskAt, supervisedAt, found, instructed);
    }

    /** The same narrowing, and only the records a leader's instruction waits on (or not narrowed so). */
    public QueueFilter withInstructed(boolean wanted) {
        return new QueueFilter(status, category, overdueAt, grid, assignee, reportedFrom, reportedBefore, reporter,
                task, taskAt, supervisedAt, words, wanted);
    }

    /**
     * Whether the records are read newest report first (by the time each case was reported, V17's index) instead of
     * in the order they came to the unit: when the time of the report narrows them, a page then reads the records of
     * that span and no others, however long ago it was.
     */
    public boolean byReportTime() {
        return reportedFrom != null || reportedBefore != null;
    }
}
