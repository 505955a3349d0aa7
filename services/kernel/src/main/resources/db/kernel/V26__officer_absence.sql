-- A department officer away from a unit's work (请假, 离岗): marked by a supervisor of the unit, from a time, until a
-- time or until marked back. While it lasts nobody dispatches, reassigns or hands work over to the officer at that
-- unit, and the officers' workloads say so. One absence an officer and unit, the current or the next: marked again, it
-- replaces the one kept; marked back (返岗), it is deleted.
create table officer_absence (
    unit_code  varchar(12)  not null,
    officer    text         not null,
    away_from  timestamptz  not null,
    away_until timestamptz,
    reason     text         not null,
    marked_by  text         not null,
    marked_at  timestamptz  not null,
    primary key (unit_code, officer),
    check (away_until is null or away_until > away_from)
);
