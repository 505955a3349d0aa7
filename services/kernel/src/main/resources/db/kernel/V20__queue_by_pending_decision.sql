-- A unit's to-do (待办): the records a return, extension or park request waits on, in the queue's order. Partial:
-- few records ever wait on a decision, so without it "what do we decide" walked the unit's whole queue (a community
-- holding a million records) to find none. The to-do's other tasks read V1's status index and V7's partial one.
create index case_record_queue_pending on case_record (unit_code, seq desc) where pending_decider is not null;
