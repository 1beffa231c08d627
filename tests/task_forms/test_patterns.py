"""Regex patterns of form files (app/patterns.py): refused at save and deploy when a repeated group
repeats inside, refused everywhere when RE2 cannot run them, and matched in linear time by RE2
at validation, so even a pattern stored before these checks cannot hang a submission."""
import json
import threading

import pytest
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.errors import DeployRefused
from app.task_forms.store import form_problem, load_form, save_form
from app.task_forms.schema import FormError, parse_submission
from app.task_forms.models import FormVersion
from app.task_forms.patterns import nested_repetition, pattern_problem
from tests.support import flow
from tests.support.cli import pqrsf

CATASTROPHIC = '^(a+)+$'
NESTED = 'repite un grupo que ya se repite por dentro'


def _form(pattern, key='comment'):
    return {'id': 'review', 'components': [
        {'key': 'approved', 'label': '¿Aprobado?', 'type': 'checkbox'},
        {'key': key, 'label': 'Comentario', 'type': 'textfield', 'validate': {'pattern': pattern}}]}


def _store_unchecked(definition):
    """A stored version written straight to the table, as one saved before the check existed."""
    flow.db.session.add(FormVersion(key='review', version=1, definition=definition, saved_by='antes',
                                    saved_at=clock.now()))
    flow.db.session.commit()


@pytest.mark.parametrize('pattern', [
    CATASTROPHIC, r'(\w*)*', r'(x{1,9}){2,}', r'(?:a|ab)(c+)*', r'(?P<n>\d+)+', r'((a+)b)+', r'(a+?){3}',
])
def test_a_repeated_group_that_repeats_inside_is_found(pattern):
    assert nested_repetition(pattern)


@pytest.mark.parametrize('pattern', [
    r'^[0-9A-Za-z.\-]{4,20}$', r'^[0-9+ ()\-]{7,20}$', r'(\d{3}-)+\d{4}', r'(?:ab)+', r'(a+)?',
    r'[(+*]+', r'\(a+\)+', r'(?i)(ab)+', r'[[:alpha:]+]+x*', r'a{2,}b+',
])
def test_ordinary_patterns_pass(pattern):
    assert not nested_repetition(pattern) and pattern_problem(pattern, strict=True) is None


@pytest.mark.parametrize('pattern', [r'(a)\1', r'(?=a)b', r'(?<!a)b', r'[unclosed'])
def test_what_re2_cannot_run_is_refused_even_outside_a_save(pattern):
    assert 'el patrón no es válido' in pattern_problem(pattern)


def test_saving_refuses_a_catastrophic_pattern_naming_the_field(app):
    with pytest.raises(FormError) as refused:
        save_form('review', json.dumps(_form(CATASTROPHIC, key='reference_code')), 'dueno')
    assert "componente 2 (reference_code)" in str(refused.value) and NESTED in str(refused.value)
    assert flow.read(lambda s: s.scalars(select(FormVersion)).all()) == []


def test_deploy_refuses_a_diagram_whose_form_has_one(app):
    _store_unchecked(_form(CATASTROPHIC))
    assert NESTED in form_problem('review')
    with pytest.raises(DeployRefused) as refused:
        flow.deploy('loop.bpmn')
    assert any('(comment)' in p.message and NESTED in p.message for p in refused.value.problems)


def test_validation_of_a_pattern_stored_earlier_is_bounded(app):
    _store_unchecked(_form(CATASTROPHIC))
    definition = load_form('review')  # the runtime still serves it; RE2 runs its pattern
    value = 'a' * 50_000 + '!'  # a backtracking engine would try about 2**50000 ways
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(result=parse_submission(definition, {'comment': value})),
                              daemon=True)
    worker.start()
    worker.join(120)  # a guard against a hang, not a measurement
    assert outcome['result'][1] == {'comment': ['El formato no es válido.']}
    assert parse_submission(definition, {'comment': 'aaa'})[1] == {}


def test_pqrsf_validate_names_the_field_of_a_form_file(app, tmp_path):
    (tmp_path / 'review.json').write_text(json.dumps(_form('^([a-z]+)*$', key='code')), encoding='utf-8')
    result = pqrsf('validate', 'tests/diagrams/one_review.bpmn', env={'PQRSF_FORMS_DIRS': str(tmp_path)})
    assert result.returncode == 1
    assert "step: El formulario 'review', componente 2 (code): el patrón repite" in result.stdout + result.stderr
