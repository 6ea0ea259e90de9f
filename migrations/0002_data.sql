-- Data in and out safely: duplicate detection, merges, retention (issue 6).

-- Duplicates: the keys the likely-pairs query joins on, computed by SQLite from the stored
-- values so that every writer keeps them right without knowing they exist.
-- name_key: the folded "last|first" part of identity_key (rule 10's key without the birth date).
ALTER TABLE participants ADD COLUMN name_key TEXT
    GENERATED ALWAYS AS (substr(identity_key, 1, instr(identity_key, '|') + instr(substr(identity_key, instr(identity_key, '|') + 1), '|') - 1)) VIRTUAL;
-- phone_key: the digits of the phone only ("06 12-34.56 78" = "0612345678").
ALTER TABLE participants ADD COLUMN phone_key TEXT
    GENERATED ALWAYS AS (nullif(replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '.', ''), '-', ''), '(', ''), ')', ''), '+', ''), '/', ''), '')) VIRTUAL;
-- email_key: the email, trimmed and lower-cased.
ALTER TABLE participants ADD COLUMN email_key TEXT
    GENERATED ALWAYS AS (nullif(lower(trim(email)), '')) VIRTUAL;

-- A merged duplicate stays (for the audit trail and to be reverted) but points to the kept file.
ALTER TABLE participants ADD COLUMN merged_into INTEGER REFERENCES participants(id);
ALTER TABLE participants ADD COLUMN merged_at TEXT;

-- Retention: an anonymised participant keeps the year of birth only (age bands of the FSE export).
ALTER TABLE participants ADD COLUMN birth_year INTEGER;

CREATE INDEX participants_name_key ON participants(name_key) WHERE merged_into IS NULL AND anonymised_at IS NULL;
