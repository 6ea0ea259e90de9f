-- Indicators: the referents' expected rhythm of entries, and the indexes the indicator and
-- alert queries seek through (checked with EXPLAIN QUERY PLAN in IndicatorsTests).

-- DOMAIN.md "entries ... against the expected rhythm per referent": contracts a year, set by
-- the PLIE in its protocol with the structure; NULL when no rhythm was agreed.
ALTER TABLE referents ADD COLUMN expected_entries_per_year INTEGER CHECK (expected_entries_per_year IS NULL OR expected_entries_per_year >= 0);

-- The current exit of a participant: min(date) of their validated exits from their entry date,
-- sought once per participant, so the index covers the whole lookup (status included).
CREATE INDEX exits_participant_status_date ON exits(participant_id, status, date);
-- The participants entered by a day, with their grouping, without reading their rows.
CREATE INDEX participants_entry_grouping ON participants(entry_date, referent_id, operation_id, merged_into) WHERE entry_date IS NOT NULL;
-- Entries of a period: contracts by signature date.
CREATE INDEX contracts_signed ON contracts(signed_on, participant_id);
-- Follow-ups completed in a period.
CREATE INDEX follow_ups_ends ON follow_ups(ends_on, participant_id);
-- Gaps: a participant's open steps and latest step end, read from the index alone.
CREATE INDEX steps_pathway ON steps(participant_id, status, actual_end, planned_end);
-- Follow-ups in progress on a day, read from the index alone.
CREATE INDEX follow_ups_pathway ON follow_ups(participant_id, starts_on, ends_on, interrupted_on);
-- Admitted participants whose contract is late.
CREATE INDEX participants_admitted ON participants(admitted_on) WHERE status = 'admitted';

-- Interview compliance reads, for each participant-month, how many interviews are dated in the
-- month. Counting them from `interviews` costs a seek per participant-month (over a million at
-- the scale of a large PLIE); this table holds the counts, kept exact by the triggers below.
-- `month` is year * 12 + (month - 1), so month arithmetic is integer arithmetic.
CREATE TABLE interview_months (
    participant_id INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    count          INTEGER NOT NULL,
    PRIMARY KEY (participant_id, month)
) STRICT, WITHOUT ROWID;

INSERT INTO interview_months (participant_id, month, count)
SELECT participant_id, CAST(substr(date, 1, 4) AS INTEGER) * 12 + CAST(substr(date, 6, 2) AS INTEGER) - 1, count(*)
FROM interviews GROUP BY 1, 2;

CREATE TRIGGER interview_months_insert AFTER INSERT ON interviews
BEGIN
    INSERT INTO interview_months (participant_id, month, count)
    VALUES (new.participant_id, CAST(substr(new.date, 1, 4) AS INTEGER) * 12 + CAST(substr(new.date, 6, 2) AS INTEGER) - 1, 1)
    ON CONFLICT (participant_id, month) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER interview_months_delete AFTER DELETE ON interviews
BEGIN
    UPDATE interview_months SET count = count - 1
    WHERE participant_id = old.participant_id
      AND month = CAST(substr(old.date, 1, 4) AS INTEGER) * 12 + CAST(substr(old.date, 6, 2) AS INTEGER) - 1;
END;

CREATE TRIGGER interview_months_update AFTER UPDATE OF participant_id, date ON interviews
BEGIN
    UPDATE interview_months SET count = count - 1
    WHERE participant_id = old.participant_id
      AND month = CAST(substr(old.date, 1, 4) AS INTEGER) * 12 + CAST(substr(old.date, 6, 2) AS INTEGER) - 1;
    INSERT INTO interview_months (participant_id, month, count)
    VALUES (new.participant_id, CAST(substr(new.date, 1, 4) AS INTEGER) * 12 + CAST(substr(new.date, 6, 2) AS INTEGER) - 1, 1)
    ON CONFLICT (participant_id, month) DO UPDATE SET count = count + 1;
END;

-- The current pathway of every participant who entered: their entry date and their current exit,
-- the earliest validated exit dated on or after that entry (docs/INDICATORS.md). Finding it for
-- each participant at every request would cost a seek per participant ever entered; kept here by
-- the triggers below, "in pathway at some day of [from, to]" is a range of an index, and the
-- cost follows the participants of the period, not the programme's whole history.
CREATE TABLE current_pathways (
    participant_id INTEGER PRIMARY KEY REFERENCES participants(id),
    entry_date     TEXT NOT NULL,
    exit_date      TEXT
) STRICT;
CREATE INDEX current_pathways_open ON current_pathways(coalesce(exit_date, '9999-12-31'), entry_date);

INSERT INTO current_pathways (participant_id, entry_date, exit_date)
SELECT p.id, p.entry_date,
       (SELECT min(e.date) FROM exits e WHERE e.participant_id = p.id AND e.status = 'validated' AND e.date >= p.entry_date)
FROM participants p WHERE p.entry_date IS NOT NULL;

CREATE TRIGGER current_pathways_participant_insert AFTER INSERT ON participants WHEN new.entry_date IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO current_pathways (participant_id, entry_date, exit_date)
    VALUES (new.id, new.entry_date,
            (SELECT min(e.date) FROM exits e WHERE e.participant_id = new.id AND e.status = 'validated' AND e.date >= new.entry_date));
END;

CREATE TRIGGER current_pathways_participant_entry AFTER UPDATE OF entry_date ON participants
BEGIN
    DELETE FROM current_pathways WHERE participant_id = old.id AND new.entry_date IS NULL;
    INSERT OR REPLACE INTO current_pathways (participant_id, entry_date, exit_date)
    SELECT new.id, new.entry_date,
           (SELECT min(e.date) FROM exits e WHERE e.participant_id = new.id AND e.status = 'validated' AND e.date >= new.entry_date)
    WHERE new.entry_date IS NOT NULL;
END;

CREATE TRIGGER current_pathways_exit_insert AFTER INSERT ON exits
BEGIN
    UPDATE current_pathways SET exit_date =
        (SELECT min(e.date) FROM exits e WHERE e.participant_id = new.participant_id AND e.status = 'validated' AND e.date >= current_pathways.entry_date)
    WHERE participant_id = new.participant_id;
END;

CREATE TRIGGER current_pathways_exit_update AFTER UPDATE OF status, date, participant_id ON exits
BEGIN
    UPDATE current_pathways SET exit_date =
        (SELECT min(e.date) FROM exits e WHERE e.participant_id = current_pathways.participant_id AND e.status = 'validated'
                                          AND e.date >= current_pathways.entry_date)
    WHERE participant_id IN (old.participant_id, new.participant_id);
END;

CREATE TRIGGER current_pathways_exit_delete AFTER DELETE ON exits
BEGIN
    UPDATE current_pathways SET exit_date =
        (SELECT min(e.date) FROM exits e WHERE e.participant_id = old.participant_id AND e.status = 'validated' AND e.date >= current_pathways.entry_date)
    WHERE participant_id = old.participant_id;
END;
