-- The overdue scan (every minute, across all the node's units) and a unit's overdue list read only the records whose
-- clock may run: with these two partial indexes they no longer read the whole case_record table (issue 8's plans at a
-- million records: newly overdue 958 -> 48 ms, auto-escalation 748 -> 47 ms, no longer overdue 459 -> 0.08 ms).
-- Both stay small: a city's records are mostly closed, and few were ever reported overdue.

-- The records in a status in which a clock runs (CaseStore.CLOCK_MAY_RUN), per unit and newest first like the queue.
create index case_record_clock_running on case_record (unit_code, seq desc)
    where status in ('REPORTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'REOPENED');

-- The records the units above were told are overdue: the scan looks among them for those that no longer are.
create index case_record_told_overdue on case_record (seq)
    where accept_overdue_at is not null or handling_overdue_at is not null;
