-- Notices (通知, 工作部署): a unit issues a notice to the units below it, down to a tier it names; each of them signs
-- for it (签收), and the issuer sees who has and who has not. The issuer's node keeps the notice and one receipt per unit
-- it went to; each receiving node keeps the notice as its unit received it, and its signature.
create table notice (
    id          uuid         primary key,
    unit_code   varchar(12)  not null, -- the issuing unit
    issued_by   text         not null,
    issued_at   timestamptz  not null,
    title       text         not null,
    body        text         not null,
    reach       text         not null, -- the lowest tier it went to (community: the whole subtree)
    sign_by     timestamptz,           -- 签收时限, if any
    units       integer      not null  -- how many units it went to
);
create index notice_recent on notice (unit_code, issued_at desc, id);

create table notice_receipt (
    notice_id   uuid         not null references notice (id),
    unit_code   varchar(12)  not null, -- a unit the notice went to
    signed_at   timestamptz,
    signed_by   text,
    reply       text,
    primary key (notice_id, unit_code)
);

create table received_notice (
    unit_code   varchar(12)  not null, -- the receiving unit
    notice_id   uuid         not null,
    from_unit   varchar(12)  not null,
    issued_by   text         not null,
    issued_at   timestamptz  not null,
    title       text         not null,
    body        text         not null,
    sign_by     timestamptz,
    received_at timestamptz  not null,
    signed_at   timestamptz,
    signed_by   text,
    reply       text,
    primary key (unit_code, notice_id)
);
create index received_notice_recent on received_notice (unit_code, issued_at desc, notice_id);
-- a unit's to-do counts the notices it has not signed for: few, read without walking the unit's every notice
create index received_notice_unsigned on received_notice (unit_code) where signed_at is null;
