-- Notices (通知): a unit between a notice's issuer and the units below it received the notice too, and follows their
-- signatures (逐级督促签收: a township sees which of its communities signed for the district's notice). Each unit that
-- signs tells the issuer and every unit between (gridlink.notice.signed.v1 with its issuer); a unit between keeps the
-- signatures of the units below it, and the tier the notice went down to, to know which of them it went to.
alter table received_notice add column reach text;

create table received_notice_signature (
    unit_code   varchar(12)  not null, -- the unit between, which received the notice too
    notice_id   uuid         not null,
    signer_unit varchar(12)  not null, -- a unit below it that signed for the notice
    signed_at   timestamptz  not null,
    signed_by   text         not null,
    reply       text,
    primary key (unit_code, notice_id, signer_unit)
);

-- the issuer counts its notice's signatures as each comes, instead of counting its receipts at every read of its list
alter table notice add column signed integer not null default 0;
update notice n set signed = (select count(*) from notice_receipt r where r.notice_id = n.id and r.signed_at is not null);
