#!/usr/bin/env python3
"""The OpenAPI 3.1 document of Parcours, written as readable Python (standard library only).

This file is the source of truth; Sources/API/Resources/openapi.json (docs/openapi.json links
to it) is generated from it and served at GET /openapi.json.

    python3 scripts/openapi.py           # regenerate the JSON
    python3 scripts/openapi.py --check   # exit 1 when the JSON is stale

Schemas follow the handlers in Sources/API/Routes and Sources/API/Records: every field they
render, ids as strings, nullable columns as ["...", "null"], codes from Sources/Domain.
Request bodies are closed (`additionalProperties: false`): unknown fields are refused with 422.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Sources", "API", "Resources", "openapi.json")

# ---------------------------------------------------------------------------------------------
# Codes (Sources/Domain/Codes.swift, Lifecycle.swift, Agenda.swift, JobOfferStatus.swift)

CODES = {
    "Role": ["admin", "coordinator", "structure_manager", "referent", "auditor"],
    "Gender": ["woman", "man", "non_binary"],
    "Prescriber": ["france_travail", "commission_rsa", "structure", "other_partner"],
    "Eligibility": ["brsa", "deld", "rqth", "youth_low_qualification", "senior", "qpv", "single_parent", "other"],
    "EmploymentSituation": ["unemployed", "long_term_unemployed", "inactive", "employed"],
    "EducationLevel": ["isced_0_2", "isced_3_4", "isced_5_8"],
    "BarrierKind": ["mobility", "housing", "health", "childcare_family", "language_literacy", "digital",
                    "finances_debt", "administrative_legal", "qualification", "other"],
    "BarrierStatus": ["open", "lifted"],
    "CommitteeKind": ["agrement", "suivi", "formation"],
    "DecisionSubject": ["admission", "exit", "invalidation", "case_review"],
    "DecisionOutcome": ["approved", "rejected", "deferred"],
    "StepType": ["information_meeting", "diagnosis", "job_search_workshop", "skills_assessment",
                 "pre_qualifying_training", "qualifying_training", "immersion", "siae", "subsidised_contract",
                 "employment", "business_creation", "mobility_aid", "social_support", "other"],
    "StepStatus": ["planned", "ongoing", "completed", "abandoned"],
    "ObjectivesMet": ["yes", "partly", "no"],
    "InterviewKind": ["individual", "phone", "partner", "workplace", "collective"],
    "PositioningResult": ["hired", "not_selected", "withdrawn", "no_answer"],
    "ContactWith": ["participant", "employer"],
    "DocumentKind": ["exit_certificate", "employment_contract", "payslip", "training_enrolment",
                     "participant_statement", "contract_of_engagement", "other"],
    "ExitSituation": ["in_employment", "in_education_or_training", "job_searching", "other"],
    "ExitCategory": ["positive", "administrative", "other"],
    "ExitType": ["cdi", "cdd_6m_plus", "interim_6m_plus", "contrat_aide", "alternance", "creation_entreprise",
                 "formation_qualifiante", "demenagement", "deces", "retraite", "sante", "abandon", "interruption",
                 "reorientation"],
    "ExitStatus": ["proposed", "validated", "rejected"],
    "ParticipantStatus": ["candidate", "pending_committee", "admitted", "rejected", "invalidated", "active",
                          "in_follow_up", "exit_proposed", "exited"],
    "JobOfferStatus": ["open", "filled", "closed"],
    "AgendaEntryKind": ["internal_meeting", "administrative", "partner_meeting", "training", "leave", "other"],
    "CandidatureStatus": ["pending", "approved", "rejected", "deferred", "withdrawn"],
    "FollowUpStatus": ["in_progress", "completed", "interrupted"],
    "AlertKind": ["interviews_below_minimum", "follow_up_contact_overdue", "follow_up_ended", "contract_unsigned",
                  "positioning_pending", "pathway_gap", "exit_awaiting_committee", "pathway_over_max_length"],
}

# ---------------------------------------------------------------------------------------------
# Schema helpers


def nullable(schema):
    """The same schema, also allowing null."""
    s = dict(schema)
    t = s.get("type")
    if isinstance(t, str):
        s["type"] = [t, "null"]
    if "enum" in s:
        s["enum"] = s["enum"] + [None]
    return s


def string(null=False, **kw):
    s = {"type": "string", **kw}
    return nullable(s) if null else s


def text(null=False, max_length=None):
    """A text field as the server writes it back (trimmed, never empty)."""
    s = {"type": "string"}
    return nullable(s) if null else s


def text_in(max_length=200, null=True):
    """A text field in a request body: non-empty, bounded; null clears it when optional."""
    s = {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": r"\S"}
    return nullable(s) if null else s


ID_PATTERN = "^[1-9][0-9]{0,17}$"


def id_(null=False):
    s = {"type": "string", "pattern": ID_PATTERN, "description": "An id: a string of digits."}
    return nullable(s) if null else s


def date(null=False):
    s = {"type": "string", "format": "date"}
    return nullable(s) if null else s


def timestamp(null=False):
    s = {"type": "string", "format": "date-time"}
    return nullable(s) if null else s


def integer(null=False, **kw):
    s = {"type": "integer", **kw}
    return nullable(s) if null else s


def number(null=False, **kw):
    s = {"type": "number", **kw}
    return nullable(s) if null else s


def boolean(null=False):
    s = {"type": "boolean"}
    return nullable(s) if null else s


def code(name, null=False):
    s = {"type": "string", "enum": list(CODES[name])}
    return nullable(s) if null else s


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


def array(items, **kw):
    return {"type": "array", "items": items, **kw}


def obj(props, required=None, closed=False, null=False):
    """An object; a rendered resource has every field present (required defaults to all)."""
    s = {"type": "object", "properties": props,
         "required": sorted(props) if required is None else sorted(required)}
    if not s["required"]:
        del s["required"]
    if closed:
        s["additionalProperties"] = False
    return nullable(s) if null else s


def body(props, required=()):
    """A request body's schema: closed, unknown fields are a 422."""
    return obj(props, required=list(required), closed=True)


def list_of(name):
    return obj({"items": array(ref(name)), "next_cursor": string(null=True)})


# ---------------------------------------------------------------------------------------------
# Components: the resources as the handlers render them

SCHEMAS = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details. `request_id` is on every answer of the application; "
                       "the HTTP layer's own refusals (malformed framing, body too large before it is read) "
                       "carry the request id in the X-Request-Id header only. Extra members (`rule`, `code`, "
                       "`remedy`, `existing_id`, `merged_into`...) depend on the problem.",
        "properties": {
            "type": string(), "title": string(), "status": integer(minimum=100, maximum=599),
            "detail": string(), "request_id": string(),
            "errors": array(obj({"field": string(), "message": string()})),
            "rule": integer(), "code": string(), "remedy": string(),
        },
        "required": ["detail", "status", "title", "type"],
        "additionalProperties": True,
    },
    "Health": obj({"status": string(), "database": string()}),
    "Structure": obj({
        "id": id_(), "name": text(), "kind": text(True), "address": text(True), "postal_code": text(True),
        "city": text(True), "active": boolean(), "created_at": timestamp(), "updated_at": timestamp()}),
    "StructureCreate": body({
        "name": text_in(200, null=False), "kind": text_in(120), "address": text_in(500), "postal_code": text_in(10),
        "city": text_in(120), "active": boolean()}, required=["name"]),
    "StructureUpdate": body({
        "name": text_in(200, null=False), "kind": text_in(120), "address": text_in(500), "postal_code": text_in(10),
        "city": text_in(120), "active": boolean()}),
    "Referent": obj({
        "id": id_(), "structure_id": id_(), "first_name": text(), "last_name": text(), "email": text(True),
        "phone": text(True), "fte": number(minimum=0, maximum=1), "active": boolean(),
        "created_at": timestamp(), "updated_at": timestamp()}),
    "ReferentCreate": body({
        "structure_id": id_(), "first_name": text_in(null=False), "last_name": text_in(null=False),
        "email": nullable(string(format="email", maxLength=254)), "phone": text_in(40),
        "fte": number(exclusiveMinimum=0, maximum=1), "active": boolean()},
        required=["structure_id", "first_name", "last_name"]),
    "ReferentUpdate": body({
        "structure_id": id_(), "first_name": text_in(null=False), "last_name": text_in(null=False),
        "email": nullable(string(format="email", maxLength=254)), "phone": text_in(40),
        "fte": number(exclusiveMinimum=0, maximum=1), "active": boolean()}),
    "Operation": obj({
        "id": id_(), "name": text(), "code": text(True), "starts_on": date(True), "ends_on": date(True),
        "min_followed": integer(True), "positive_exit_target": number(True),
        "work_or_training_exit_target": number(True), "min_interviews_per_month": integer(True),
        "created_at": timestamp(), "updated_at": timestamp()}),
    "OperationCreate": body({
        "name": text_in(null=False), "code": text_in(60), "starts_on": date(True), "ends_on": date(True),
        "min_followed": integer(True, minimum=0, maximum=1000000),
        "positive_exit_target": number(True, minimum=0, maximum=1),
        "work_or_training_exit_target": number(True, minimum=0, maximum=1),
        "min_interviews_per_month": integer(True, minimum=0, maximum=31)}, required=["name"]),
    "OperationUpdate": body({
        "name": text_in(null=False), "code": text_in(60), "starts_on": date(True), "ends_on": date(True),
        "min_followed": integer(True, minimum=0, maximum=1000000),
        "positive_exit_target": number(True, minimum=0, maximum=1),
        "work_or_training_exit_target": number(True, minimum=0, maximum=1),
        "min_interviews_per_month": integer(True, minimum=0, maximum=31)}),
    "JobOffer": obj({
        "id": id_(), "title": text(), "employer": text(), "contract_type": text(True), "location": text(True),
        "description": text(True), "status": code("JobOfferStatus"), "created_at": timestamp(),
        "updated_at": timestamp()}),
    "JobOfferCreate": body({
        "title": text_in(null=False), "employer": text_in(null=False), "contract_type": text_in(120),
        "location": text_in(200), "description": text_in(10000), "status": code("JobOfferStatus")},
        required=["title", "employer"]),
    "JobOfferUpdate": body({
        "title": text_in(null=False), "employer": text_in(null=False), "contract_type": text_in(120),
        "location": text_in(200), "description": text_in(10000), "status": code("JobOfferStatus")}),
    "Committee": obj({
        "id": id_(), "kind": code("CommitteeKind"), "date": date(), "title": text(True), "location": text(True),
        "created_at": timestamp(), "updated_at": timestamp()}),
    "CommitteeCreate": body({
        "kind": code("CommitteeKind"), "date": date(), "title": text_in(200), "location": text_in(200)},
        required=["kind", "date"]),
    "CommitteePage": {
        "allOf": [ref("Committee"), obj({
            "agenda": obj({
                "candidatures": array(obj({
                    "id": id_(), "participant_id": id_(), "committee_id": id_(), "submitted_on": date(),
                    "notes": text(True), "status": code("CandidatureStatus"), "decision_id": id_(True),
                    "created_at": timestamp(), "first_name": text(True), "last_name": text(True),
                    "referent_id": id_(True), "participant_status": code("ParticipantStatus", True)})),
                "exit_proposals": array(obj({
                    "exit_id": id_(), "participant_id": id_(), "first_name": text(True), "last_name": text(True),
                    "referent_id": id_(True), "participant_status": code("ParticipantStatus", True),
                    "type": code("ExitType"), "category": code("ExitCategory"), "date": date(),
                    "situation": code("ExitSituation")})),
            }),
            "decisions": array(ref("Decision")),
        })],
    },
    "Candidature": obj({
        "id": id_(), "participant_id": id_(), "committee_id": id_(), "submitted_on": date(), "notes": text(True),
        "status": code("CandidatureStatus"), "decision_id": id_(True), "created_at": timestamp(),
        "participant_status": code("ParticipantStatus")}),
    "CandidatureCreate": body({"committee_id": id_(), "notes": text_in(10000)}, required=["committee_id"]),
    "Contract": obj({
        "id": id_(), "participant_id": id_(), "signed_on": date(), "document_id": id_(True),
        "created_at": timestamp(), "participant_status": code("ParticipantStatus")}),
    "ContractCreate": body({"signed_on": date(), "document_id": id_(True)}, required=["signed_on"]),
    "Decision": obj({
        "id": id_(), "committee_id": id_(), "participant_id": id_(), "subject": code("DecisionSubject"),
        "outcome": code("DecisionOutcome"), "date": date(True), "rationale": text(True),
        "alternative_proposal": text(True), "letter_reference": text(True), "created_at": timestamp()}),
    "DecisionCreated": {"allOf": [ref("Decision"), obj({"participant_status": code("ParticipantStatus")})]},
    "DecisionCreate": body({
        "participant_id": id_(), "subject": code("DecisionSubject"), "outcome": code("DecisionOutcome"),
        "date": date(True), "rationale": text_in(10000), "alternative_proposal": text_in(10000),
        "letter_reference": text_in(200)}, required=["participant_id", "subject", "outcome"]),
    "Token": obj({
        "id": id_(), "name": string(), "role": code("Role"), "referent_id": id_(True), "structure_id": id_(True),
        "created_at": timestamp(), "revoked_at": timestamp(True)}),
    "TokenCreated": {"allOf": [ref("Token"), obj({"secret": string(pattern="^pct_[0-9a-f]{64}$",
                                                                   description="Shown once.")})]},
    "TokenCreate": body({
        "role": code("Role"), "name": text_in(200), "referent_id": id_(True), "structure_id": id_(True)},
        required=["role"]),
    "ParticipantExit": obj({
        "id": id_(), "type": code("ExitType"), "category": code("ExitCategory"), "date": date(),
        "situation": code("ExitSituation"), "status": code("ExitStatus")}, null=True),
    "Participant": obj({
        "id": id_(), "first_name": text(), "last_name": text(),
        # Null once the retention purge has anonymised the file (only the birth year is kept).
        "birth_date": date(True),
        "gender": code("Gender", True), "phone": text(True), "email": text(True), "address": text(True),
        "postal_code": text(True), "city": text(True), "referent_id": id_(), "structure_id": id_(),
        "operation_id": id_(True), "prescriber": code("Prescriber", True),
        "eligibility": array(code("Eligibility")), "employment_situation": code("EmploymentSituation", True),
        "education_level": code("EducationLevel", True), "disability": boolean(True),
        "third_country_national": boolean(True), "foreign_background": boolean(True), "minority": boolean(True),
        "housing_exclusion": boolean(True), "rural_area": boolean(True), "professional_goal": text(True),
        "status": code("ParticipantStatus"), "admitted_on": date(True), "entry_date": date(True),
        "exit": ref("ParticipantExit"), "created_at": timestamp(), "updated_at": timestamp()}),
}

_participant_fields = {
    "first_name": text_in(null=False), "last_name": text_in(null=False), "birth_date": date(),
    "gender": code("Gender", True), "phone": nullable(string(maxLength=40, pattern=r"^[0-9 +\-.()]*[0-9][0-9 +\-.()]*$")),
    "email": nullable(string(format="email", maxLength=254)), "address": text_in(500), "postal_code": text_in(10),
    "city": text_in(120), "professional_goal": text_in(2000), "prescriber": code("Prescriber", True),
    "eligibility": nullable(array(code("Eligibility"))),
    "employment_situation": code("EmploymentSituation", True), "education_level": code("EducationLevel", True),
    "disability": boolean(True), "third_country_national": boolean(True), "foreign_background": boolean(True),
    "minority": boolean(True), "housing_exclusion": boolean(True), "rural_area": boolean(True),
    "referent_id": id_(), "operation_id": id_(True),
    "confirmed_different_person": boolean(True),
}
SCHEMAS["ParticipantCreate"] = body(_participant_fields, required=["first_name", "last_name", "birth_date"])
SCHEMAS["ParticipantUpdate"] = body(_participant_fields)

SCHEMAS.update({
    "Barrier": obj({
        "id": id_(), "participant_id": id_(), "kind": code("BarrierKind"), "detail": text(True),
        "status": code("BarrierStatus"), "identified_on": date(), "lifted_on": date(True),
        "created_at": timestamp(), "updated_at": timestamp()}),
    "BarrierCreate": body({
        "kind": code("BarrierKind"), "detail": text_in(4000), "status": code("BarrierStatus", True),
        "identified_on": date(True), "lifted_on": date(True)}, required=["kind"]),
    "BarrierUpdate": body({"detail": text_in(4000), "status": code("BarrierStatus"), "lifted_on": date(True)}),
    "Step": obj({
        "id": id_(), "participant_id": id_(), "type": code("StepType"), "operator": text(True),
        "planned_start": date(True), "planned_end": date(True), "actual_start": date(True),
        "actual_end": date(True), "status": code("StepStatus"),
        "evaluation": obj({"objectives_met": code("ObjectivesMet", True), "comment": text(True)}, null=True),
        "barrier_ids": array(id_()), "comment": text(True), "created_at": timestamp(), "updated_at": timestamp()}),
})
_step_fields = {
    "type": code("StepType"), "operator": text_in(200), "planned_start": date(True), "planned_end": date(True),
    "actual_start": date(True), "actual_end": date(True), "status": code("StepStatus"),
    "evaluation": nullable(body({"objectives_met": code("ObjectivesMet", True), "comment": text_in(4000)})),
    "barrier_ids": nullable(array(id_())), "comment": text_in(4000),
}
SCHEMAS["StepCreate"] = body(_step_fields, required=["type"])
SCHEMAS["StepUpdate"] = body(_step_fields)

SCHEMAS.update({
    "Interview": obj({
        "id": id_(), "participant_id": id_(), "referent_id": id_(True), "date": date(), "kind": code("InterviewKind"),
        "duration_minutes": integer(True), "summary": string(), "attendance_signed": boolean(),
        "created_at": timestamp()}),
    "InterviewCreate": body({
        "date": date(), "kind": code("InterviewKind"), "duration_minutes": integer(True, minimum=1, maximum=1440),
        "summary": string(minLength=1, maxLength=20000, pattern=r"\S"), "attendance_signed": boolean(True)},
        required=["date", "kind", "summary"]),
    "Positioning": obj({
        "id": id_(), "participant_id": id_(), "job_offer_id": id_(), "proposed_on": date(),
        "result": code("PositioningResult", True), "result_on": date(True), "reason": text(True),
        "created_at": timestamp(), "updated_at": timestamp()}),
    "PositioningCreate": body({"job_offer_id": id_(), "proposed_on": date(True)}, required=["job_offer_id"]),
    "PositioningUpdate": body({"result": code("PositioningResult"), "reason": text_in(4000),
                               "result_on": date(True)}),
    "FollowUpContact": obj({
        "id": id_(), "date": date(), "with": code("ContactWith"), "kind": text(True), "summary": text(),
        "created_at": timestamp()}),
    "FollowUpContactCreate": body({
        "date": date(), "with": code("ContactWith"), "kind": text_in(100), "summary": text_in(20000, null=False)},
        required=["date", "with", "summary"]),
    "FollowUp": obj({
        "id": id_(), "participant_id": id_(), "step_id": id_(True), "starts_on": date(), "ends_on": date(),
        "interrupted_on": date(True), "status": code("FollowUpStatus"), "contacts": array(ref("FollowUpContact")),
        "questionnaire": obj({"date": date(), "answers": {"type": "object"}}, null=True),
        "next_contact_due": date(True)}),
    "QuestionnaireCreate": body({"date": date(True), "answers": {"type": "object"}}, required=["answers"]),
    "Document": obj({
        "id": id_(), "participant_id": id_(), "kind": code("DocumentKind"), "attests_on": date(True),
        "content_type": string(), "filename": text(True), "size": integer(minimum=0), "sha256": string(pattern="^[0-9a-f]{64}$"),
        "created_at": timestamp(), "purged_at": timestamp(True), "content_url": string()}),
    "Exit": obj({
        "id": id_(), "participant_id": id_(), "type": code("ExitType"), "category": code("ExitCategory"),
        "date": date(), "situation": code("ExitSituation"), "situation_detail": text(True),
        "referent_request": text(True), "document_ids": array(id_()), "status": code("ExitStatus"),
        "previous_status": string(enum=["active", "in_follow_up"]), "entry_date": date(True), "decision_id": id_(True),
        "decided_on": date(True), "letter_reference": text(True), "created_at": timestamp(),
        "updated_at": timestamp()}),
    "ExitCreate": body({
        "type": code("ExitType"), "date": date(), "situation": code("ExitSituation"),
        "situation_detail": text_in(2000), "document_ids": nullable(array(id_())),
        "referent_request": text_in(10000)}, required=["type", "date", "situation"]),
    "SixMonthResult": obj({
        "exit_id": id_(), "participant_id": id_(), "exit_date": date(), "in_employment": boolean(True),
        "improved_situation": boolean(True), "date": date(True)}),
    "SixMonthResultCreate": body({"in_employment": boolean(), "improved_situation": boolean(), "date": date()},
                                 required=["in_employment", "improved_situation", "date"]),
    "TimelineEvent": {
        "type": "object", "description": "One event: `at` (a date or a timestamp), `kind`, `id`, then the event's details.",
        "properties": {"at": string(), "kind": string(), "id": id_()},
        "required": ["at", "id", "kind"], "additionalProperties": True},
    "AccessExport": {
        "type": "object", "description": "Everything held on the person, every column as stored.",
        "properties": {k: array({"type": "object"}) for k in [
            "barriers", "candidatures", "decisions", "contracts", "steps", "interviews", "positionings",
            "follow_ups", "documents", "exits", "audit"]} | {
            "exported_at": timestamp(), "participant": {"type": "object"}},
        "required": sorted(["exported_at", "participant", "barriers", "candidatures", "decisions", "contracts",
                            "steps", "interviews", "positionings", "follow_ups", "documents", "exits", "audit"]),
        "additionalProperties": True},
    "AuditEntry": obj({
        "id": id_(), "at": timestamp(), "token_id": id_(True), "role": string(null=True), "action": string(),
        "entity": string(), "entity_id": string(null=True), "participant_id": id_(True),
        "request_id": string(null=True), "before": {}, "after": {}}),
    "AgendaItem": {
        "type": "object", "description": "An interview, a committee or a posted entry (`source`).",
        "properties": {"id": id_(), "kind": string(), "title": string(), "source": string()},
        "required": ["id", "kind", "source", "title"], "additionalProperties": True},
    "AgendaEntry": obj({
        "id": id_(), "kind": code("AgendaEntryKind"), "title": string(), "starts_at": string(),
        "ends_at": string(null=True), "location": text(True), "notes": text(True), "referent_id": id_(),
        "source": string(enum=["entry"]), "created_at": timestamp()}),
    "AgendaEntryCreate": body({
        "starts_at": string(format="date-time", maxLength=40), "ends_at": nullable(string(format="date-time", maxLength=40)),
        "title": text_in(200, null=False), "kind": code("AgendaEntryKind", True), "location": text_in(200),
        "notes": text_in(2000)}, required=["starts_at", "title"]),
    "ImportReport": {
        "type": "object",
        "properties": {"dry_run": boolean(), "summary": {"type": "object"}, "created": array({}),
                       "existing": array({}), "errors": array({}), "warnings": array({}), "file": {"type": "object"}},
        "required": ["created", "dry_run", "errors", "existing", "file", "summary", "warnings"],
        "additionalProperties": True},
    "DuplicatePair": obj({"participant_ids": array(id_(), minItems=2, maxItems=2), "reasons": array(string(enum=[
        "same_names_and_birth_date", "same_names_and_phone", "same_names_and_email"]))}),
    "MergeCreate": body({"duplicate_id": id_()}, required=["duplicate_id"]),
    "DistinctPersonsCreate": body({"participant_ids": array(id_(), minItems=2, maxItems=2, uniqueItems=True)}, required=["participant_ids"]),
    "DistinctPersons": obj({"participant_ids": array(id_(), minItems=2, maxItems=2), "confirmed_at": timestamp()}),
    "Merge": {"type": "object", "properties": {
        "merge_id": id_(), "kept_id": id_(), "duplicate_id": id_(), "moved": {"type": "object"}, "revert": string()},
        "required": ["duplicate_id", "kept_id", "merge_id", "moved", "revert"]},
    "MergeReverted": {"type": "object", "properties": {
        "merge_id": id_(), "kept_id": id_(), "duplicate_id": id_(), "moved_back": {}},
        "required": ["duplicate_id", "kept_id", "merge_id", "moved_back"]},
    # A figure with its target: rates are fractions 0..1; `value` null when its denominator is 0,
    # `met` null when the value or the target is unknown (docs/INDICATORS.md).
    "Measure": obj({"value": number(null=True), "target": number(null=True), "met": boolean(null=True)}),
    "InterviewCompliance": obj({"value": number(null=True, minimum=0, maximum=1), "compliant_months": integer(minimum=0),
                                "months": integer(minimum=0), "target": number(), "met": boolean(null=True)}),
    "FollowUpFigures": obj({"in_progress": integer(minimum=0), "completed": integer(minimum=0),
                            "overdue_contacts": integer(minimum=0), "target": integer(), "met": boolean()}),
    "AveragePathwayDays": obj({c: number(null=True) for c in CODES["ExitCategory"]}),
    "SubsidisedContractAction": obj({"followed": ref("Measure"), "work_or_training_exit_rate": ref("Measure")}),
    # With ?detail=true, the ids of the participants behind each count.
    "IndicatorDetail": {"type": "object", "additionalProperties": array(id_())},
    "IndicatorPeriod": obj({"from": date(), "to": date()}),
})
INDICATOR_FIGURES = {
    "exits": integer(minimum=0), "positive_exits": integer(minimum=0), "administrative_exits": integer(minimum=0),
    "other_exits": integer(minimum=0), "positive_exit_rate": ref("Measure"), "positive_exit_rate_neutralised": ref("Measure"),
    "entries": ref("Measure"), "active_caseload": ref("Measure"), "caseload_per_fte": ref("Measure"),
    "interview_compliance": ref("InterviewCompliance"), "follow_ups": ref("FollowUpFigures"), "pathway_gaps": ref("Measure"),
    "contract_delays": ref("Measure"), "pending_positionings": ref("Measure"), "average_pathway_days": ref("AveragePathwayDays"),
}
OPTIONAL_FIGURES = {"detail": ref("IndicatorDetail")}


def indicator_block(extra, optional=None):
    props = {**extra, **INDICATOR_FIGURES, **OPTIONAL_FIGURES, **(optional or {})}
    return obj(props, required=list(extra) + list(INDICATOR_FIGURES))


SCHEMAS.update({
    "IndicatorBlock": indicator_block({}),
    "ReferentIndicators": indicator_block({"referent_id": id_(), "name": string(), "structure_id": id_(), "fte": number()}),
    "StructureIndicators": indicator_block({"structure_id": id_(), "name": string(), "fte": number()}),
    "OperationIndicators": indicator_block({"operation_id": id_(), "name": string()},
                                           optional={"subsidised_contract_action": ref("SubsidisedContractAction")}),
    "Indicators": obj({"period": ref("IndicatorPeriod"), "overall": ref("IndicatorBlock"),
                       "by_referent": array(ref("ReferentIndicators")), "by_structure": array(ref("StructureIndicators")),
                       "by_operation": array(ref("OperationIndicators"))}),
    "Alert": obj({"kind": code("AlertKind"), "participant_id": id_(), "referent_id": id_(), "since": date(), "detail": string()}),
})
for name in ["Structure", "Referent", "Operation", "JobOffer", "Committee", "Token", "Participant", "Barrier",
             "Step", "Interview", "Positioning", "Document", "Exit", "TimelineEvent", "AuditEntry", "DuplicatePair"]:
    SCHEMAS[name + "List"] = list_of(name)

# ---------------------------------------------------------------------------------------------
# Parameters and responses

PARAMETERS = {
    "limit": {"name": "limit", "in": "query", "description": "Page size (default 50).",
              "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    "cursor": {"name": "cursor", "in": "query", "description": "The opaque `next_cursor` of the previous page.",
               "schema": {"type": "string"}},
}


def q(name, schema, description=None, required=False):
    p = {"name": name, "in": "query", "schema": schema}
    if description:
        p["description"] = description
    if required:
        p["required"] = True
    return p


PAGE = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}]

PROBLEM_TITLES = {
    400: "Malformed request", 401: "Missing or invalid bearer token", 403: "Not allowed for this role",
    404: "Not found, or not visible to the caller", 405: "Method not allowed",
    409: "A rule of the lifecycle forbids it now", 410: "Gone (merged file, purged bytes)",
    412: "Stale If-Match", 413: "Body too large", 415: "Wrong Content-Type", 422: "Invalid fields",
    500: "Internal error (never leaks internals)",
    503: "Database unavailable now (disk full, I/O error, busy): the request was not applied; retry after Retry-After",
}
RESPONSES = {str(s): {"description": d, "content": {"application/problem+json": {"schema": ref("Problem")}}}
             for s, d in PROBLEM_TITLES.items()}
RESPONSES["401"]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}
RESPONSES["405"]["headers"] = {"Allow": {"schema": {"type": "string"}, "required": True}}
RESPONSES["503"]["headers"] = {"Retry-After": {"description": "Seconds to wait before sending the request again.",
                                               "schema": {"type": "integer", "minimum": 0}}}

ETAG = {"ETag": {"description": "The resource's version; send it back in If-Match.", "required": True,
                 "schema": {"type": "string"}}}
LOCATION = {"Location": {"description": "The created resource.", "required": True, "schema": {"type": "string"}}}
IF_MATCH = {"name": "If-Match", "in": "header", "description": "Optional; 412 when it does not match the ETag.",
            "schema": {"type": "string"}}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header",
               "description": "A retry with the same key returns the first answer and creates nothing twice.",
               "schema": {"type": "string", "minLength": 1, "maxLength": 255}}


def json_response(description, schema, headers=None):
    r = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        r["headers"] = headers
    return r


# ---------------------------------------------------------------------------------------------
# Operations


def op(summary, ok, *, public=False, params=(), body_schema=None, body_content=None, problems=(), tag=None):
    """One operation. `ok` maps status codes to responses; `problems` are the problem statuses
    besides those that follow from the shape (401 unless public, 400/413/415/422 with a body,
    404 with a path parameter, 500 and 503 always: any request may meet a full disk)."""
    statuses = set(problems) | {500, 503}
    if not public:
        statuses |= {401, 403}
    content = body_content
    if body_schema is not None:
        content = {"application/json": {"schema": body_schema}}
    if content is not None:
        statuses |= {400, 413, 415, 422}
    o = {"summary": summary, "responses": {str(k): v for k, v in ok.items()}}
    for s in sorted(statuses):
        o["responses"][str(s)] = {"$ref": "#/components/responses/" + str(s)}
    if params:
        o["parameters"] = list(params)
    if content is not None:
        o["requestBody"] = {"required": True, "content": content}
    if public:
        o["security"] = []
    if tag:
        o["tags"] = [tag]
    return o


PATHS = {}


def route(method, path, operation):
    """Adds one operation; path parameters (`{id}`) are declared from the path itself."""
    item = PATHS.setdefault(path, {})
    names = [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]
    if names:
        # The fuzzer's seed (scripts/fuzz_seed.py) creates rows 1 and 2 of most tables.
        item["parameters"] = [{"name": n, "in": "path", "required": True,
                               "examples": {"first": {"value": "1"}, "second": {"value": "2"}},
                               "schema": {"type": "string", "pattern": "^[0-9]+$"}} for n in names]
        operation["responses"].setdefault("404", {"$ref": "#/components/responses/404"})
    if method == "post":
        # An Idempotency-Key of the wrong length is a 422, whatever the body.
        operation.setdefault("parameters", []).append(IDEMPOTENCY)
        operation["responses"].setdefault("422", {"$ref": "#/components/responses/422"})
    # get /v1/participants/{id}/follow-up -> get_v1_participants_id_follow_up
    operation["operationId"] = "_".join([method] + [seg.strip("{}").replace("-", "_").replace(".", "_")
                                                    for seg in path.split("/") if seg])
    item[method] = operation


def reference(path, name, tag, filters=(), patch=True, show=None, what=None):
    """The four routes of a ReferenceResource: POST/GET collection, GET/PATCH one."""
    route("post", path, op(f"Create a {what}", {201: json_response("Created", ref(name), ETAG | LOCATION)},
                           body_schema=ref(name + "Create"), tag=tag))
    route("get", path, op(f"List {what}s", {200: json_response("A page", ref(name + "List"))},
                          params=PAGE + list(filters), problems=[422], tag=tag))
    route("get", path + "/{id}", show or op(f"One {what}", {200: json_response("The resource", ref(name), ETAG)}, tag=tag))
    if patch:
        route("patch", path + "/{id}", op(f"Update a {what}", {200: json_response("Updated", ref(name), ETAG)},
                                          params=[IF_MATCH], body_schema=ref(name + "Update"), problems=[412], tag=tag))


# System
route("get", "/health", op("Liveness and database check", {200: json_response("Up", ref("Health"))},
                           public=True, problems=[503], tag="system"))
route("get", "/metrics", op("Prometheus metrics", {200: {"description": "Prometheus text exposition",
                                                         "content": {"text/plain": {"schema": {"type": "string"}}}}},
                            public=True, tag="system"))
route("get", "/openapi.json", op("This document", {200: json_response("OpenAPI 3.1", {"type": "object"})},
                                 public=True, tag="system"))

# Tokens
route("post", "/v1/tokens", op("Create an API token (the secret is shown once)",
                               {201: json_response("Created", ref("TokenCreated"), LOCATION)},
                               body_schema=ref("TokenCreate"), tag="tokens"))
route("get", "/v1/tokens", op("List tokens (admin)", {200: json_response("A page", ref("TokenList"))},
                              params=PAGE, problems=[422], tag="tokens"))
route("delete", "/v1/tokens/{id}", op("Revoke a token (admin)", {204: {"description": "Revoked"}}, tag="tokens"))

# Reference data
reference("/v1/structures", "Structure", "structures", what="structure",
          filters=[q("active", boolean())])
reference("/v1/referents", "Referent", "referents", what="referent",
          filters=[q("structure_id", id_()), q("active", boolean())])
reference("/v1/operations", "Operation", "operations", what="operation")
reference("/v1/job-offers", "JobOffer", "job-offers", what="job offer",
          filters=[q("status", code("JobOfferStatus"))])
reference("/v1/committees", "Committee", "committees", what="committee", patch=False,
          filters=[q("kind", code("CommitteeKind")), q("from", date()), q("to", date())],
          show=op("One committee with its agenda and decisions",
                  {200: json_response("The committee's page", ref("CommitteePage"), ETAG)}, tag="committees"))
route("post", "/v1/committees/{id}/decisions", op(
    "Record a committee decision", {201: json_response("Created", ref("DecisionCreated"))},
    body_schema=ref("DecisionCreate"), problems=[409], tag="committees"))

# Participants
P = "/v1/participants/{id}"
route("post", "/v1/participants", op("Create a participant (candidate)",
                                     {201: json_response("Created", ref("Participant"), ETAG | LOCATION)},
                                     body_schema=ref("ParticipantCreate"), problems=[409], tag="participants"))
route("get", "/v1/participants", op("List participants", {200: json_response("A page", ref("ParticipantList"))},
                                    params=PAGE + [q("referent_id", id_()), q("structure_id", id_()),
                                                   q("operation_id", id_()), q("status", code("ParticipantStatus")),
                                                   q("q", string(minLength=1), "Name search (accents and case folded)")],
                                    problems=[422], tag="participants"))
route("get", P, op("One participant", {200: json_response("The participant", ref("Participant"), ETAG)},
                   problems=[410], tag="participants"))
route("patch", P, op("Update a participant (reassigning is for coordinators)",
                     {200: json_response("Updated", ref("Participant"), ETAG)}, params=[IF_MATCH],
                     body_schema=ref("ParticipantUpdate"), problems=[409, 410, 412], tag="participants"))
route("get", "/v1/participants/duplicates", op(
    "Likely duplicate files", {200: json_response("A page of pairs", ref("DuplicatePairList"))},
    params=PAGE, problems=[422], tag="participants"))
route("post", "/v1/participants/duplicates/distinct", op(
    "Confirm that two files are two different people (the pair leaves the duplicates list)",
    {201: json_response("Recorded", ref("DistinctPersons")), 200: json_response("Already recorded", ref("DistinctPersons"))},
    body_schema=ref("DistinctPersonsCreate"), tag="participants"))
route("post", P + "/merge", op("Merge a duplicate file into this one", {200: json_response("Merged", ref("Merge"))},
                               body_schema=ref("MergeCreate"), problems=[409, 410], tag="participants"))
route("post", "/v1/merges/{id}/revert", op("Undo a merge", {200: json_response("Reverted", ref("MergeReverted"))},
                                           problems=[409], tag="participants"))

# Lifecycle
route("post", P + "/candidature", op("Submit to an agrément committee",
                                     {201: json_response("Created", ref("Candidature"))},
                                     body_schema=ref("CandidatureCreate"), problems=[409, 410], tag="lifecycle"))
route("post", P + "/contract", op("Record the signed tripartite contract (entry)",
                                  {201: json_response("Created", ref("Contract"))},
                                  body_schema=ref("ContractCreate"), problems=[409, 410], tag="lifecycle"))
route("post", P + "/exit", op("Propose an exit", {201: json_response("Created", ref("Exit"), ETAG | LOCATION)},
                              body_schema=ref("ExitCreate"), problems=[409, 410], tag="lifecycle"))
route("get", P + "/exits", op("A participant's exits", {200: json_response("A page", ref("ExitList"))},
                              params=PAGE, problems=[410, 422], tag="lifecycle"))
route("get", "/v1/exits/{id}", op("One exit", {200: json_response("The exit", ref("Exit"), ETAG)},
                                  problems=[410], tag="lifecycle"))
route("post", P + "/six-month-result", op("Record the situation six months after the exit",
                                          {200: json_response("Recorded", ref("SixMonthResult"), ETAG)},
                                          body_schema=ref("SixMonthResultCreate"), problems=[409, 410],
                                          tag="lifecycle"))

# Pathway records owned by a participant


def owned(collection, one, name, tag, create_problems=(409, 410), patch=True, list_params=None):
    route("post", P + "/" + collection, op(f"Record a {tag[:-1]}",
                                           {201: json_response("Created", ref(name), ETAG | LOCATION)},
                                           body_schema=ref(name + "Create"), problems=list(create_problems), tag=tag))
    route("get", P + "/" + collection, op(f"A participant's {tag}", {200: json_response("A page", ref(name + "List"))},
                                          params=list_params or PAGE, problems=[410, 422], tag=tag))
    route("get", one + "/{id}", op(f"One {tag[:-1]}", {200: json_response("The resource", ref(name), ETAG)},
                                   problems=[410], tag=tag))
    if patch:
        route("patch", one + "/{id}", op(f"Update a {tag[:-1]}", {200: json_response("Updated", ref(name), ETAG)},
                                         params=[IF_MATCH], body_schema=ref(name + "Update"),
                                         problems=[409, 410, 412], tag=tag))


owned("barriers", "/v1/barriers", "Barrier", "barriers")
owned("steps", "/v1/steps", "Step", "steps")
owned("interviews", "/v1/interviews", "Interview", "interviews", patch=False)
owned("positionings", "/v1/positionings", "Positioning", "positionings")

# Follow-up
route("get", P + "/follow-up", op("The 6-month follow-up with its contacts",
                                  {200: json_response("The follow-up", ref("FollowUp"), ETAG)},
                                  problems=[410], tag="follow-up"))
route("post", P + "/follow-up/contacts", op("Record a follow-up contact",
                                            {201: json_response("Created", ref("FollowUpContact"), LOCATION)},
                                            body_schema=ref("FollowUpContactCreate"), problems=[409, 410],
                                            tag="follow-up"))
route("post", P + "/follow-up/questionnaire", op("Record the end-of-follow-up questionnaire",
                                                 {201: json_response("Recorded", ref("FollowUp"), ETAG | LOCATION)},
                                                 body_schema=ref("QuestionnaireCreate"), problems=[409, 410],
                                                 tag="follow-up"))

# Documents
route("post", P + "/documents", op(
    "Upload an evidence file: the raw bytes as the body, with their own Content-Type",
    {201: json_response("The document's metadata", ref("Document"), ETAG | LOCATION)},
    params=[q("kind", code("DocumentKind"), required=True), q("attests_on", date()),
            q("filename", string(minLength=1, maxLength=255))],
    body_content={"application/octet-stream": {"schema": {"type": "string", "format": "binary", "minLength": 1}},
                  "application/pdf": {"schema": {"type": "string", "format": "binary", "minLength": 1}}},
    problems=[410], tag="documents"))
route("get", P + "/documents", op("A participant's documents", {200: json_response("A page", ref("DocumentList"))},
                                  params=PAGE, problems=[410, 422], tag="documents"))
route("get", "/v1/documents/{id}", op("A document's metadata",
                                      {200: json_response("The metadata", ref("Document"), ETAG)},
                                      problems=[410], tag="documents"))
route("get", "/v1/documents/{id}/content", op(
    "The bytes as uploaded (an attachment, served with the type it was sent with)",
    {200: {"description": "The file", "headers": ETAG,
           "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
    problems=[410], tag="documents"))

# Views of a participant
route("get", P + "/timeline", op("Everything that happened to the participant, oldest first",
                                 {200: json_response("A page of events", ref("TimelineEventList"))},
                                 params=PAGE, problems=[410, 422], tag="participants"))
route("get", P + "/export", op("All data held on the person (GDPR right of access)",
                               {200: json_response("The export", ref("AccessExport"))},
                               problems=[410], tag="participants"))

# Agenda
route("get", "/v1/referents/{id}/agenda", op(
    "The referent's agenda (JSON, or iCalendar with ?format=ics or Accept: text/calendar)",
    {200: {"description": "The agenda", "content": {
        "application/json": {"schema": obj({"items": array(ref("AgendaItem"))})},
        "text/calendar": {"schema": {"type": "string"}}}}},
    params=[q("from", date()), q("to", date()), q("format", string(enum=["json", "ics"]))],
    problems=[422], tag="agenda"))
route("post", "/v1/referents/{id}/agenda", op("Post an agenda entry",
                                              {201: json_response("Created", ref("AgendaEntry"), ETAG | LOCATION)},
                                              body_schema=ref("AgendaEntryCreate"), tag="agenda"))
route("get", "/v1/referents/{id}/agenda/{entry_id}", op("One posted agenda entry",
                                                        {200: json_response("The entry", ref("AgendaEntry"), ETAG)},
                                                        tag="agenda"))

# Reports and exports
route("get", "/v1/exports/fse", op(
    "FSE+ participant export of a period", {200: {"description": "The export", "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                          "format": "binary"}}}}},
    params=[q("from", date(), required=True), q("to", date(), required=True), q("operation_id", id_()),
            q("format", string(enum=["csv", "json", "xlsx"]))], problems=[422], tag="exports"))
route("get", "/v1/exports/attendance", op(
    "A participant's attendance sheet (émargement)",
    {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
    params=[q("participant_id", id_(), required=True)], problems=[404, 410, 422], tag="exports"))
route("get", "/v1/audit", op("The audit trail (admin, auditor)", {200: json_response("A page", ref("AuditEntryList"))},
                             params=PAGE + [q("entity", string()), q("entity_id", string()),
                                            q("participant_id", id_()), q("from", date()), q("to", date())],
                             problems=[422], tag="audit"))
route("post", "/v1/imports/participants", op(
    "Bulk import of participants from a CSV file",
    {200: json_response("The import report", ref("ImportReport"))},
    params=[q("dry_run", boolean()), q("on_existing", string(enum=["skip", "update"])), q("referent_id", id_())],
    body_content={"text/csv": {"schema": {"type": "string"},
                               "example": "nom;prénom;date de naissance;référent\nDupont;Marie;1988-05-17;1\n"}},
    tag="imports"))

# Indicators and alerts (the indicators branch)
route("get", "/v1/indicators", op(
    "The indicators of DOMAIN.md over a period", {200: json_response("Indicators", ref("Indicators"))},
    params=[q("from", date()), q("to", date()), q("referent_id", id_()), q("structure_id", id_()),
            q("operation_id", id_()), q("detail", string())], problems=[422], tag="indicators"))
route("get", "/v1/alerts", op(
    "What needs action now", {200: json_response("Alerts", obj({"items": array(ref("Alert"))}))},
    params=[q("referent_id", id_()), q("kind", code("AlertKind"))], problems=[422], tag="indicators"))


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Parcours",
        "version": "0.1.0",
        "description": "The API of Parcours, the PLIE's pathway server. Generated by scripts/openapi.py.",
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An API token: `pct_` and 64 hex digits."}},
        "schemas": SCHEMAS,
        "parameters": PARAMETERS,
        "responses": RESPONSES,
    },
}


def render():
    return json.dumps(DOCUMENT, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        try:
            with open(OUTPUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print(f"{os.path.relpath(OUTPUT, ROOT)} is stale: run python3 scripts/openapi.py", file=sys.stderr)
            return 1
        return 0
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
