-- The roll-ups read two indexes without the table behind them (docs/stats.md). On issue 8's benchmark node (a million
-- records, 300 000 of them open reports) the plans showed both reading the table's pages for each row an index found:
-- - the figures now (RollupCalculator.NOW, each round) counted a unit's open records by the queue's status index and
--   then read every one of them in the table for dispatched_to: 75 ms and 10 000 pages for one community's 20 000;
-- - a unit's actions per day (RollupCalculator.ACTIONS, each round from the first day that can have changed, and the
--   whole 400-day window at least every 5 min) found the unit's entries by V8's index and read each in the table
--   for its entry_unit and action: 36 ms for a day's 7 500 entries, 522 ms for the window's 117 000 (44 000 pages).
-- Each index now carries the columns those queries read (INCLUDE: kept in the index, not part of its order), so they
-- are read index only; both keep their names, their order and what else reads them.

-- The queue filtered by status (unit, status, newest first), and what the figures now also ask of an open record:
-- whether it was dispatched on to a child unit (the unit no longer holds it).
drop index case_record_queue_status;
create index case_record_queue_status on case_record (unit_code, status, seq desc) include (dispatched_to);

-- A unit's entries from a time on (V8), with whose entry each is, what it did and the case it belongs to: the actions
-- per day, and the reports per day before each is joined to its record.
drop index timeline_entry_unit_at;
create index timeline_entry_unit_at on timeline_entry (unit_code, at) include (entry_unit, action, case_id);
