-- Evidence (处置前后照片): the bytes live in the node of the unit that received them; the other units along the
-- chain know them by the EVIDENCE timeline entry (whose id is the evidence id) and fetch them from this node.
create table evidence (
    evidence_id  uuid        primary key,
    unit_code    varchar(12) not null,
    case_id      uuid        not null,
    stage        varchar(8)  not null,
    file_name    text        not null,
    content_type varchar(64) not null,
    size_bytes   bigint      not null,
    sha256       varchar(64) not null,
    taken_at     timestamptz,
    taken_lat    double precision,
    taken_lon    double precision,
    uploaded_by  text        not null,
    uploaded_at  timestamptz not null,
    content      bytea       not null,
    foreign key (unit_code, case_id) references case_record (unit_code, case_id)
);
create index evidence_case on evidence (unit_code, case_id, uploaded_at);

-- Possible duplicates: open records of a unit near a point (a bounding-box prefilter; the exact distance is
-- computed in Java, there is no PostGIS).
create index case_record_nearby on case_record (unit_code, category_code, lat, lon);

-- Who else follows a case: the reporter of a record merged into it reads the surviving case as their own.
create table case_follower (
    unit_code      varchar(12) not null,
    case_id        uuid        not null,
    follower       text        not null,
    merged_case_id uuid        not null,
    followed_at    timestamptz not null,
    primary key (unit_code, case_id, follower, merged_case_id)
);
create index case_follower_person on case_follower (follower);
