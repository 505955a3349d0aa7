-- Notices (通知): the issuer may remind the units that have not signed for a notice (催签); each reminder is counted at
-- the issuer and at every unit it reached, with when the latest came.
alter table notice add column reminders integer not null default 0;
alter table notice add column reminded_at timestamptz;
alter table received_notice add column reminders integer not null default 0;
alter table received_notice add column reminded_at timestamptz;
