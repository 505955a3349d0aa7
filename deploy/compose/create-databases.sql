-- One database per tier: no node ever reads another's.
create database gridlink_community;
create database gridlink_township;
create database gridlink_district;
create database gridlink_city;
