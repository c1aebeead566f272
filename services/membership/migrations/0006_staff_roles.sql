-- Staff roles (officer, supervisor, admin), the branch an account works for, and disabling an
-- account without deleting it (its decisions and audit rows keep naming it).

ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('officer', 'supervisor', 'admin'));
-- Admins manage accounts for every branch; officers and supervisors work for one.
ALTER TABLE staff ADD COLUMN branch text;
ALTER TABLE staff ADD CONSTRAINT staff_branch_for_desk CHECK (role = 'admin' OR branch IS NOT NULL)
    NOT VALID;
ALTER TABLE staff ADD COLUMN disabled_at timestamptz;
-- Accounts made before roles were branch officers of the one branch the platform served.
UPDATE staff SET branch = 'bandar-lampung' WHERE branch IS NULL AND role <> 'admin';
ALTER TABLE staff VALIDATE CONSTRAINT staff_branch_for_desk;
