-- Rule 10, after the fact: two files that a coordinator confirmed are two different people
-- (when creating one with `confirmed_different_person`, or from the duplicates list) leave the
-- list of likely duplicates for good. The pair is stored once, lower id first.
CREATE TABLE distinct_persons (
    participant_a INTEGER NOT NULL REFERENCES participants(id),
    participant_b INTEGER NOT NULL REFERENCES participants(id),
    confirmed_at  TEXT NOT NULL,
    confirmed_by  INTEGER REFERENCES tokens(id),
    PRIMARY KEY (participant_a, participant_b),
    CHECK (participant_a < participant_b)
) STRICT, WITHOUT ROWID;
