-- The whole months of each current pathway, stored with it. The indicators' pathway statement
-- (IndicatorQuery) derived them from the dates for every participant of a period: text
-- functions per row that took about a third of a new period's computation
-- (docs/PERFORMANCE.md). Generated columns: SQLite computes them from the dates on every write,
-- so no trigger or route has to keep them, and they can never disagree with the dates.
--
-- A stored column cannot be added to a table, so the table is rebuilt: same rows, same index,
-- same journal triggers (0006). The triggers of other tables that write it (0003) name it and
-- need nothing, but SQLite's renaming checks every trigger and would refuse while the old table
-- is gone: it renames in the legacy mode, which leaves triggers alone.
CREATE TABLE current_pathways_new (
    participant_id INTEGER PRIMARY KEY REFERENCES participants(id),
    entry_date     TEXT NOT NULL,
    exit_date      TEXT,
    -- Indicators.firstWholeMonth(entry) as Indicators.monthNumber (year * 12 + month - 1):
    -- the entry's month when the pathway starts on its first day, else the next one.
    first_month    INTEGER NOT NULL GENERATED ALWAYS AS (
        CAST(substr(entry_date, 1, 4) AS INTEGER) * 12 + CAST(substr(entry_date, 6, 2) AS INTEGER) - 1
        + (substr(entry_date, 9, 2) <> '01')) STORED,
    -- Indicators.lastWholeMonth(exit): the exit's month when it is the month's last day, else the
    -- one before; NULL while the pathway is open.
    last_month     INTEGER GENERATED ALWAYS AS (
        CAST(substr(exit_date, 1, 4) AS INTEGER) * 12 + CAST(substr(exit_date, 6, 2) AS INTEGER) - 1
        - CASE WHEN substr(exit_date, 9, 2) < '28' THEN 1 WHEN substr(date(exit_date, '+1 day'), 9, 2) = '01' THEN 0 ELSE 1 END) STORED
) STRICT;
INSERT INTO current_pathways_new (participant_id, entry_date, exit_date)
SELECT participant_id, entry_date, exit_date FROM current_pathways;
DROP TABLE current_pathways;
PRAGMA legacy_alter_table = ON;
ALTER TABLE current_pathways_new RENAME TO current_pathways;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX current_pathways_open ON current_pathways(coalesce(exit_date, '9999-12-31'), entry_date);

CREATE TRIGGER indicator_changes_pathway_insert AFTER INSERT ON current_pathways
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_pathway_update AFTER UPDATE ON current_pathways
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_pathway_delete AFTER DELETE ON current_pathways
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;
