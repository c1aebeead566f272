-- Issue 17: push and chat beside email and SMS, the in-app inbox, preferences, devices, the SMS
-- budget's spend, the reasons a channel was skipped, provider receipts and dead letters.

ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('push', 'chat', 'email', 'sms'));
-- Push goes to each of the member's devices: one row per event, channel and destination.
ALTER TABLE notifications DROP CONSTRAINT notifications_source_event_id_channel_key;
ALTER TABLE notifications ADD CONSTRAINT notifications_once
    UNIQUE (source_event_id, channel, destination);
ALTER TABLE notifications
    -- What the provider's receipts say (domain/receipts.py); `status` stays the queue's state.
    ADD COLUMN delivery_status text NOT NULL DEFAULT 'queued'
        CHECK (delivery_status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
    ADD COLUMN provider_message_id text,
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN segments smallint,             -- SMS only: what the budget was charged
    ADD COLUMN deadline timestamptz,          -- a code's expiry: no retry lands after it
    ADD COLUMN attempt_limit smallint;        -- set by a replay: one more try, then dead again
-- Not unique: a provider reusing an id must not make a delivery's record fail (and resend).
CREATE INDEX notifications_provider_message
    ON notifications (channel, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX notifications_by_day ON notifications (created_at);

-- The in-app inbox: every member-facing message, whatever else it went to.
CREATE TABLE inbox_items (
    item_id         uuid PRIMARY KEY,
    member_id       uuid NOT NULL,
    source_event_id uuid NOT NULL,
    template        text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    UNIQUE (source_event_id, member_id)
);
CREATE INDEX inbox_newest ON inbox_items (member_id, created_at DESC, item_id DESC);
CREATE INDEX inbox_unread ON inbox_items (member_id) WHERE read_at IS NULL;

CREATE TABLE preferences (
    member_id    uuid PRIMARY KEY,
    code_channel text CHECK (code_channel IN ('sms', 'chat', 'email')),
    disabled     text[] NOT NULL DEFAULT '{}',
    language     text CHECK (language IN ('id', 'en')),
    quiet_start  time NOT NULL DEFAULT '21:00',
    quiet_end    time NOT NULL DEFAULT '06:00',
    chat_opt_in  boolean NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL
);

-- Push tokens, with the session that registered them: its logout removes them.
CREATE TABLE devices (
    token         text PRIMARY KEY,
    member_id     uuid NOT NULL,
    sid           uuid,
    platform      text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    registered_at timestamptz NOT NULL
);
CREATE INDEX devices_member ON devices (member_id);
CREATE INDEX devices_sid ON devices (sid);

-- Sessions membership ended (SessionEnded): their access tokens are refused here too.
CREATE TABLE revoked_sessions (
    sid       uuid PRIMARY KEY,
    member_id uuid NOT NULL,
    ended_at  timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_recent ON revoked_sessions (ended_at);

-- SMS spend per WIB day, charged when a message is routed to SMS (the row lock serialises it).
CREATE TABLE sms_spend (
    day      date PRIMARY KEY,
    segments integer NOT NULL DEFAULT 0,
    spent    numeric(14, 2) NOT NULL DEFAULT 0
);

-- Why a channel was left out of a message's plan (no device, disabled, over budget...).
CREATE TABLE routing_skips (
    source_event_id uuid NOT NULL,
    member_id       uuid NOT NULL,
    channel         text NOT NULL,
    reason          text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_event_id, member_id, channel)
);

-- Notifications whose last try failed; `python -m services.notify replay` tries each once more.
CREATE TABLE dead_letters (
    notification_id uuid PRIMARY KEY REFERENCES notifications,
    error           text NOT NULL,
    dead_at         timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz
);
CREATE INDEX dead_letters_waiting ON dead_letters (dead_at) WHERE replayed_at IS NULL;
