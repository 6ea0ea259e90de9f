-- Interview compliance counts the months wholly in pathway and in the period that hold at least
-- the minimum of interviews (docs/INDICATORS.md). The indicators' pathway statement counted them
-- with a seek into `interview_months` and a range read per participant of the period: over half
-- of a new period's computation on a large PLIE (docs/PERFORMANCE.md). The current pathway now
-- keeps, per minimum of 1, 2 and 3 interviews (the setting's default is 2; an operation may set
-- its own), the months that reach it as bits: bit i is the month `first_month + i`, for the
-- pathway's first 63 whole months. The statement reads the right mask and counts its bits in the
-- period (IndicatorQuery); a minimum above 3, or a period month past the 63rd, still reads
-- `interview_months`.
--
-- Kept by triggers, so every path that writes interviews (the routes, the bulk import, merges,
-- purges) or moves an entry keeps them, from the rows `interview_months` holds: a participant's
-- masks are recomputed from those rows whenever one of them changes, and when the pathway starts
-- or its entry moves (its bits then mean other months). Recomputing reads at most 63 rows.
-- The journal (0006) needs no entry of its own when a mask changes: the masks change with a row
-- of `interview_months` (journaled) or with the pathway's entry or participant (journaled here).
-- Without the column list every interview write would journal its participant twice, and the
-- bounded journal would cover half as many writes.
DROP TRIGGER indicator_changes_pathway_update;
CREATE TRIGGER indicator_changes_pathway_update AFTER UPDATE OF participant_id, entry_date, exit_date ON current_pathways
BEGIN
    INSERT INTO indicator_changes (participant_id) VALUES (old.participant_id);
    INSERT INTO indicator_changes (participant_id) SELECT new.participant_id WHERE new.participant_id <> old.participant_id;
END;

ALTER TABLE current_pathways ADD COLUMN months_1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE current_pathways ADD COLUMN months_2 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE current_pathways ADD COLUMN months_3 INTEGER NOT NULL DEFAULT 0;

UPDATE current_pathways SET (months_1, months_2, months_3) = (
    SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
           coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
           coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
    FROM interview_months im
    WHERE im.participant_id = current_pathways.participant_id
      AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62);

CREATE TRIGGER pathway_masks_months_insert AFTER INSERT ON interview_months
BEGIN
    UPDATE current_pathways SET (months_1, months_2, months_3) = (
        SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
        FROM interview_months im
        WHERE im.participant_id = current_pathways.participant_id
          AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62)
    WHERE participant_id = new.participant_id;
END;

CREATE TRIGGER pathway_masks_months_update AFTER UPDATE ON interview_months
BEGIN
    UPDATE current_pathways SET (months_1, months_2, months_3) = (
        SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
        FROM interview_months im
        WHERE im.participant_id = current_pathways.participant_id
          AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62)
    WHERE participant_id IN (old.participant_id, new.participant_id);
END;

CREATE TRIGGER pathway_masks_months_delete AFTER DELETE ON interview_months
BEGIN
    UPDATE current_pathways SET (months_1, months_2, months_3) = (
        SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
        FROM interview_months im
        WHERE im.participant_id = current_pathways.participant_id
          AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62)
    WHERE participant_id = old.participant_id;
END;

CREATE TRIGGER pathway_masks_pathway_insert AFTER INSERT ON current_pathways
BEGIN
    UPDATE current_pathways SET (months_1, months_2, months_3) = (
        SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
        FROM interview_months im
        WHERE im.participant_id = current_pathways.participant_id
          AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62)
    WHERE participant_id = new.participant_id;
END;

CREATE TRIGGER pathway_masks_pathway_entry AFTER UPDATE OF participant_id, entry_date ON current_pathways
BEGIN
    UPDATE current_pathways SET (months_1, months_2, months_3) = (
        SELECT coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - current_pathways.first_month) END), 0),
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - current_pathways.first_month) END), 0)
        FROM interview_months im
        WHERE im.participant_id = current_pathways.participant_id
          AND im.month BETWEEN current_pathways.first_month AND current_pathways.first_month + 62)
    WHERE participant_id = new.participant_id;
END;
