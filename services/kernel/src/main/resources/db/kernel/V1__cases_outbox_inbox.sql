-- The case engine's tables, the same at every tier (each tier adds its own under db/<tier>).

create table unit (
    code        varchar(12) primary key,
    name        text        not null,
    name_en     text,
    tier        varchar(16) not null,
    parent_code varchar(12),
    loaded_at   timestamptz not null default now()
);

-- This node's own record of every case it has touched: one row per (unit, case).
create table case_record (
    seq            bigint generated always as identity,
    unit_code      varchar(12) not null,
    case_id        uuid        not null,
    status         varchar(24) not null,
    origin         varchar(16) not null,
    category_code  varchar(64) not null,
    title          text        not null,
    description    text,
    lat            double precision,
    lon            double precision,
    address        text,
    grid_code      varchar(32),
    source         varchar(32),
    reporter       text,
    reported_at    timestamptz not null,
    escalated_from varchar(12),
    escalated_to   varchar(12),
    dispatched_by  varchar(12),
    dispatched_to  varchar(12),
    resolution     text,
    due_at         timestamptz,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (unit_code, case_id)
);
create unique index case_record_seq on case_record (seq);
-- the queue: a unit's records newest first, with or without a status filter (keyset on seq)
create index case_record_queue on case_record (unit_code, seq desc);
create index case_record_queue_status on case_record (unit_code, status, seq desc);

-- Every transition the node knows of for a record, its own and those that travelled along the chain.
create table timeline_entry (
    seq         bigint generated always as identity,
    unit_code   varchar(12) not null,
    case_id     uuid        not null,
    entry_id    uuid        not null,
    at          timestamptz not null,
    entry_unit  varchar(12) not null,
    actor       text        not null,
    action      varchar(40) not null,
    from_status varchar(24),
    to_status   varchar(24),
    note        text,
    primary key (unit_code, case_id, entry_id)
);
create index timeline_entry_order on timeline_entry (unit_code, case_id, at, seq);

-- Transactional outbox: written in the same transaction as the state change, published by the relay.
create table outbox (
    id           bigint generated always as identity primary key,
    event_id     uuid        not null unique,
    event_type   text        not null,
    topic        text        not null,
    msg_key      text        not null,
    headers      jsonb       not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;

create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('gridlink_outbox', '');
    return null;
end $$;
create trigger outbox_inserted after insert on outbox for each statement execute function outbox_notify();

-- Idempotent inbox: an event id recorded in the same transaction that applies the event.
create table inbox (
    event_id    uuid primary key,
    event_type  text        not null,
    source      text,
    received_at timestamptz not null default now()
);
