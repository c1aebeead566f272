-- The day's SMS spend over several rows (slots), each charged within its share of the budget
-- (domain/budget.slots): consumers charging at once lock different rows instead of all
-- waiting on the day's one row until each other's transaction commits.

ALTER TABLE sms_spend ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE sms_spend DROP CONSTRAINT sms_spend_pkey;
ALTER TABLE sms_spend ADD PRIMARY KEY (day, slot);
