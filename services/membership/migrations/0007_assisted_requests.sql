-- Requests an officer starts at the kiosk for a member, inside an open assisted session: the
-- channel and who acted are kept with the request (the member reads both in their request and
-- their access log). An open session ends when the officer closes it or 15 minutes after it
-- opened (domain/assisted.py).
ALTER TABLE assisted_sessions ADD COLUMN closed_at timestamptz;
ALTER TABLE requests ADD COLUMN channel text NOT NULL DEFAULT 'app'
    CHECK (channel IN ('app', 'kiosk'));
ALTER TABLE requests ADD COLUMN on_behalf_by uuid REFERENCES staff;
ALTER TABLE requests ADD COLUMN assisted_session uuid REFERENCES assisted_sessions;
ALTER TABLE requests ADD CONSTRAINT requests_kiosk_names_its_session
    CHECK ((channel = 'kiosk') = (on_behalf_by IS NOT NULL AND assisted_session IS NOT NULL));
