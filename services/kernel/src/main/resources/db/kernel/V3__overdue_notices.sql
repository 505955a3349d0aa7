-- Overdue (超期): when this node told the units above that a record's acceptance or handling clock ran out
-- (once per clock), and the notices a unit received about overdue records in its subtree.
alter table case_record add column accept_overdue_at timestamptz;
alter table case_record add column handling_overdue_at timestamptz;

create table overdue_notice (
    unit_code     varchar(12)  not null, -- the unit told: an ancestor of overdue_unit
    case_id       uuid         not null,
    overdue_unit  varchar(12)  not null, -- the unit whose record is overdue
    clock         varchar(16)  not null, -- ACCEPTANCE or HANDLING
    due_at        timestamptz  not null,
    detected_at   timestamptz  not null,
    status        varchar(32)  not null,
    category_code varchar(64)  not null,
    title         varchar(200) not null,
    grid_code     varchar(32),
    received_at   timestamptz  not null default now(),
    primary key (unit_code, case_id, overdue_unit, clock)
);
create index overdue_notice_recent on overdue_notice (unit_code, detected_at desc);
