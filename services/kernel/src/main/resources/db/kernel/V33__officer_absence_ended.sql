-- An officer's absences that ended by being replaced or marked back (请假记录, V26 kept only the current or next one): kept,
-- so that a unit can say who was away from its work when, and who marked it. ended_how: BACK (返岗, DELETE …/away) or
-- REPLACED (marked away again, PUT …/away); ended_at and ended_by say when and by whom.
create table officer_absence_ended (
    id         bigint generated always as identity primary key,
    unit_code  varchar(12)  not null,
    officer    text         not null,
    away_from  timestamptz  not null,
    away_until timestamptz,
    reason     text         not null,
    marked_by  text         not null,
    marked_at  timestamptz  not null,
    ended_at   timestamptz  not null,
    ended_by   text         not null,
    ended_how  text         not null check (ended_how in ('BACK', 'REPLACED'))
);
create index officer_absence_ended_unit on officer_absence_ended (unit_code, away_from desc);
