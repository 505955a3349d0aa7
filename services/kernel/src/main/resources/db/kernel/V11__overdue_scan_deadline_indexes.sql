-- The overdue scan (every minute, across all the node's units) looks for records whose running clock ran out. V7's
-- case_record_clock_running holds every record whose clock may run, in queue order: on a node with many open records
-- (a backlog, or issue 8's benchmark: 300 000 reports never accepted beside a million closed records) PostgreSQL
-- priced reading them all above reading the whole table, and both the newly-overdue and the auto-escalation queries
-- read 1.3 million rows every minute (430-540 ms each). These two hold the records by the deadline of the clock that
-- runs, so each query reads only what is past its deadline (0.1 ms on that database when nothing is).

-- The acceptance clock (CaseStore.ACCEPTANCE_RUNS), by its deadline.
create index case_record_accept_clock on case_record ((coalesce(accept_due_at, due_at)))
    where status = 'REPORTED' or (status = 'DISPATCHED' and assignee is not null);

-- The handling clock (CaseStore.HANDLING_RUNS), by its deadline.
create index case_record_handling_clock on case_record (due_at)
    where status in ('ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'REOPENED')
        or (status = 'DISPATCHED' and assignee is null);
