-- A roll-up's figures now count a CLOSED or REJECTED record at the unit that made it final (docs/stats.md: each case
-- at one unit): a record whose timeline has the unit's own CLOSE, REJECT or MERGE entry. The roll-up looked that entry
-- up for every final record of every unit it reported, every few seconds: on issue 8's benchmark node (a million
-- records, 97% closed) that pass took 6.3 s a round, all of it PostgreSQL's. The record now says it.

-- Whether the unit made this record final itself: set by the trigger below, once, when the unit's own closing entry
-- is added; never cleared (the roll-up asked whether such an entry exists, and reopening a case adds no entry that
-- removes it). Records written by other nodes' events never get it from another unit's entries.
alter table case_record add column closed_here boolean not null default false;

-- The records already made final here (about 40 s for a million on the 2-core machine of issue 8's benchmark).
update case_record r set closed_here = true
from (select distinct unit_code, case_id from timeline_entry
      where entry_unit = unit_code and action in ('CLOSE', 'REJECT', 'MERGE')) c
where r.unit_code = c.unit_code and r.case_id = c.case_id;

-- Every write path adds entries to timeline_entry, so the mark is set there. The trigger's condition is checked
-- without calling the function: the other entries (a report, an acceptance, the copies of other units' entries) cost
-- nothing. It fires after the statement's rows, so it finds a record written by the same statement.
create function case_record_closed_here() returns trigger language plpgsql as $$
begin
    update case_record set closed_here = true
    where unit_code = new.unit_code and case_id = new.case_id and not closed_here;
    return null;
end $$;

create trigger timeline_entry_closed_here after insert on timeline_entry for each row
    when (new.entry_unit = new.unit_code and new.action in ('CLOSE', 'REJECT', 'MERGE'))
    execute function case_record_closed_here();

-- A unit's final records that it holds, by status: the roll-up counts them from this index alone (RollupCalculator.NOW).
create index case_record_held_final on case_record (unit_code, status)
    where closed_here and status in ('CLOSED', 'REJECTED');
