-- GET /v1/indicators keeps each participant's contribution to the whole PLIE's figures between
-- calls (API/Indicators/FactsCache.swift) and, at each call, recomputes only the participants
-- that changed since. This journal says which: every change of a table the indicator statements
-- read writes the participant's id, in commit order (`seq`). A NULL participant means "every
-- participant" (a change of an operation's minimum of interviews).
--
-- The statements read `current_pathways`, `participant_facts`, `interview_months` (kept by
-- triggers from participants, exits, steps and interviews), `exits`, `contracts`, `follow_ups`,
-- `follow_up_contacts`, `positionings`, the status and admission date of `participants`, and
-- `operations`: the triggers are on those, so every path that changes them is covered, the
-- routes, the bulk import, merges and purges alike.
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

-- The participant-owned tables the other statements read: any change journals the participant
-- (both of them when a row moves, as in a merge).
CREATE TRIGGER indicator_changes_exits_insert AFTER INSERT ON exits
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_exits_update AFTER UPDATE ON exits
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_exits_delete AFTER DELETE ON exits
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;
CREATE TRIGGER indicator_changes_contracts_insert AFTER INSERT ON contracts
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_contracts_update AFTER UPDATE ON contracts
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_contracts_delete AFTER DELETE ON contracts
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;
CREATE TRIGGER indicator_changes_follow_ups_insert AFTER INSERT ON follow_ups
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_follow_ups_update AFTER UPDATE ON follow_ups
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_follow_ups_delete AFTER DELETE ON follow_ups
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;
CREATE TRIGGER indicator_changes_positionings_insert AFTER INSERT ON positionings
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.participant_id); END;
CREATE TRIGGER indicator_changes_positionings_update AFTER UPDATE ON positionings
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;
CREATE TRIGGER indicator_changes_positionings_delete AFTER DELETE ON positionings
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id); END;

-- A follow-up contact moves the follow-up's "contact overdue".
CREATE TRIGGER indicator_changes_contacts_insert AFTER INSERT ON follow_up_contacts
BEGIN INSERT INTO indicator_changes (participant_id) SELECT participant_id FROM follow_ups WHERE id = new.follow_up_id; END;
CREATE TRIGGER indicator_changes_contacts_update AFTER UPDATE ON follow_up_contacts
BEGIN
    INSERT INTO indicator_changes (participant_id) SELECT participant_id FROM follow_ups WHERE id IN (old.follow_up_id, new.follow_up_id);
END;
CREATE TRIGGER indicator_changes_contacts_delete AFTER DELETE ON follow_up_contacts
BEGIN INSERT INTO indicator_changes (participant_id) SELECT participant_id FROM follow_ups WHERE id = old.follow_up_id; END;

-- "Contract late" reads the status and the admission date (the grouping columns come through
-- participant_facts above).
CREATE TRIGGER indicator_changes_participant_status AFTER UPDATE OF status, admitted_on ON participants
BEGIN INSERT INTO indicator_changes (participant_id) VALUES (new.id); END;
