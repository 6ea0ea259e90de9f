-- Parcours: the whole domain of DOMAIN.md.
-- Append-only: once applied, this file is never edited (the server checks its checksum);
-- changes go in 0002_..., 0003_...
--
-- Conventions: STRICT tables; ids are INTEGER rowids served as strings; dates are TEXT
-- 'YYYY-MM-DD', timestamps TEXT RFC 3339 UTC; `version` counts updates and makes the ETag;
-- codes are checked against the lists of API.md.

-- Access ---------------------------------------------------------------------------------

CREATE TABLE structures (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind        TEXT,
    address     TEXT,
    postal_code TEXT,
    city        TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE referents (
    id           INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    first_name   TEXT NOT NULL,
    last_name    TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    fte          REAL NOT NULL DEFAULT 1.0 CHECK (fte > 0 AND fte <= 1),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX referents_structure ON referents(structure_id, id);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'structure_manager', 'referent', 'auditor')),
    referent_id  INTEGER REFERENCES referents(id),
    structure_id INTEGER REFERENCES structures(id),
    -- SHA-256 of the secret, hex; the secret itself is shown once and never stored.
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES tokens(id),
    revoked_at   TEXT,
    CHECK (role <> 'referent' OR referent_id IS NOT NULL),
    CHECK (role <> 'structure_manager' OR structure_id IS NOT NULL)
) STRICT;

-- Every write appends one row here, in the same transaction. Append-only: the triggers below
-- refuse UPDATE and DELETE (the retention purge, which must also anonymise these copies, lifts
-- them inside its own transaction).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    token_id       INTEGER,
    role           TEXT,
    action         TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT,
    participant_id INTEGER,
    request_id     TEXT,
    before         TEXT,
    after          TEXT
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_participant ON audit_log(participant_id, id) WHERE participant_id IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- A POST retried with the same Idempotency-Key gets the first response back.
CREATE TABLE idempotency_keys (
    token_id     INTEGER NOT NULL,
    key          TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    headers      TEXT NOT NULL,
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);

-- Programme -------------------------------------------------------------------------------

CREATE TABLE operations (
    id                           INTEGER PRIMARY KEY,
    name                         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code                         TEXT,
    starts_on                    TEXT,
    ends_on                      TEXT,
    min_followed                 INTEGER CHECK (min_followed IS NULL OR min_followed >= 0),
    positive_exit_target         REAL CHECK (positive_exit_target IS NULL OR (positive_exit_target >= 0 AND positive_exit_target <= 1)),
    work_or_training_exit_target REAL CHECK (work_or_training_exit_target IS NULL OR (work_or_training_exit_target >= 0 AND work_or_training_exit_target <= 1)),
    min_interviews_per_month     INTEGER CHECK (min_interviews_per_month IS NULL OR min_interviews_per_month >= 0),
    created_at                   TEXT NOT NULL,
    updated_at                   TEXT NOT NULL,
    version                      INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE participants (
    id                     INTEGER PRIMARY KEY,
    first_name             TEXT NOT NULL,
    last_name              TEXT NOT NULL,
    birth_date             TEXT,
    -- folded last|first|birth date: rule 10 (one person, one file)
    identity_key           TEXT NOT NULL,
    gender                 TEXT CHECK (gender IN ('woman', 'man', 'non_binary')),
    phone                  TEXT,
    email                  TEXT,
    address                TEXT,
    postal_code            TEXT,
    city                   TEXT,
    referent_id            INTEGER NOT NULL REFERENCES referents(id),
    operation_id           INTEGER REFERENCES operations(id),
    prescriber             TEXT CHECK (prescriber IN ('france_travail', 'commission_rsa', 'structure', 'other_partner')),
    eligibility            TEXT NOT NULL DEFAULT '[]',
    employment_situation   TEXT CHECK (employment_situation IN ('unemployed', 'long_term_unemployed', 'inactive', 'employed')),
    education_level        TEXT CHECK (education_level IN ('isced_0_2', 'isced_3_4', 'isced_5_8')),
    disability             INTEGER CHECK (disability IN (0, 1)),
    third_country_national INTEGER CHECK (third_country_national IN (0, 1)),
    foreign_background     INTEGER CHECK (foreign_background IN (0, 1)),
    minority               INTEGER CHECK (minority IN (0, 1)),
    housing_exclusion      INTEGER CHECK (housing_exclusion IN (0, 1)),
    rural_area             INTEGER CHECK (rural_area IN (0, 1)),
    professional_goal      TEXT,
    status                 TEXT NOT NULL DEFAULT 'candidate' CHECK (status IN (
                               'candidate', 'pending_committee', 'admitted', 'rejected', 'invalidated',
                               'active', 'in_follow_up', 'exit_proposed', 'exited')),
    status_before_exit     TEXT CHECK (status_before_exit IN ('active', 'in_follow_up')),
    -- the decision date of the admission: start of the contract delay (rule 1)
    admitted_on            TEXT,
    -- the signature date of the current contract: the FSE entry
    entry_date             TEXT,
    exit_date              TEXT,
    exit_type              TEXT,
    anonymised_at          TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX participants_referent ON participants(referent_id, id);
CREATE INDEX participants_status ON participants(status, referent_id);
CREATE INDEX participants_identity ON participants(identity_key);
CREATE INDEX participants_entry ON participants(entry_date) WHERE entry_date IS NOT NULL;
CREATE INDEX participants_operation ON participants(operation_id);

CREATE TABLE barriers (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    kind           TEXT NOT NULL CHECK (kind IN ('mobility', 'housing', 'health', 'childcare_family', 'language_literacy',
                                               'digital', 'finances_debt', 'administrative_legal', 'qualification', 'other')),
    detail         TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'lifted')),
    identified_on  TEXT NOT NULL,
    lifted_on      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX barriers_participant ON barriers(participant_id, id);

-- Committees and decisions ------------------------------------------------------------------

CREATE TABLE committees (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('agrement', 'suivi', 'formation')),
    date       TEXT NOT NULL,
    title      TEXT,
    location   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX committees_date ON committees(date, id);

CREATE TABLE candidatures (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    committee_id   INTEGER NOT NULL REFERENCES committees(id),
    submitted_on   TEXT NOT NULL,
    notes          TEXT,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'deferred', 'withdrawn')),
    decision_id    INTEGER REFERENCES decisions(id),
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX candidatures_participant ON candidatures(participant_id, id);
CREATE INDEX candidatures_committee ON candidatures(committee_id, id);

CREATE TABLE decisions (
    id                   INTEGER PRIMARY KEY,
    committee_id         INTEGER NOT NULL REFERENCES committees(id),
    participant_id       INTEGER NOT NULL REFERENCES participants(id),
    subject              TEXT NOT NULL CHECK (subject IN ('admission', 'exit', 'invalidation', 'case_review')),
    outcome              TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected', 'deferred')),
    date                 TEXT NOT NULL,
    rationale            TEXT,
    alternative_proposal TEXT,
    letter_reference     TEXT,
    created_at           TEXT NOT NULL,
    -- rule 2: a rejected admission must offer another route
    CHECK (NOT (subject = 'admission' AND outcome = 'rejected') OR length(trim(coalesce(alternative_proposal, ''))) > 0)
) STRICT;
CREATE INDEX decisions_committee ON decisions(committee_id, id);
CREATE INDEX decisions_participant ON decisions(participant_id, id);

CREATE TABLE contracts (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    signed_on      TEXT NOT NULL,
    document_id    INTEGER REFERENCES documents(id),
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX contracts_participant ON contracts(participant_id, signed_on);

-- The pathway -------------------------------------------------------------------------------

CREATE TABLE steps (
    id                INTEGER PRIMARY KEY,
    participant_id    INTEGER NOT NULL REFERENCES participants(id),
    type              TEXT NOT NULL CHECK (type IN ('information_meeting', 'diagnosis', 'job_search_workshop', 'skills_assessment',
                          'pre_qualifying_training', 'qualifying_training', 'immersion', 'siae', 'subsidised_contract',
                          'employment', 'business_creation', 'mobility_aid', 'social_support', 'other')),
    operator          TEXT,
    planned_start     TEXT,
    planned_end       TEXT,
    actual_start      TEXT,
    actual_end        TEXT,
    status            TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'completed', 'abandoned')),
    objectives_met    TEXT CHECK (objectives_met IN ('yes', 'partly', 'no')),
    evaluation_comment TEXT,
    barrier_ids       TEXT NOT NULL DEFAULT '[]',
    comment           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX steps_participant ON steps(participant_id, id);

CREATE TABLE interviews (
    id                INTEGER PRIMARY KEY,
    participant_id    INTEGER NOT NULL REFERENCES participants(id),
    referent_id       INTEGER REFERENCES referents(id),
    date              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('individual', 'phone', 'partner', 'workplace', 'collective')),
    duration_minutes  INTEGER CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440),
    summary           TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    attendance_signed INTEGER NOT NULL DEFAULT 0 CHECK (attendance_signed IN (0, 1)),
    created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX interviews_participant ON interviews(participant_id, date, id);
CREATE INDEX interviews_date ON interviews(date, participant_id);

CREATE TABLE job_offers (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    employer      TEXT NOT NULL,
    contract_type TEXT,
    location      TEXT,
    description   TEXT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE positionings (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    job_offer_id   INTEGER NOT NULL REFERENCES job_offers(id),
    proposed_on    TEXT NOT NULL,
    result         TEXT CHECK (result IN ('hired', 'not_selected', 'withdrawn', 'no_answer')),
    result_on      TEXT,
    reason         TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    CHECK (result IS NULL OR length(trim(coalesce(reason, ''))) > 0)
) STRICT;
CREATE INDEX positionings_participant ON positionings(participant_id, id);
CREATE INDEX positionings_pending ON positionings(proposed_on) WHERE result IS NULL;

CREATE TABLE follow_ups (
    id                INTEGER PRIMARY KEY,
    participant_id    INTEGER NOT NULL REFERENCES participants(id),
    step_id           INTEGER REFERENCES steps(id),
    starts_on         TEXT NOT NULL,
    ends_on           TEXT NOT NULL,
    interrupted_on    TEXT,
    questionnaire_date    TEXT,
    questionnaire_answers TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX follow_ups_participant ON follow_ups(participant_id, id);

CREATE TABLE follow_up_contacts (
    id           INTEGER PRIMARY KEY,
    follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id),
    date         TEXT NOT NULL,
    with_whom    TEXT NOT NULL CHECK (with_whom IN ('participant', 'employer')),
    kind         TEXT,
    summary      TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX follow_up_contacts_follow_up ON follow_up_contacts(follow_up_id, date);

-- Evidence and exits --------------------------------------------------------------------------

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    kind           TEXT NOT NULL CHECK (kind IN ('exit_certificate', 'employment_contract', 'payslip', 'training_enrolment',
                                               'participant_statement', 'contract_of_engagement', 'other')),
    attests_on     TEXT,
    content_type   TEXT NOT NULL,
    filename       TEXT,
    size           INTEGER NOT NULL CHECK (size >= 0),
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    -- set when the retention purge removed the bytes
    purged_at      TEXT
) STRICT;
CREATE INDEX documents_participant ON documents(participant_id, id);

-- The bytes apart from the metadata, so listing documents never reads them.
CREATE TABLE document_contents (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    bytes       BLOB NOT NULL
) STRICT;

CREATE TABLE exits (
    id                INTEGER PRIMARY KEY,
    participant_id    INTEGER NOT NULL REFERENCES participants(id),
    type              TEXT NOT NULL CHECK (type IN ('cdi', 'cdd_6m_plus', 'interim_6m_plus', 'contrat_aide', 'alternance',
                          'creation_entreprise', 'formation_qualifiante', 'demenagement', 'deces', 'retraite', 'sante',
                          'abandon', 'interruption', 'reorientation')),
    category          TEXT NOT NULL CHECK (category IN ('positive', 'administrative', 'other')),
    date              TEXT NOT NULL,
    situation         TEXT NOT NULL CHECK (situation IN ('in_employment', 'in_education_or_training', 'job_searching', 'other')),
    situation_detail  TEXT,
    referent_request  TEXT,
    status            TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'validated', 'rejected')),
    previous_status   TEXT NOT NULL CHECK (previous_status IN ('active', 'in_follow_up')),
    entry_date        TEXT,
    decision_id       INTEGER REFERENCES decisions(id),
    decided_on        TEXT,
    letter_reference  TEXT,
    -- ESF+ result six months after leaving, recorded later
    six_month_in_employment INTEGER CHECK (six_month_in_employment IN (0, 1)),
    six_month_improved      INTEGER CHECK (six_month_improved IN (0, 1)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX exits_participant ON exits(participant_id, id);
CREATE INDEX exits_validated ON exits(date, participant_id) WHERE status = 'validated';

CREATE TABLE exit_documents (
    exit_id     INTEGER NOT NULL REFERENCES exits(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (exit_id, document_id)
) STRICT, WITHOUT ROWID;

-- The referent's agenda: entries besides interviews and committees, which appear by themselves.
CREATE TABLE agenda_entries (
    id          INTEGER PRIMARY KEY,
    referent_id INTEGER NOT NULL REFERENCES referents(id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind        TEXT NOT NULL DEFAULT 'other',
    location    TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX agenda_entries_referent ON agenda_entries(referent_id, starts_at);
