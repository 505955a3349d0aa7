-- A unit's roll-up is computed again only from the first day that can have changed (Rollups.reports, docs/stats.md):
-- its queries read the unit's timeline entries from that day on, which this index finds without reading the unit's
-- whole history (at a million records a community holds tens of thousands of cases).
create index timeline_entry_unit_at on timeline_entry (unit_code, at);
