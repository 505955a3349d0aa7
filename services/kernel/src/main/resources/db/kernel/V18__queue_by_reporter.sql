-- The cases a person reported (a citizen's 我的上报, a reporter a hotline operator looks up), found by this index
-- instead of walking the unit's whole queue: a person reports a handful of a community's cases. Their queue order
-- (seq) comes from sorting those few rows. The cases they follow (their report merged into one) are found by V5's
-- case_follower_person.
create index case_record_reporter on case_record (unit_code, reporter);
