-- Two indexes the indicators' statements (IndicatorQuery) range over now hold every column those
-- statements read, so SQLite no longer reads the table's row behind each entry: a seek in a
-- wide table, in the index's order, that a reader's small page cache mostly had to fetch again
-- (docs/PERFORMANCE.md, December). The alerts read the same ranges.
--
-- Follow-ups ending after a day (in progress on it) or within a period (completed in it): the
-- start and interruption are what decides.
DROP INDEX follow_ups_ends;
CREATE INDEX follow_ups_ends ON follow_ups(ends_on, participant_id, starts_on, interrupted_on);

-- Positionings still waiting for a result: whose they are.
DROP INDEX positionings_pending;
CREATE INDEX positionings_pending ON positionings(proposed_on, participant_id) WHERE result IS NULL;
