-- A unit's queue narrowed to one grid cell (a grid worker's, a community's cells) or to the records a department
-- officer was given (an officer's own list): each in the queue's order, so a page reads what it shows and not the
-- whole queue of the unit (V1's case_record_queue: a community holding a million records). Partial: a record found in
-- no cell, or never given to an officer, is in neither.
create index case_record_queue_grid on case_record (unit_code, grid_code, seq desc) where grid_code is not null;
create index case_record_queue_assignee on case_record (unit_code, assignee, seq desc) where assignee is not null;
