-- A unit that received a notice knows whether its issuer's node reminded it because the time to sign by passed
-- (逾期自动催签, V29), and when: the issuer's reminders carry it (gridlink.notice.issued.v1 lateRemindedAt) from then on.
alter table received_notice add column late_reminded_at timestamptz;
