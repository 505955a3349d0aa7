-- What a record answers for beyond its status (issue 4): the department officer who holds it inside the unit, the
-- request waiting on a decision (return, extension, park), the counts assessment reads and the park's review date.
alter table case_record add column assignee text;
alter table case_record add column pending_kind varchar(16);
alter table case_record add column pending_from varchar(12);
alter table case_record add column pending_decider varchar(12);
alter table case_record add column pending_by text;
alter table case_record add column pending_reason varchar(64);
alter table case_record add column pending_note text;
alter table case_record add column pending_until timestamptz;
alter table case_record add column pending_at timestamptz;
alter table case_record add column bounces integer not null default 0;
alter table case_record add column extensions integer not null default 0;
alter table case_record add column recategorisations integer not null default 0;
alter table case_record add column supervisions integer not null default 0;
alter table case_record add column leader_supervised boolean not null default false;
alter table case_record add column parked_until timestamptz;
create index case_record_parked on case_record (parked_until) where parked_until is not null;

-- An overdue notice stops counting when the record is no longer overdue (accepted, handled, extended, parked,
-- given a new deadline by a supervision notice); it stays as history.
alter table overdue_notice add column cleared_at timestamptz;
alter table overdue_notice add column cleared_reason text;

-- The supervision notices (督办) a unit sent about overdue records in its subtree.
create table supervision_notice (
    id              uuid         primary key,
    unit_code       varchar(12)  not null, -- the supervising unit
    case_id         uuid         not null,
    supervised_unit varchar(12)  not null, -- the unit whose record is supervised
    supervisor      text         not null,
    leader          boolean      not null, -- 领导督办: sent by a leader
    due_at          timestamptz  not null,
    note            text,
    sent_at         timestamptz  not null
);
create index supervision_notice_recent on supervision_notice (unit_code, sent_at desc);
