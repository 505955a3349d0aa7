-- A unit's queue narrowed to one category, in the queue's order: a page of a category few of the unit's records have
-- (a gas leak among a community's rubbish and parking) read the unit's whole queue by V1's case_record_queue, a
-- million records at issue 8's benchmark node (its QueryPlans listed it). V5's case_record_nearby starts with the
-- category too, but in the order of the map, not of the queue.
create index case_record_queue_category on case_record (unit_code, category_code, seq desc);
