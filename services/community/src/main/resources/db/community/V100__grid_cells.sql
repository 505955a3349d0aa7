-- Grid cells (网格) live in the community node: the third grid level inside a township.
create table grid_cell (
    code           varchar(32) primary key,
    name           text        not null,
    community_code varchar(12) not null references unit (code)
);
create index grid_cell_community on grid_cell (community_code);
