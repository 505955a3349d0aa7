-- A unit's queue narrowed to the cases reported in a span of days (a month's ledger, 台账): read newest report first
-- from this index, so that a page reads the records of the span and no others. In the queue's own order (V1's
-- case_record_queue, by seq) a month long past would be found only after walking every record that came since: the
-- whole queue of a community holding a million records. Scanned backwards for the newest first; seq breaks ties and is
-- the page's cursor.
create index case_record_queue_reported on case_record (unit_code, reported_at, seq);
