-- A leader's instruction (领导批示) on a unit's record that waits on the unit's people (待落实): a note a leader of the
-- unit, or one who answers for it (分包), wrote on the unit's own record. One a record, the latest: it waits until one
-- of the unit's people acts on the record or writes on it after it (deleted then), and a closed or rejected record
-- waits on nobody. The to-do counts them, the queue lists them (instructed=true), the record's page shows its own.
create table case_instruction (
    unit_code varchar(12) not null,
    case_id   uuid        not null,
    entry_id  uuid        not null,
    at        timestamptz not null,
    leader    text        not null,
    note      text        not null,
    primary key (unit_code, case_id)
);
