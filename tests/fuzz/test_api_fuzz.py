"""Generated requests from the served OpenAPI document,
sent as every role: never a 5xx, always the schema.

schemathesis turns each operation of `/api/v1/openapi.json` into a hypothesis strategy for valid
and invalid requests. Path ids are swapped, half of the time, for ids of objects that exist
(incidents, responses, steps, checklist items, statements), so the generated requests reach the
services instead of stopping at a 404. The test prints the number of requests it sent.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .world import build_world, isolated_wsgi

pytestmark = pytest.mark.slow

#: hypothesis examples per operation, role and generation mode (positive and negative)
EXAMPLES = int(os.environ.get("CRISISDESK_FUZZ_EXAMPLES", "16"))
ROLES = ["oncall", "legal", "management", "admin", "anonymous"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


def _known(world, name: str):
    """The ids of existing objects a path parameter
    can name, or None for parameters left to chance.
    """
    return {
        "incident_id": world.incident_ids,
        "response_id": world.response_ids,
        "step_id": world.step_ids,
        "item_id": world.item_keys,
        "slug": world.slugs,
        "role": world.incident_roles,
    }.get(name)


def _run_operation(operation, mode: GenerationMode, headers: dict, world, sent: list[int]) -> None:
    strategy = operation.as_strategy(generation_mode=mode)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def check(case, data):
        # Whole containers are reassigned (not edited in place) so schemathesis re-validates them
        # and does not expect a rejection for a part that is no longer invalid.
        path = dict(case.path_parameters or {})
        for name in path:
            known = _known(world, name)
            if known and data.draw(st.booleans(), label=f"known {name}"):
                path[name] = data.draw(st.sampled_from(known), label=name)
        case.path_parameters = path
        if headers:
            case.headers = {**(case.headers or {}), **headers}
        response = case.call()
        sent.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_survives_generated_requests(app, role, capsys):
    world = build_world(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated_wsgi(app))
    headers = world.headers[role]
    sent: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run_operation(operation, mode, headers, world, sent)
    server_errors = [status for status in sent if status >= 500]
    with capsys.disabled():
        print(
            f"\n  API fuzz as {role}: {len(sent)} requests, "
            f"{sum(200 <= s < 300 for s in sent)} accepted, {len(server_errors)} server errors"
        )
    assert not server_errors
    assert len(sent) >= 32 * EXAMPLES  # every operation was reached, not skipped
