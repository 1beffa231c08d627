"""Business-rule tasks evaluate DMN decision tables (in the sandbox), and tables are deployed
and versioned beside the diagrams: a process version keeps the table versions it was stored
with, so a new table changes new cases only."""
import hashlib
import os

import pytest
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.errors import StepFailed
from app.engine.models import Case, DecisionVersion, Incident, ProcessVersion
from app.platform.extensions import db
from tests.support import flow

DMN = flow.DIAGRAMS / 'dmn'
PRIORITY = (DMN / 'priority.dmn').read_text(encoding='utf-8')


def _deploy_triage():
    return flow.deploy('dmn/triage.bpmn', 'dmn/priority.dmn')


@pytest.mark.parametrize('data, branch', [
    ({'kind': 'queja', 'days': 1}, 'urgent_review'),      # "queja","reclamo" and < 3
    ({'kind': 'reclamo', 'days': 2}, 'urgent_review'),
    ({'kind': 'peticion', 'days': 5}, 'normal_review'),   # not("felicitacion") and [3..10]
    ({'kind': 'felicitacion', 'days': 5}, 'normal_review'),  # the catch-all row
    ({'kind': 'queja', 'days': 12}, 'normal_review'),
])
def test_the_decision_picks_the_branch_and_the_case_runs_to_the_end(app, data, branch):
    _deploy_triage()
    case_id = flow.start('triage', data)
    assert flow.open_tasks(case_id) == [branch]
    flow.complete(case_id, branch, {'approved': True, 'comment': 'ok'})
    assert flow.case_state(case_id) == 'completed'
    assert any(element == 'decide_priority' for _, element in flow.history(case_id))


def test_the_outputs_land_in_the_case_data_under_their_column_names(app):
    _deploy_triage()
    case_id = flow.start('triage', {'kind': 'peticion', 'days': 4})
    workflow = flow.read(lambda s: flow.engine()._restore(s.get(Case, case_id)))
    [waiting] = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == 'normal_review']
    assert (waiting.data['priority'], waiting.data['term']) == ('media', 10)


def test_a_table_is_stored_once_by_content_and_pins_the_process_version(app):
    first = _deploy_triage()
    kinds = sorted((r.kind, r.process_id, r.version, r.created) for r in first)
    assert kinds == [('decision', 'priority', 1, True), ('process', 'triage', 1, True)]
    again = _deploy_triage()
    assert all(not r.created for r in again)
    version = flow.read(lambda s: s.scalars(select(ProcessVersion)).one())
    table = flow.read(lambda s: s.scalars(select(DecisionVersion)).one())
    assert version.decision_versions == {'priority': table.id}


def test_a_diagram_deployed_after_its_table_uses_the_deployed_table(app):
    flow.deploy('dmn/priority.dmn')
    flow.deploy('dmn/triage.bpmn')
    case_id = flow.start('triage', {'kind': 'queja', 'days': 1})
    assert flow.open_tasks(case_id) == ['urgent_review']


def test_a_new_table_version_changes_new_cases_and_keeps_running_ones(app, tmp_path):
    _deploy_triage()
    old_case = flow.start('triage', {'kind': 'peticion', 'days': 5})
    assert flow.open_tasks(old_case) == ['normal_review']

    # the owner makes "media" urgent: the table alone is deployed
    changed = tmp_path / 'priority.dmn'
    changed.write_text(PRIORITY.replace('<text>"media"</text>', '<text>"alta"</text>'), encoding='utf-8')
    from app.processes.deploy import deploy_paths
    results = deploy_paths([changed], 'owner')
    assert sorted((r.kind, r.process_id, r.version) for r in results if r.created) == [
        ('decision', 'priority', 2), ('process', 'triage', 2)]
    versions = flow.read(lambda s: {v.version: v for v in s.scalars(select(ProcessVersion))})
    assert versions[1].bpmn_xml == versions[2].bpmn_xml
    assert versions[1].decision_versions != versions[2].decision_versions

    new_case = flow.start('triage', {'kind': 'peticion', 'days': 5})
    assert flow.open_tasks(new_case) == ['urgent_review']
    pinned = flow.read(lambda s: s.get(Case, old_case).version_id)
    assert pinned == versions[1].id  # the running case keeps version 1 and its table


def _store_unchecked_table(file_name):
    text = (DMN / file_name).read_text(encoding='utf-8')
    table = DecisionVersion(decision_id='hostile_table', version=1, name='hostil', file_name=file_name,
                            content_hash=hashlib.sha256(text.encode()).hexdigest(), dmn_xml=text,
                            deployed_at=clock.now(), deployed_by='test')
    db.session.add(table)
    db.session.commit()
    flow.store_unchecked('hostile_rule', 'hostile_rule.bpmn',
                         (DMN / 'hostile_rule.bpmn').read_text(encoding='utf-8'))
    version = db.session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == 'hostile_rule')).one()
    version.decision_versions = {'hostile_table': table.id}
    db.session.commit()


@pytest.mark.parametrize('file_name, construct', [
    ('hostile_output.dmn', '__class__'), ('hostile_input.dmn', '__import__'),
    ('hostile_cell.dmn', '__import__')])
def test_a_stored_hostile_table_fails_safely_at_run_time_as_an_incident(app, file_name, construct):
    marker = '/tmp/pqrsf_dmn_pwned'
    if os.path.exists(marker):
        os.remove(marker)
    _store_unchecked_table(file_name)
    case_id = flow.start('hostile_rule')
    with pytest.raises(StepFailed):
        flow.complete(case_id, 'hostile_rule_review', {'approved': True, 'comment': 'x'})
    incidents = flow.read(lambda s: [(i.element_id, i.message) for i in s.scalars(
        select(Incident).where(Incident.case_id == case_id))])
    assert len(incidents) == 1 and incidents[0][0] == 'evil_rule', incidents
    assert construct in incidents[0][1] and 'no está permitid' in incidents[0][1]
    assert flow.open_tasks(case_id) == ['hostile_rule_review']
    assert not os.path.exists(marker)
