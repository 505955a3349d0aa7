-- A year's public holidays and make-up working days as the city published them (日历发布): the State Council's notice
-- of a year that came out after the seeds, or a correction. The city's node keeps what it published, every other node
-- what it received on gridlink.calendar; each replaces the seeds' listing of that year. revision counts the city's
-- publications of the year: a node keeps only a newer one.
create table calendar_year (
    year         integer primary key,
    revision     integer not null check (revision > 0),
    source       text,
    holidays     jsonb not null,
    working_days jsonb not null,
    published_by text not null,
    published_at timestamptz not null
);
