-- The relay's notification names the highest outbox id of the inserting statement (it was empty). A relay that
-- published that row already has nothing to do; otherwise it claims at once, without first asking whether anything is
-- unpublished (issue 8: one statement fewer for every batch a notification starts).
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('gridlink_outbox', (select max(id)::text from inserted));
    return null;
end $$;
drop trigger outbox_inserted on outbox;
create trigger outbox_inserted after insert on outbox referencing new table as inserted
    for each statement execute function outbox_notify();
