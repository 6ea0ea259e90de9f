-- `participants_entry_grouping` (0003) served the indicators' entries by referent and operation
-- when they read `participants`; since 0004 they read `participant_facts`, and no statement's
-- plan uses it (the FSE export finds its candidates through `participants_entry`). Every insert
-- or update of a participant's entry, referent or operation still paid for keeping it.
DROP INDEX participants_entry_grouping;
