#!/usr/bin/env python3
"""Seeds a fresh Parcours server through its API for scripts/fuzz.sh (standard library only).

    python3 scripts/fuzz_seed.py URL ADMIN_TOKEN   # prints the admin token the fuzzer uses

Creates one of each resource so that path ids like 1 exist, in an order that takes a
participant through the lifecycle (candidature, admission, contract, steps, interviews...).
The fuzzer gets an admin token of its own with a high id: DELETE /v1/tokens/{id} with small ids
must not revoke the token the run depends on.
"""
import datetime
import json
import sys
import urllib.error
import urllib.request

URL, ADMIN = sys.argv[1], sys.argv[2]
TODAY = datetime.date.today()


def call(method, path, body=None, raw=None, content_type=None, token=ADMIN, expect=(200, 201, 204)):
    data, headers = None, {"Authorization": "Bearer " + token}
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if raw is not None:
        data, headers["Content-Type"] = raw, content_type
    request = urllib.request.Request(URL + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status not in expect:
        raise SystemExit(f"seed: {method} {path} -> {status}: {text}")
    if status >= 400:
        print(f"seed: {method} {path} -> {status} (tolerated): {text}", file=sys.stderr)
    return json.loads(text) if text and text.lstrip().startswith("{") else {}


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


structure = call("POST", "/v1/structures", {"name": "Mission locale Est", "city": "Lille", "postal_code": "59000"})["id"]
referent = call("POST", "/v1/referents", {"structure_id": structure, "first_name": "Claire", "last_name": "Martin",
                                          "email": "claire.martin@example.org", "fte": 1})["id"]
operation = call("POST", "/v1/operations", {"name": "Accompagnement renforcé", "code": "OP-1",
                                            "min_interviews_per_month": 2})["id"]
offer = call("POST", "/v1/job-offers", {"title": "Agent de propreté", "employer": "Net Plus", "location": "Lille"})["id"]
agrement = call("POST", "/v1/committees", {"kind": "agrement", "date": day(-60)})["id"]
suivi = call("POST", "/v1/committees", {"kind": "suivi", "date": day(-1)})["id"]

participant = call("POST", "/v1/participants", {
    "first_name": "Élodie", "last_name": "Vandenberghe", "birth_date": "1990-04-12", "gender": "woman",
    "referent_id": referent, "operation_id": operation, "prescriber": "france_travail",
    "eligibility": ["brsa"], "phone": "06 12 34 56 78", "email": "elodie@example.org"})["id"]
call("POST", f"/v1/participants/{participant}/candidature", {"committee_id": agrement})
call("POST", f"/v1/committees/{agrement}/decisions",
     {"participant_id": participant, "subject": "admission", "outcome": "approved", "date": day(-60)})
call("POST", f"/v1/participants/{participant}/contract", {"signed_on": day(-50)})
call("POST", f"/v1/participants/{participant}/barriers", {"kind": "mobility", "detail": "Pas de permis"})
call("POST", f"/v1/participants/{participant}/steps", {"type": "diagnosis", "planned_start": day(-45)})
call("POST", f"/v1/participants/{participant}/interviews",
     {"date": day(-40), "kind": "individual", "duration_minutes": 45, "summary": "Premier entretien."})
call("POST", f"/v1/participants/{participant}/positionings", {"job_offer_id": offer, "proposed_on": day(-30)})
call("POST", f"/v1/participants/{participant}/documents?kind=employment_contract&attests_on={day(-20)}",
     raw=b"%PDF-1.4 fuzz seed\n", content_type="application/pdf")
call("POST", f"/v1/referents/{referent}/agenda",
     {"starts_at": day(2) + "T09:30:00+01:00", "title": "Réunion d'équipe", "kind": "internal_meeting"})

# A second participant with a past: entered long ago, an employment step whose follow-up has
# ended (six months and a day after its start, about day -216), an exit after it validated by a
# comité de suivi more than six months ago.
suivi_then = call("POST", "/v1/committees", {"kind": "suivi", "date": day(-200)})["id"]
agrement_then = call("POST", "/v1/committees", {"kind": "agrement", "date": day(-420)})["id"]
second = call("POST", "/v1/participants", {"first_name": "Karim", "last_name": "Benali", "birth_date": "1985-09-30",
                                           "referent_id": referent})["id"]
call("POST", f"/v1/participants/{second}/candidature", {"committee_id": agrement_then})
call("POST", f"/v1/committees/{agrement_then}/decisions",
     {"participant_id": second, "subject": "admission", "outcome": "approved", "date": day(-420)})
call("POST", f"/v1/participants/{second}/contract", {"signed_on": day(-410)})
call("POST", f"/v1/participants/{second}/interviews",
     {"date": day(-400), "kind": "phone", "duration_minutes": 20, "summary": "Point d'étape."})
call("POST", f"/v1/participants/{second}/steps",
     {"type": "employment", "status": "ongoing", "actual_start": day(-400), "operator": "Net Plus"})
call("POST", f"/v1/participants/{second}/follow-up/contacts",
     {"date": day(-380), "with": "participant", "summary": "Tout va bien."})
doc = call("POST", f"/v1/participants/{second}/documents?kind=employment_contract&attests_on={day(-210)}",
           raw=b"%PDF-1.4 contract\n", content_type="application/pdf")["id"]
certificate = call("POST", f"/v1/participants/{second}/documents?kind=exit_certificate&attests_on={day(-210)}",
                   raw=b"%PDF-1.4 certificate\n", content_type="application/pdf")["id"]
call("POST", f"/v1/participants/{second}/exit",
     {"type": "cdi", "date": day(-210), "situation": "in_employment", "document_ids": [doc, certificate]})
call("POST", f"/v1/committees/{suivi_then}/decisions",
     {"participant_id": second, "subject": "exit", "outcome": "approved", "date": day(-200)})

# Tokens: the fuzzer's own admin token comes after a run of throwaway ones, at an id that
# generated path parameters rarely hit (hypothesis likes 0, 1, 42...).
for i in range(150):
    call("POST", "/v1/tokens", {"role": "auditor", "name": f"throwaway {i}"})
fuzzer = call("POST", "/v1/tokens", {"role": "admin", "name": "fuzzer"})
print(f"seed: structure {structure}, referent {referent}, participants {participant} and {second}, "
      f"fuzzer token id {fuzzer['id']}", file=sys.stderr)
print(fuzzer["secret"])
