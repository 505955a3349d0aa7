-- Reports up the tiers (issue 7): the latest roll-up each child unit reported to its parent served by this node,
-- kept per child (a newer report replaces an older one; an older or repeated one changes nothing).
create table unit_report (
    unit_code    varchar(12) primary key, -- the child unit that reported
    parent_code  varchar(12) not null,    -- the unit it reported to, served by this node
    reported_at  timestamptz not null,
    sequence     bigint      not null,
    body         jsonb       not null,
    received_at  timestamptz not null default now()
);
create index unit_report_parent on unit_report (parent_code);

-- Orders a node's own reports: with reported_at, how a parent tells a newer report from an older one.
create sequence unit_report_sequence;

-- The publisher finds the units whose records changed since its last look by the timeline's identity column.
create index timeline_entry_seq on timeline_entry (seq);
