-- A statement that inserted no outbox row notifies nobody (it notified with an empty payload, which sends the relay to
-- look for rows). An escalation new to a node is applied in one statement whose outbox rows are inserted only if it
-- created the case's record (issue 8); when it did not, the statement inserts none and the event is applied in a
-- transaction, whose own rows notify.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    if exists (select 1 from inserted) then
        perform pg_notify('gridlink_outbox', (select max(id)::text from inserted));
    end if;
    return null;
end $$;
