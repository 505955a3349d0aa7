-- Patrols (巡查): a grid worker walks their grid cell, checks in at places on the way and ends the walk; what they
-- reported meanwhile are the patrol's findings. A community's own work record: nothing of it crosses a tier.
create table patrol (
    id             uuid        primary key,
    unit_code      varchar(12) not null references unit (code),
    grid_code      varchar(32) not null references grid_cell (code),
    patroller      text        not null,
    patroller_name text        not null,
    started_at     timestamptz not null,
    start_note     text,
    ended_at       timestamptz,
    ended_by       text,
    end_note       text,
    -- the request that ended it, under an Idempotency-Key (the same request again is answered, not refused)
    end_request    uuid,
    -- check-ins so far: the next one's number (a check-in takes it by updating the row, so two never share one)
    check_ins      integer     not null default 0,
    check (ended_at is null or ended_at >= started_at)
);
-- one patrol under way per person at a time
create unique index patrol_under_way on patrol (patroller) where ended_at is null;
-- a unit's patrols of a day (or a range), newest first
create index patrol_unit_started on patrol (unit_code, started_at desc);

-- the places a patrol checked in at (打卡), in order; grid_code is the cell that holds the point (null: none of the
-- community's cells)
create table patrol_point (
    patrol_id uuid             not null references patrol (id),
    seq       integer          not null,
    at        timestamptz      not null,
    lat       double precision not null,
    lon       double precision not null,
    grid_code varchar(32),
    note      text,
    -- the request that made it, under an Idempotency-Key
    request   uuid             unique,
    primary key (patrol_id, seq)
);
