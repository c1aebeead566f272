-- Notifications to deliver (a durable queue) and every delivery attempt.

CREATE TABLE notifications (
    notification_id uuid PRIMARY KEY,
    source_event_id uuid NOT NULL,
    correlation_id  text NOT NULL,
    member_id       uuid,
    template        text NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    destination     text NOT NULL,
    locale          text NOT NULL,
    params          jsonb NOT NULL,   -- secrets inside stay sealed; rendered only to send
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        smallint NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    UNIQUE (source_event_id, channel)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';

CREATE FUNCTION notifications_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('notifications', '');
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_notify AFTER INSERT ON notifications
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_notify();

CREATE TABLE delivery_attempts (
    notification_id uuid NOT NULL REFERENCES notifications,
    attempt         smallint NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('sent', 'failed')),
    error           text,
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, attempt)
);
