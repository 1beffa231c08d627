"""Moving running cases to a new version: allowed when nothing the case did or waits in changed."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.engine.errors import Conflict
from app.engine.models import Case, Job, ProcessVersion
from app.engine.versions import diff_summary, migrate_case
from app.processes.deploy import deploy_paths
from tests.support import flow


def _edited(tmp_path, old, new, name='engine_tour.bpmn'):
    text = (flow.DIAGRAMS / name).read_text(encoding='utf-8')
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding='utf-8')
    return path


def _migrate(case_id, version):
    engine = flow.engine()
    target = flow.read(lambda s: s.scalars(select(ProcessVersion.id).where(
        ProcessVersion.process_id == 'engine_tour', ProcessVersion.version == version)).one())
    return migrate_case(flow.db.session, engine.specs, engine.script_engine, case_id, target, 'dueño')


def test_diff_summary_names_added_removed_and_changed_elements():
    old = (flow.DIAGRAMS / 'engine_tour.bpmn').read_text(encoding='utf-8')
    new = old.replace('PT2H', 'PT3H').replace('name="Terminado"', 'name="Listo"')
    assert diff_summary(old, new, 'engine_tour') == {'added': [], 'removed': [], 'changed': ['cooldown', 'done']}
    added = diff_summary(None, old, 'engine_tour')['added']
    assert {'review', 'cooldown', 'f_approved', 'Lane_lider'} <= set(added) and 'cool_timer' not in added


def test_safe_migration_moves_the_case_and_is_on_its_history(app, tmp_path):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    deploy_paths([_edited(tmp_path, 'PT2H', 'PT3H')], 'dueño')
    _migrate(case_id, 2)
    assert flow.read(lambda s: s.get(ProcessVersion, s.get(Case, case_id).version_id).version) == 2
    assert ('case_migrated', None) in flow.history(case_id)
    flow.complete(case_id, 'review', {'approved': True, 'comment': 'ok'})
    flow.work(app)
    due, created = flow.read(lambda s: s.execute(select(Job.due_at, Job.created_at).where(
        Job.case_id == case_id, Job.element_id == 'cooldown')).one())
    assert abs((due - created) - timedelta(hours=3)) < timedelta(seconds=5)  # the new rule


def test_unsafe_migration_is_refused_with_the_reason(app, tmp_path):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    before = flow.read(lambda s: (s.get(Case, case_id).version_id, s.get(Case, case_id).workflow))
    deploy_paths([_edited(tmp_path, 'camunda:candidateGroups="lider">', 'camunda:candidateGroups="gerente">')], 'dueño')
    with pytest.raises(Conflict) as refused:
        _migrate(case_id, 2)
    assert 'review' in refused.value.message
    assert flow.read(lambda s: (s.get(Case, case_id).version_id, s.get(Case, case_id).workflow)) == before
    assert ('case_migrated', None) not in flow.history(case_id)


def test_diff_summary_ignores_reindentation_and_namespace_declarations():
    old = (flow.DIAGRAMS / 'engine_tour.bpmn').read_text(encoding='utf-8')
    new = old.replace('\n    ', '\n        ').replace(
        'xmlns:camunda=', 'xmlns:modeler="http://camunda.org/schema/modeler/1.0" xmlns:camunda=')
    assert diff_summary(old, new, 'engine_tour') == {'added': [], 'removed': [], 'changed': []}


def test_a_change_of_declared_properties_alone_does_not_block_a_migration(app, tmp_path):
    """An owner who adds a public message or a milestone to a step a case already took can still
    move the case: the properties change what later events say, not what the step did."""
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    flow.complete(case_id, 'review', {'approved': True, 'comment': 'ok'})
    properties = ('<bpmn:extensionElements><camunda:properties>'
                  '<camunda:property name="public_message" value="Revisamos su caso." />'
                  '</camunda:properties></bpmn:extensionElements>')
    deploy_paths([_edited(tmp_path, '<bpmn:incoming>f_start_review</bpmn:incoming>',
                          properties + '<bpmn:incoming>f_start_review</bpmn:incoming>')], 'dueño')
    _migrate(case_id, 2)
    assert flow.read(lambda s: s.get(ProcessVersion, s.get(Case, case_id).version_id).version) == 2
    assert ('case_migrated', None) in flow.history(case_id)
