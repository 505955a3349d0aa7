-- The verification clock (核查): a unit that verifies a case's outcome (it resolved what nobody dispatched to it, or the
-- child or officer it dispatched the case to finished) has the category's verification limit to VERIFY it or send it
-- back for REWORK, from the moment the record is RESOLVED there. verify_from and verify_due_at are that clock;
-- verify_overdue_at is when the units above were told it ran out, as accept_overdue_at and handling_overdue_at are
-- for the other two (V3). Records resolved before this release have no verification clock (their limits came from the
-- working calendar, which SQL does not know); they are verified as before, without a deadline.
alter table case_record add column verify_from timestamptz;
alter table case_record add column verify_due_at timestamptz;
alter table case_record add column verify_overdue_at timestamptz;

-- The verification clock (CaseStore.VERIFICATION_RUNS), by its deadline, as V11 holds the other two.
create index case_record_verify_clock on case_record (verify_due_at)
    where status = 'RESOLVED' and (dispatched_to is not null or dispatched_by is null);

-- V7's two partial indexes again, now that a resolved record's clock may run and may have been told overdue.
drop index case_record_clock_running;
create index case_record_clock_running on case_record (unit_code, seq desc)
    where status in ('REPORTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REWORK', 'RETURNED', 'REOPENED', 'RESOLVED');

drop index case_record_told_overdue;
create index case_record_told_overdue on case_record (seq)
    where accept_overdue_at is not null or handling_overdue_at is not null or verify_overdue_at is not null;
