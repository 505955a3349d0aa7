-- Actions sent with an Idempotency-Key (docs/state-machine.md, "An action sent again"): one row per action taken under
-- a key, written in the action's transaction. The same action sent again under the key (a client, or the gateway,
-- that did not get the first answer) finds it and is answered with the record as it is, not taken twice; another
-- action under the key is refused. The id is a name-based UUID of the unit, the person and the key (KeyedIds).
create table keyed_action (
    id         uuid        primary key,
    unit_code  varchar(12) not null,
    case_id    uuid        not null,
    action     varchar(24) not null,
    request    varchar(64) not null, -- SHA-256 (hex) of the action as asked (ActionRequest): its fields, not its bytes
    entry_id   uuid        not null, -- the timeline entry it added
    applied_at timestamptz not null
);
