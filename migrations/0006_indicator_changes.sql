-- GET /v1/indicators keeps the per-participant pathway facts of the whole PLIE between calls
-- (API/Indicators/FactsCache.swift) and, at each call, recomputes only the participants that
-- changed since. This journal says which: every change of the tables the facts statement
-- reads writes the participant's id, in commit order (`seq`). A NULL participant means
-- "every participant" (a change of an operation's minimum of interviews).
--
-- The facts read `current_pathways`, `participant_facts`, `interview_months` (each kept by
-- triggers from participants, exits, steps and interviews) and `operations`: the triggers are
-- on those, so every path that changes the underlying rows is covered, the routes, the bulk
-- import, merges and purges alike.
CREATE TABLE indicator_changes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id INTEGER
) STRICT;

-- Bounded: each entry drops the one 100,000 places older. A cache older than the oldest entry
-- recomputes everything (it sees the gap), so dropping is always safe.
CREATE TRIGGER indicator_changes_bound AFTER INSERT ON indicator_changes
BEGIN
    DELETE FROM indicator_changes WHERE seq <= new.seq - 100000;
END;

CREATE TRIGGER indicator_changes_pathway_insert AFTER INSERT ON current_pathways
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_pathway_update AFTER UPDATE ON current_pathways
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_pathway_delete AFTER DELETE ON current_pathways
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;

CREATE TRIGGER indicator_changes_facts_insert AFTER INSERT ON participant_facts
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.id); END;
CREATE TRIGGER indicator_changes_facts_update AFTER UPDATE ON participant_facts
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.id);
    INSERT INTO indicator_changes (participant_id) SELECT new.id WHERE new.id <> old.id;
END;
CREATE TRIGGER indicator_changes_facts_delete AFTER DELETE ON participant_facts
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.id); END;

CREATE TRIGGER indicator_changes_months_insert AFTER INSERT ON interview_months
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_months_update AFTER UPDATE ON interview_months
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_months_delete AFTER DELETE ON interview_months
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;

CREATE TRIGGER indicator_changes_operations AFTER UPDATE OF min_interviews_per_month ON operations
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (NULL); END;
CREATE TRIGGER indicator_changes_operations_delete AFTER DELETE ON operations
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (NULL); END;
