-- Notices reminded level by level (逐级催签): a unit between the issuer and the units below it presses those of its
-- own units below that have not signed for the notice. At the unit between: how often it did, and when last; at each
-- unit below: how often a unit between reminded it (the issuer's reminders are counted apart, in reminders).
alter table received_notice add column reminded_below int not null default 0;
alter table received_notice add column reminded_below_at timestamptz;
alter table received_notice add column reminders_between int not null default 0;
