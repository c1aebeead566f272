-- The online queue (antrean): a schedule's session on a date with its counters, the bookings
-- in it and the task times a facility records for each.

-- A weekly schedule on one date. Quotas and hours are copied from the schedule when the first
-- booking opens the session, so a schedule change (effective the next day, R24) never moves a
-- session that already has bookings. The counters are the quota's truth: a booking takes a slot
-- with one conditional UPDATE (`booked < quota`), which row-locks the session, so concurrent
-- bookings for the last slot serialise and only one gets it; the CHECKs are the backstop.
CREATE TABLE queue_sessions (
    session_id      bigserial PRIMARY KEY,
    schedule_id     bigint NOT NULL REFERENCES schedules (schedule_id),
    service_date    date NOT NULL,
    facility_code   text NOT NULL,
    poli_code       text NOT NULL,
    doctor_id       text NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    service_minutes integer NOT NULL CHECK (service_minutes >= 1),
    quota_jkn       integer NOT NULL CHECK (quota_jkn >= 0),
    quota_non_jkn   integer NOT NULL CHECK (quota_non_jkn >= 0),
    booked_jkn      integer NOT NULL DEFAULT 0 CHECK (booked_jkn BETWEEN 0 AND quota_jkn),
    booked_non_jkn  integer NOT NULL DEFAULT 0
                    CHECK (booked_non_jkn BETWEEN 0 AND quota_non_jkn),
    -- The last queue number handed out: a cancelled booking frees its slot, never its number.
    last_number     integer NOT NULL DEFAULT 0,
    UNIQUE (schedule_id, service_date)
);

CREATE TABLE queue_bookings (
    -- A document number of kind A (numbers.py), from document_sequences like every other.
    booking_code         char(19) PRIMARY KEY,
    session_id           bigint NOT NULL REFERENCES queue_sessions,
    member_id            uuid NOT NULL REFERENCES members (member_id),
    patient_kind         text NOT NULL CHECK (patient_kind IN ('jkn', 'non_jkn')),
    visit_kind           text CHECK (visit_kind IN ('1', '2', '3', '4')),
    referral_number      text,
    control_letter_number text,
    queue_number         integer NOT NULL CHECK (queue_number >= 1),
    status               text NOT NULL CHECK (status IN
                             ('booked', 'checked_in', 'called', 'served', 'cancelled', 'no_show')),
    new_patient          boolean NOT NULL DEFAULT false,
    estimated_service_at timestamptz NOT NULL,
    booked_at            timestamptz NOT NULL,
    checked_in_at        timestamptz,
    called_at            timestamptz,
    ended_at             timestamptz,
    end_reason           text,
    UNIQUE (session_id, queue_number)
);
-- One waiting booking per member per session: a second is refused, a retry replays the first.
CREATE UNIQUE INDEX queue_bookings_one_per_session ON queue_bookings (session_id, member_id)
    WHERE status IN ('booked', 'checked_in', 'called');
CREATE INDEX queue_bookings_member_idx ON queue_bookings (member_id, booked_at DESC);

-- Antrean `updatewaktu`: each task once per booking, in order (domain/tasks.py checks it).
CREATE TABLE queue_task_times (
    booking_code char(19) NOT NULL REFERENCES queue_bookings,
    task_id      integer NOT NULL,
    at_ms        bigint NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (booking_code, task_id)
);
