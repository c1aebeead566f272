-- When a username last failed, so the retention job can forget a streak after a quiet day.
ALTER TABLE login_throttle ADD COLUMN last_failure_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
CREATE INDEX code_issues_at ON code_issues (issued_at);
