-- The roll-up's status-now figures count a CLOSED or REJECTED record only at the unit that closed or rejected it (an
-- entry of its own: CLOSE, REJECT or MERGE). Every round asks this of every closed record of its units; without this
-- index that is a scan of the node's timeline (issue 8's benchmark: 723 ms for one community at a million records).
-- It holds only closing entries (a few per closed case), so it stays small beside the timeline.
create index timeline_entry_closings on timeline_entry (unit_code, case_id, entry_unit)
    where action in ('CLOSE', 'REJECT', 'MERGE');
