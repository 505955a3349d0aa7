-- Notices (通知): the issuer withdraws a notice sent in error or overtaken (撤回), saying why; every unit it went to is
-- told and keeps it as withdrawn: nobody signs for it any more, and the to-do no longer counts it.
alter table notice add column withdrawn_at timestamptz;
alter table notice add column withdrawn_by text;
alter table notice add column withdraw_reason text;
alter table received_notice add column withdrawn_at timestamptz;
alter table received_notice add column withdraw_reason text;
