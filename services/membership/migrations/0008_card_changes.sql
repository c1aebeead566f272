-- Every commit that changes what GET /v1/me shows NOTIFYs `card_changed` with the account ids
-- whose card it changed, so the API processes' card caches drop them (common/invalidated_cache.py).
-- Statement-level triggers over transition tables: a bulk update is one notification of '*'
-- (empty the cache) past 200 accounts, not one per row. TRUNCATE (tests, restores) empties too.

CREATE FUNCTION card_changed_notify(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    id uuid;
BEGIN
    IF cardinality(ids) > 200 THEN
        PERFORM pg_notify('card_changed', '*');
    ELSE
        FOREACH id IN ARRAY ids LOOP
            PERFORM pg_notify('card_changed', id::text);
        END LOOP;
    END IF;
END $$;

CREATE FUNCTION card_changed_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('card_changed', '*');
    RETURN NULL;
END $$;

CREATE FUNCTION card_changed_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM card_changed_notify(ARRAY(SELECT DISTINCT account_id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION card_changed_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM card_changed_notify(ARRAY(
        SELECT DISTINCT a.account_id FROM changed_rows c JOIN accounts a USING (member_id)));
    RETURN NULL;
END $$;

CREATE FUNCTION card_changed_families() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM card_changed_notify(ARRAY(
        SELECT DISTINCT a.account_id FROM changed_rows c
        JOIN participants p ON p.family_id = c.family_id JOIN accounts a USING (member_id)));
    RETURN NULL;
END $$;

CREATE TRIGGER card_accounts_update AFTER UPDATE ON accounts
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_accounts();
CREATE TRIGGER card_accounts_delete AFTER DELETE ON accounts
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_accounts();

CREATE TRIGGER card_participants_update AFTER UPDATE ON participants
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_participants();
CREATE TRIGGER card_participants_delete AFTER DELETE ON participants
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_participants();

-- A family's virtual account appears when billing opens it (an INSERT), so inserts count here.
CREATE TRIGGER card_families_insert AFTER INSERT ON family_accounts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_families();
CREATE TRIGGER card_families_update AFTER UPDATE ON family_accounts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_families();
CREATE TRIGGER card_families_delete AFTER DELETE ON family_accounts
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION card_changed_families();

-- A facility's name is on every card registered there (a card cached before its facility
-- arrived shows none): rare, so everything goes.
CREATE TRIGGER card_facilities_change AFTER INSERT OR UPDATE OR DELETE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION card_changed_everything();

CREATE TRIGGER card_accounts_truncate AFTER TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION card_changed_everything();
CREATE TRIGGER card_participants_truncate AFTER TRUNCATE ON participants
    FOR EACH STATEMENT EXECUTE FUNCTION card_changed_everything();
CREATE TRIGGER card_families_truncate AFTER TRUNCATE ON family_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION card_changed_everything();
CREATE TRIGGER card_facilities_truncate AFTER TRUNCATE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION card_changed_everything();
