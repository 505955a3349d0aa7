-- A unit's to-do (待办): the records a supervision notice (督办) was sent about, in the queue's order. Partial: few
-- records are ever supervised, and without it the supervised ones still waiting were found only by reading every open
-- record of the unit (a backlog of 300 000 reports in issue 8's benchmark).
create index case_record_queue_supervised on case_record (unit_code, seq desc) where supervisions > 0;
