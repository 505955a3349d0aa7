-- Every revision of a year of the working calendar a node kept or received (日历发布记录): calendar_year keeps the
-- latest, which the time limits run on; this keeps each one, as the city published it, so that who changed a year's
-- holidays, when, and what they were before can be read. The city's node has every revision it published; another
-- node each one it read on gridlink.calendar (an older one arriving late is recorded too, and kept nowhere else). A
-- revision is the city's alone to number, so (year, revision) names one publication on every node.
create table calendar_year_revision (
    year         integer not null,
    revision     integer not null check (revision > 0),
    source       text,
    holidays     jsonb not null,
    working_days jsonb not null,
    published_by text not null,
    published_at timestamptz not null,
    primary key (year, revision)
);

-- the revisions kept before this table: each year's latest
insert into calendar_year_revision (year, revision, source, holidays, working_days, published_by, published_at)
select year, revision, source, holidays, working_days, published_by, published_at from calendar_year;
