"""What changed in a step, written beside the workflow: events, human tasks, jobs.

Before a step the engine takes a `snapshot` (task id -> state); after it, `Projector.apply`
walks the tasks once, turns every state change of a BPMN element into an event row, opens and
closes human-task rows, queues service calls and reconciles the timer rows with the timers the
workflow is now waiting on. It returns the jobs to hand to the queue once the step commits.
"""
import json
from uuid import UUID
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from SpiffWorkflow.bpmn.specs.defaults import EventBasedGateway
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (CycleTimerEventDefinition,
                                                            TimerEventDefinition)
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

from . import business_timers, task_settings
from .business_days import to_datetime
from .expressions import normalize
from .facts import due_variable, facts_of_event, other_names, task_names
from .models import HumanTask, HumanTaskGroup, HumanTaskUser, Job
from .parser import Parameter
from .task_dates import ATTRIBUTES, task_moment

REACHED = TaskState.READY | TaskState.STARTED | TaskState.WAITING
# the case variable copied to each human task as its due date when its diagram declares none
# (`due_date_variable`, see facts.py); a deployment may set one (PQRSF_TASK_DUE_VARIABLE)
TASK_DUE_VARIABLE = None


def iter_tasks(workflow):
    yield from workflow.tasks.values()
    for sub in workflow.subprocesses.values():
        yield from sub.tasks.values()


def snapshot(workflow) -> dict:
    return {t.id: t.state for t in iter_tasks(workflow)}


def is_element(spec) -> bool:
    return getattr(spec, 'bpmn_id', None) is not None


def event_definition_of(spec):
    """What an event catches. After an event-based gateway SpiffWorkflow moves the definitions
    to the gateway (the events themselves get a None definition), so look there."""
    definition = getattr(spec, 'event_definition', None)
    if isinstance(definition, NoneEventDefinition):
        for source in spec.inputs:
            if isinstance(source, EventBasedGateway):
                return source.event_definition.event_definitions[source.outputs.index(spec)]
    return definition


def awaited_messages(workflow) -> set[str]:
    """The names of the BPMN messages the workflow waits for now (alone or at an event-based
    gateway): what a client's page may offer to send."""
    names = set()
    for task in iter_tasks(workflow):
        if task.state != TaskState.WAITING:
            continue
        definition = getattr(task.task_spec, 'event_definition', None)
        candidates = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
        names.update(d.name for d in candidates if isinstance(d, MessageEventDefinition))
    return names


def timer_of(spec):
    """The timer a waiting task waits on: its own, or one of an event-based gateway's."""
    definition = getattr(spec, 'event_definition', None)
    if isinstance(definition, MultipleEventDefinition):
        return next((d for d in definition.event_definitions
                     if isinstance(d, TimerEventDefinition)), None)
    return definition if isinstance(definition, TimerEventDefinition) else None


def element_type(spec) -> str:
    definition = event_definition_of(spec)
    if isinstance(definition, TimerEventDefinition):
        return 'TimerEvent'
    if isinstance(definition, MessageEventDefinition):
        return 'MessageEvent'
    return spec.__class__.__name__


def timer_due(task) -> datetime | None:
    """Exact fire time of a waiting timer, from the value SpiffWorkflow stored on reaching it."""
    value = task._get_internal_data('event_value')
    if value is None:
        return None
    if isinstance(timer_of(task.task_spec), CycleTimerEventDefinition):
        return datetime.fromisoformat(value['next']) if value.get('cycles') != 0 else None
    due = TimerEventDefinition.parse_time_or_duration(value)
    return due if isinstance(due, datetime) else None


def fired_rounds(task, previous_due: datetime) -> int:
    """How many rounds a waiting cycle timer ran since its next fire time was `previous_due`."""
    if not isinstance(timer_of(task.task_spec), CycleTimerEventDefinition):
        return 0
    value = task._get_internal_data('event_value') or {}
    if value.get('business_days'):
        return business_timers.fired_rounds(task, value, previous_due)
    if not value.get('duration'):
        return 0
    moved = (datetime.fromisoformat(value['next']) - previous_due).total_seconds()
    return max(0, round(moved / value['duration']))


def element_parent_id(task) -> str | None:
    """The nearest ancestor that is a BPMN element (skipping SpiffWorkflow's internal tasks such
    as boundary-event splits): with it the history says which element led to which."""
    parent = task.parent
    while parent is not None and not is_element(parent.task_spec):
        parent = parent.parent
    return str(parent.id) if parent is not None else None


def find_task(workflow, task_id):
    """The workflow's task with id `task_id` (text or UUID), or None."""
    try:
        return workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        return None


def json_safe(value):
    return json.loads(json.dumps(value, default=str))


def evaluate_parameter(param, evaluate):
    """Camunda input/output parameter: `${expr}` is evaluated, anything else is a literal."""
    def one(text):
        text = text or ''
        return evaluate(normalize(text)) if text.strip().startswith(('${', '#{')) else text
    if param.kind == 'map':
        return {key: one(text) for key, text in param.value.items()}
    if param.kind == 'list':
        return [one(text) for text in param.value]
    return one(param.value)


class OpenTasks:
    """The case's open human-task rows, read only when a step closes one. The row of a task
    being completed is looked up by its id: the request completing it has just read it, so the
    session already holds it and no query is made. Other closings (cancellations) read all."""

    def __init__(self, session, case_id):
        self.session, self.case_id, self._all = session, case_id, None

    def completed(self, tid):
        row = self.session.get(HumanTask, tid)
        return row if row is not None and row.state == 'open' else None

    def get(self, tid):
        if self._all is None:
            self._all = {h.id: h for h in self.session.scalars(select(HumanTask).where(
                HumanTask.case_id == self.case_id, HumanTask.state == 'open'))}
        return self._all.get(tid)


@dataclass
class StepNote:
    """What the caller knows about the step that the task tree does not say."""
    actor: str
    completed_task_id: object = None
    changes: dict | None = None
    service_result: dict | None = None
    message: dict | None = None  # what a delivered message carried: kept on its event (the history)
    extra_events: list = field(default_factory=list)


class Projector:
    def __init__(self, session, case, now, due_variable=TASK_DUE_VARIABLE, may_hold=None):
        self.session = session
        self.due_variable = due_variable
        self.may_hold = may_hold  # (username, groups) -> bool, from the app; None: any name
        self.case = case
        self.now = now
        self.dispatch = []
        self.events = []  # rows for audit.append, in the order they happened
        self.opened = []  # the human-task rows this step opened
        self.closed = []  # ids of the human tasks this step completed or cancelled

    def event(self, kind, actor, task=None, spec=None, process_id=None, data=None):
        spec = spec if spec is not None else (task.task_spec if task is not None else None)
        facts = {'milestone': None, 'public_message': None, **facts_of_event(kind, spec)}
        self.events.append(dict(**facts,
            case_id=self.case.id, at=self.now, actor=actor, kind=kind,
            process_id=process_id or (task.workflow.spec.name if task is not None else None),
            element_id=getattr(spec, 'bpmn_id', None),
            element_type=element_type(spec) if spec is not None else None,
            element_name=getattr(spec, 'bpmn_name', None), element_names=other_names(spec),
            task_id=str(task.id) if task is not None else None,
            parent_task_id=element_parent_id(task) if task is not None else None,
            data=json_safe(data) if data is not None else None))

    def apply(self, workflow, before: dict, note: StepNote) -> list:
        jobs = {(j.kind, j.task_id): j for j in self.session.scalars(
            select(Job).where(Job.case_id == self.case.id, Job.state == 'pending'))}
        open_tasks = OpenTasks(self.session, self.case.id)
        waiting_timers, present, changed = {}, set(), []

        for event in note.extra_events:
            self.event(actor=note.actor, **event)
        for task in iter_tasks(workflow):
            present.add(task.id)
            spec = task.task_spec
            if not is_element(spec):
                continue
            if task.state == TaskState.WAITING and timer_of(spec) is not None:
                waiting_timers[str(task.id)] = task
            old = before.get(task.id)
            if old != task.state:
                changed.append((task, old))
        # in the order things happened, whichever (sub)workflow they belong to
        for task, old in sorted(changed, key=lambda pair: pair[0].last_state_change):
            self._transition(task, old, note, jobs, open_tasks)

        for task_id, old in before.items():
            if task_id not in present and old & REACHED:
                self._close(str(task_id), 'cancelled', note.actor, jobs, open_tasks)
        self._reconcile_timers(waiting_timers, jobs, note.actor)
        return self.dispatch

    def _transition(self, task, old, note, jobs, open_tasks):
        spec, state, tid = task.task_spec, task.state, str(task.id)
        if state == TaskState.READY and spec.manual:
            self._open(task, spec, tid)
        elif state == TaskState.STARTED and isinstance(spec, ServiceTask):
            inputs = {p.name: evaluate_parameter(
                p, lambda expr: task.workflow.script_engine.evaluate(task, expr))
                for p in spec.camunda.inputs}
            job = Job(case_id=self.case.id, kind='service', task_id=tid, element_id=spec.bpmn_id,
                      topic=spec.camunda.topic, payload={'inputs': json_safe(inputs)},
                      state='pending', due_at=self.now, attempts=0, enqueued_at=self.now,
                      created_at=self.now, updated_at=self.now)
            self.session.add(job)
            self.dispatch.append(job)
            self.event('service_queued', 'system', task, data={'topic': spec.camunda.topic,
                                                              'inputs': inputs})
        elif state == TaskState.STARTED and isinstance(spec, SubWorkflowTask):
            self.event('call_started', 'system', task, data={'called': spec.spec})
        elif state == TaskState.COMPLETED:
            self._completed(task, note, jobs, open_tasks)
        elif state == TaskState.CANCELLED and old is not None and old & REACHED:
            self._close(tid, 'cancelled', note.actor, jobs, open_tasks, task)
        elif state == TaskState.ERROR:
            self.event('element_error', 'system', task)

    def _open(self, task, spec, tid):
        """The human-task row of a task that became ready, with its groups and users."""
        extras, refusals = spec.camunda, []
        users = task_settings.candidate_users(task, refusals)
        groups = task_settings.candidate_groups(task, refusals)
        assignee, refused = self._data_assignee(task, users, groups)
        due = self._camunda_moment(task, 'due_date', refusals)
        form_key = getattr(getattr(spec, 'form', None), 'key', None) or None
        row = HumanTask(
            id=tid, case_id=self.case.id, process_id=task.workflow.spec.name,
            element_id=spec.bpmn_id, name=spec.bpmn_name, names=task_names(spec), lane=spec.lane,
            candidate_groups=groups, candidate_users=users or None,
            priority=task_settings.priority(task, refusals),
            assignee=assignee, form_key=form_key,
            form_fields=None if form_key else json_safe(extras.form_fields),
            due_at=due or self._due(task),
            follow_up_at=self._camunda_moment(task, 'follow_up_date', refusals),
            state='open', created_at=self.now)
        self.session.add(row)
        self.opened.append(row)
        self.session.add_all(HumanTaskGroup(task_id=tid, group=group) for group in groups)
        self.session.add_all(HumanTaskUser(task_id=tid, username=name) for name in users)
        self.event('task_created', 'system', task)
        if refused is not None:
            self.event('assignment_refused', 'system', task, data=refused)
        for refusal in refusals:
            self.event('task_setting_refused', 'system', task, data=refusal)

    def _camunda_moment(self, task, name, refusals):
        """The task's dueDate / followUpDate; one that cannot be worked out leaves the task
        without it and says why on the case history (the case goes on)."""
        text = getattr(task.task_spec.camunda, name)
        try:
            return task_moment(task, text, self.now)
        except Exception as error:  # a diagram's expression may fail in many ways; none stops the case
            refusals.append({'attribute': ATTRIBUTES[name], 'value': text, 'reason': str(error)})
            return None

    def _data_assignee(self, task, users=(), groups=()) -> tuple[str | None, dict | None]:
        """(assignee, refusal): the user the diagram takes from case data (`camunda:assignee`)
        if the app's policy lets them hold the task. Otherwise the task stays unassigned, open
        to its groups, and the refusal (who, which groups) goes to the case history."""
        expression = task.task_spec.camunda.assignee
        if not expression:
            return None, None
        value = evaluate_parameter(Parameter('assignee', 'text', expression),
                                   lambda expr: task.workflow.script_engine.evaluate(task, expr))
        name = str(value).strip() if value not in (None, '') else ''
        groups = list(groups)
        if not name or name in users or self.may_hold is None or self.may_hold(name, groups):
            return name or None, None
        return None, {'assignee': name, 'groups': groups, 'reason': 'not_eligible'}

    def _due(self, task) -> datetime | None:
        variable = due_variable(task) or self.due_variable
        value = task.data.get(variable) if variable else None
        try:
            return to_datetime(value) if value else None
        except (TypeError, ValueError):  # not a date: the task simply has no due date
            return None

    def _completed(self, task, note, jobs, open_tasks):
        spec, tid = task.task_spec, str(task.id)
        definition = event_definition_of(spec)
        if spec.manual:
            row = open_tasks.completed(tid)
            if row is not None:
                row.state, row.completed_at, row.completed_by = 'completed', self.now, note.actor
                self.closed.append(tid)
            own = task.id == note.completed_task_id
            self.event('task_completed', note.actor if own else 'system', task,
                       data={'changes': note.changes} if own and note.changes else None)
        elif isinstance(spec, ServiceTask):
            job = jobs.get(('service', tid))
            if job is not None:
                job.state, job.updated_at = 'done', self.now
            self.event('service_completed', 'worker', task,
                       data={'result': note.service_result} if task.id == note.completed_task_id else None)
        elif isinstance(definition, TimerEventDefinition):
            owner = task.parent if definition is not getattr(spec, 'event_definition', None) else task
            job = jobs.get(('timer', str(owner.id)))  # the gateway's row, after an event gateway
            if job is not None:
                job.state, job.updated_at = 'done', self.now
            # a cycle's rounds were each logged as they fired; its completion is not a firing
            cycle = isinstance(definition, CycleTimerEventDefinition)
            self.event('element_completed' if cycle else 'timer_fired', 'timer', task)
        elif isinstance(definition, MessageEventDefinition):
            self.event('message_received', note.actor, task,
                       data={'payload': note.message} if note.message else None)
        elif isinstance(spec, SubWorkflowTask):
            self.event('call_completed', 'system', task)
        else:
            self.event('element_completed', 'system', task)

    def _close(self, tid, state, actor, jobs, open_tasks, task=None):
        # a removed task (None) may have been a user task; a known one only if it is manual
        row = open_tasks.get(tid) if task is None or task.task_spec.manual else None
        if row is not None:
            row.state, row.completed_at = state, self.now
            self.closed.append(tid)
        for kind in ('service', 'timer'):
            job = jobs.get((kind, tid))
            if job is not None:
                job.state, job.updated_at = state, self.now
        if task is not None:
            self.event(f'element_{state}', actor, task)

    def _reconcile_timers(self, waiting, jobs, actor):
        """Match timer rows to the timers now waiting. A cycle timer keeps its task while it
        fires round after round (several in one step if the clock jumped): the rounds that ran
        are how far its next fire time moved since the row was written."""
        for tid, task in waiting.items():
            due = timer_due(task)
            job = jobs.get(('timer', tid))
            if job is not None and job.due_at <= self.now:
                for _ in range(fired_rounds(task, job.due_at)):
                    self.event('timer_fired', 'timer', task)
            if due is None:  # a cycle that has run all its rounds
                if job is not None:
                    job.state, job.updated_at = 'done', self.now
                continue
            if job is None:
                job = Job(case_id=self.case.id, kind='timer', task_id=tid,
                          element_id=task.task_spec.bpmn_id, state='pending', due_at=due,
                          attempts=0, created_at=self.now)
                self.session.add(job)
            elif job.due_at == due:
                continue
            job.due_at, job.attempts, job.enqueued_at, job.updated_at = due, 0, self.now, self.now
            self.event('timer_set', 'system', task, data={'due': due.isoformat()})
            self.dispatch.append(job)
        for (kind, tid), job in jobs.items():
            if kind == 'timer' and tid not in waiting and job.state == 'pending':
                job.state, job.updated_at = 'cancelled', self.now
