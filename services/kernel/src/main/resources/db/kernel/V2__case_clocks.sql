-- The clocks of a record (时限): when this unit's clock started (the report, the receipt of an escalation, the
-- moment of a dispatch) and when the record must be accepted; due_at stays the handling deadline.
alter table case_record add column clock_from timestamptz;
alter table case_record add column accept_due_at timestamptz;
update case_record set clock_from = created_at where clock_from is null;
