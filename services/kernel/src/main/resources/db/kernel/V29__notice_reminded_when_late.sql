-- A notice whose time to sign by (签收时限) passed is reminded once, by its issuer's node, to the units that had not
-- signed for it (逾期自动催签): when it was, so that it is once.
alter table notice add column late_reminded_at timestamptz;
-- the notices whose time to sign by may pass and that were not reminded so: read every minute, few
create index notice_late_to_remind on notice (sign_by)
    where sign_by is not null and late_reminded_at is null and withdrawn_at is null;
