"""Versions: stored by content hash, numbered per process id; cases stay on the version (and
the called versions) they started with; a broken set deploys nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.engine.errors import DeployRefused
from app.engine.models import Case, HumanTask, Job, ProcessVersion
from tests.support import flow


def _edited_copy(tmp_path, name, old, new):
    text = (flow.DIAGRAMS / name).read_text(encoding='utf-8')
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding='utf-8')
    return path


def _deploy_paths(*paths):
    from app.processes.deploy import deploy_paths
    return deploy_paths(paths, 'dueño')


def _versions(process_id):
    return flow.read(lambda s: s.scalars(select(ProcessVersion.version).where(
        ProcessVersion.process_id == process_id).order_by(ProcessVersion.version)).all())


def test_same_content_is_not_deployed_twice(app):
    first = flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    again = flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    assert [r.created for r in first] == [True, True]
    assert [r.created for r in again] == [False, False]
    assert _versions('engine_tour') == [1]


def test_running_cases_keep_their_version_new_cases_take_the_newest(app, tmp_path):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    old_case = flow.start('engine_tour', {'deadline_days': 3})
    edited = _edited_copy(tmp_path, 'engine_tour.bpmn', 'PT2H', 'PT3H')
    sub_edited = _edited_copy(tmp_path, 'engine_tour_sub.bpmn', 'Tarea del subproceso', 'Tarea revisada')
    results = _deploy_paths(edited, sub_edited)
    assert [(r.process_id, r.version) for r in results] == [('engine_tour', 2), ('engine_tour_sub', 2)]
    new_case = flow.start('engine_tour', {'deadline_days': 3})

    def version_of(case_id):
        return flow.read(lambda s: s.get(ProcessVersion, s.get(Case, case_id).version_id).version)
    assert (version_of(old_case), version_of(new_case)) == (1, 2)

    for case_id in (old_case, new_case):
        flow.complete(case_id, 'review', {'approved': True, 'comment': 'ok'})
    flow.work(app)
    for case_id, hours in ((old_case, 2), (new_case, 3)):
        due, created = flow.read(lambda s: s.execute(select(Job.due_at, Job.created_at).where(
            Job.case_id == case_id, Job.element_id == 'cooldown')).one())
        assert abs((due - created) - timedelta(hours=hours)) < timedelta(seconds=5)
    flow.advance(app, timedelta(hours=3, seconds=5))
    names = {case_id: flow.read(lambda s: s.scalars(select(HumanTask.name).where(
        HumanTask.case_id == case_id, HumanTask.element_id == 'sub_task')).one())
        for case_id in (old_case, new_case)}
    assert names == {old_case: 'Tarea del subproceso', new_case: 'Tarea revisada'}


def test_a_broken_file_in_the_set_deploys_nothing(app):
    with pytest.raises(DeployRefused) as refused:
        flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn', 'broken/unknown_topic.bpmn')
    assert any('no.such.topic' in p.message for p in refused.value.problems)
    assert flow.read(lambda s: s.scalar(select(func.count()).select_from(ProcessVersion))) == 0


def test_a_parent_can_call_a_process_deployed_earlier(app):
    flow.deploy('engine_tour_sub.bpmn')
    flow.deploy('engine_tour.bpmn')
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    called = flow.read(lambda s: s.get(Case, case_id).called_versions)
    sub_version = flow.read(lambda s: s.scalars(select(ProcessVersion.id).where(
        ProcessVersion.process_id == 'engine_tour_sub')).one())
    assert called == {'engine_tour_sub': sub_version}
