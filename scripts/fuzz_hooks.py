"""Schemathesis hooks for scripts/fuzz.sh (loaded through SCHEMATHESIS_HOOKS=fuzz_hooks).

Idempotency keys are scoped to the token, and a key sent again with a different request is
refused (422 idempotency-key-reused). Schemathesis draws header values from a small space and
sends the same keys ("0", "00"...) to every operation, so without this hook almost every POST
stops at that refusal and never reaches its handler. A well-formed key is made unique per
request; a malformed one (empty, too long) is left as generated, so its 422 is still checked.
"""
import uuid

import schemathesis

HEADER = "Idempotency-Key"


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = case.headers
    if not headers:
        return
    for name in list(headers):
        if name.lower() == HEADER.lower():
            value = headers[name]
            if isinstance(value, str) and 1 <= len(value.encode("utf-8")) <= 255:
                headers[name] = "fuzz-" + uuid.uuid4().hex
