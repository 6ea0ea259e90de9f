-- Indicators at the scale of a large PLIE (docs/PERFORMANCE.md): what the indicator and alert
-- queries read of every participant, in a narrow table kept exact by triggers.
--
-- `participants` is wide (identity, FSE fields, about forty columns): finding a participant's
-- referent and operation there costs a page per participant, and whether they have a gap
-- costs two seeks into `steps`. With 60,000 participants in a year's period that was most of
-- the time of GET /v1/indicators. Here a participant is a short row: the columns the caseload
-- scope filters on (named as in `participants`, so the scope's SQL reads either table), their
-- entry date, and the two facts of the gap rule (DOMAIN.md rule 4, `Deadlines.hasGap`).
CREATE TABLE participant_facts (
    id            INTEGER PRIMARY KEY,  -- participants.id
    referent_id   INTEGER,
    operation_id  INTEGER,
    merged_into   INTEGER,
    entry_date    TEXT,
    -- steps `planned` or `ongoing`
    open_steps    INTEGER NOT NULL DEFAULT 0,
    -- the latest step end: max(coalesce(actual_end, planned_end)) over all the participant's steps
    last_step_end TEXT
) STRICT;
CREATE INDEX participant_facts_referent ON participant_facts(referent_id);
CREATE INDEX participant_facts_operation ON participant_facts(operation_id);

INSERT INTO participant_facts (id, referent_id, operation_id, merged_into, entry_date, open_steps, last_step_end)
SELECT p.id, p.referent_id, p.operation_id, p.merged_into, p.entry_date,
       (SELECT count(*) FROM steps s WHERE s.participant_id = p.id AND s.status IN ('planned', 'ongoing')),
       (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = p.id)
FROM participants p;

CREATE TRIGGER participant_facts_insert AFTER INSERT ON participants
BEGIN
    INSERT OR REPLACE INTO participant_facts (id, referent_id, operation_id, merged_into, entry_date, open_steps, last_step_end)
    VALUES (new.id, new.referent_id, new.operation_id, new.merged_into, new.entry_date,
            (SELECT count(*) FROM steps s WHERE s.participant_id = new.id AND s.status IN ('planned', 'ongoing')),
            (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = new.id));
END;

CREATE TRIGGER participant_facts_update AFTER UPDATE OF referent_id, operation_id, merged_into, entry_date ON participants
BEGIN
    UPDATE participant_facts
    SET referent_id = new.referent_id, operation_id = new.operation_id, merged_into = new.merged_into, entry_date = new.entry_date
    WHERE id = new.id;
END;

CREATE TRIGGER participant_facts_delete AFTER DELETE ON participants
BEGIN
    DELETE FROM participant_facts WHERE id = old.id;
END;

-- The step facts, recomputed for the participant whose steps changed (through the covering
-- index steps_pathway: a seek, whatever the number of steps).
CREATE TRIGGER participant_facts_step_insert AFTER INSERT ON steps
BEGIN
    UPDATE participant_facts SET
        open_steps = (SELECT count(*) FROM steps s WHERE s.participant_id = new.participant_id AND s.status IN ('planned', 'ongoing')),
        last_step_end = (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = new.participant_id)
    WHERE id = new.participant_id;
END;

CREATE TRIGGER participant_facts_step_update AFTER UPDATE OF participant_id, status, actual_end, planned_end ON steps
BEGIN
    UPDATE participant_facts SET
        open_steps = (SELECT count(*) FROM steps s WHERE s.participant_id = participant_facts.id AND s.status IN ('planned', 'ongoing')),
        last_step_end = (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = participant_facts.id)
    WHERE id IN (old.participant_id, new.participant_id);
END;

CREATE TRIGGER participant_facts_step_delete AFTER DELETE ON steps
BEGIN
    UPDATE participant_facts SET
        open_steps = (SELECT count(*) FROM steps s WHERE s.participant_id = old.participant_id AND s.status IN ('planned', 'ongoing')),
        last_step_end = (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = old.participant_id)
    WHERE id = old.participant_id;
END;

-- The validated exits of a period with what the exit figures read of them (category, recorded
-- entry), from the index alone: it replaces the narrower index of 0001.
DROP INDEX exits_validated;
CREATE INDEX exits_validated ON exits(date, participant_id, category, entry_date) WHERE status = 'validated';
