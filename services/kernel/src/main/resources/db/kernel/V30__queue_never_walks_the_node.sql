-- A unit's page of its queue is read from the unit's own indexes, never by walking all the node's records newest first.
--
-- V1's unique btree on seq served the lookup of one record by its seq (the keyset page by report time, CaseStore) and
-- offered PostgreSQL an order as well: reading a unit's page (unit_code = :unit order by seq desc) it walked every
-- unit's records newest first, filtering, whenever the unit's share of the table said a page was near, for its
-- statistics say nothing of when a unit's records came. A quiet community's page after a busy one's storm of reports
-- read all of the storm first (a million records, 150 000 of them one community's newest: 98 to 183 ms for another's
-- first page, against 1.5 ms from its own index), and a search for a word in no record read the whole table, not the
-- unit's records (LargeNodePlansIT). seq is an identity the database gives: a hash index serves the lookup, and no
-- order.
drop index case_record_seq;
create index case_record_seq_lookup on case_record using hash (seq);
