-- Indicators: the referents' expected rhythm of entries, and the indexes the indicator and
-- alert queries seek through (checked with EXPLAIN QUERY PLAN in IndicatorsTests).

-- DOMAIN.md "entries ... against the expected rhythm per referent": contracts a year, set by
-- the PLIE in its protocol with the structure; NULL when no rhythm was agreed.
ALTER TABLE referents ADD COLUMN expected_entries_per_year INTEGER CHECK (expected_entries_per_year IS NULL OR expected_entries_per_year >= 0);

-- The current exit of a participant: min(date) of their validated exits from their entry date.
CREATE INDEX exits_participant_validated ON exits(participant_id, date) WHERE status = 'validated';
-- Entries of a period: contracts by signature date.
CREATE INDEX contracts_signed ON contracts(signed_on, participant_id);
-- Follow-ups completed in a period.
CREATE INDEX follow_ups_ends ON follow_ups(ends_on, participant_id);
-- Admitted participants whose contract is late.
CREATE INDEX participants_admitted ON participants(admitted_on) WHERE status = 'admitted';
