-- Notify's own address book, from membership's events: where to reach each member.
CREATE TABLE contacts (
    member_id  uuid PRIMARY KEY,
    email      text,
    phone      text,
    locale     text NOT NULL DEFAULT 'id',
    updated_at timestamptz NOT NULL
);
