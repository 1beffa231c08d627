"""schemathesis against the app's own OpenAPI document, in process (WSGI): for every operation,
valid and invalid requests generated from the document, as a staff user and as an admin, with
random and with real path parameters (a real case and task). Bounded and seeded: a fixed
number of examples per operation, a fixed seed, no example database.

Every response must be no server error, carry a documented status code and content type, and
match the documented schema (body and headers)."""
import os

import pytest
import schemathesis
from flask.globals import _cv_app
from hypothesis import HealthCheck, Phase, given, seed, settings
from sqlalchemy import select
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)


from app.accounts.login import issue_token
from app.engine.models import HumanTask
from app.accounts.models import User
from tests.support import flow
from tests.support.pqrsf import register


EXAMPLES = int(os.environ.get('FUZZ_EXAMPLES', '20'))  # more for a deeper run by hand
SEED = int(os.environ.get('FUZZ_SEED', '14'))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
USERS = ('lider', 'admin')


def _operations(app):
    schema = schemathesis.openapi.from_wsgi('/api/openapi.json', app)
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation, strategy, headers, failures, seen):
    @seed(SEED)
    @settings(max_examples=EXAMPLES, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=strategy)
    def check(case):
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            seen.setdefault(operation.label, set()).add(response.status_code)
        except (AssertionError, BaseExceptionGroup) as failure:  # every failure, not only the first
            failures.append(f'{operation.label}: {str(failure)[:1500]}')
    check()


def _real_parameters(operation, radicado, task_id):
    names = {p.name for p in operation.path_parameters}
    known = {'radicado': radicado, 'task_id': task_id}
    return {name: known[name] for name in names if name in known} if names else None


@pytest.mark.parametrize('user', USERS)
def test_generated_requests_get_documented_answers(app, api, user):  # noqa: F811
    case_id, radicado = register(app)
    task_id = flow.read(lambda s: s.scalar(select(HumanTask.id).where(HumanTask.case_id == case_id)))
    account = flow.read(lambda s: s.scalar(select(User).where(User.username == user)))
    headers = {'Authorization': f'Bearer {issue_token(flow.db.session.merge(account))}'}  # Basic hashes slowly
    operations = _operations(app)
    assert len(operations) >= 11
    app.config['PROPAGATE_EXCEPTIONS'] = False  # a server error is an answer to check, as in production
    outer = _cv_app.get(None)
    outer.pop()
    failures, seen = [], {}
    try:
        for operation in operations:
            real = _real_parameters(operation, radicado, task_id)
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                _run(operation, operation.as_strategy(generation_mode=mode), headers, failures, seen)
                if real:
                    _run(operation, operation.as_strategy(generation_mode=mode, path_parameters=real),
                         headers, failures, seen)
    finally:
        outer.push()
    assert not failures, '\n\n'.join(failures[:15])
    # the run went past authentication everywhere and reached real resources
    assert all(codes - {401} for codes in seen.values()), seen
    assert 200 in seen['GET /api/tasks'] and 200 in seen['GET /api/cases/{radicado}'], seen
    print(user, {label: sorted(codes) for label, codes in sorted(seen.items())})
