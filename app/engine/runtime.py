"""Moving cases: start, complete a user task, deliver a message, run a job, retry an incident.

Every change follows one shape (`_step`): lock the case row, load its workflow, act, run the
engine until it waits, project what changed, save the workflow, commit once, then hand the new
jobs to the queue. An exception anywhere before the commit rolls everything back, so a failing
step leaves the case exactly where it was.

A step answers what it did (`StepResult`) and never calls back into the app. A caller that must
write rows of its own in the step's transaction (the PQRSF facts of a new case, the tasks to
offer next) takes the step with `commit=False`, writes them, then calls `Engine.commit(result)`.
"""
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import undefer
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import audit, failures, serializer, shared, spiff_compat  # noqa: F401  (audit and spiff_compat hook in on import)
from .clock import clock
from .errors import Conflict, NotFound, StepFailed
from .expressions import CaseScriptEngine
from .models import Case, Event, HumanTask, Incident, Job
from .projections import (TASK_DUE_VARIABLE, Projector, StepNote, evaluate_parameter, find_task,
                          json_safe, snapshot)
from .pruning import prune
from . import rehearsal
from .rehearsal import CompletionProblem
from .sandbox import Limits


@dataclass
class StepResult:
    """What one step did: the case as the step left it, the human tasks it opened (rows) and
    closed (ids), the jobs it queued, and the case data as its last task left them."""
    case: Case
    opened: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    committed: bool = False
    workflow: object = field(default=None, repr=False)  # kept in the cache once committed

    @property
    def state(self) -> str:
        return self.case.state


@dataclass
class EngineSettings:
    max_attempts: int = 3
    retry_base_seconds: float = 10.0
    sweep_grace_seconds: float = 30.0
    task_due_variable: str | None = TASK_DUE_VARIABLE
    sandbox_limits: Limits = field(default_factory=Limits)
    may_hold: object = None  # (username, groups) -> bool: who a data assignee may be (the app's policy)
    # (session, case, variables, process_facts) callables run in each step changing a case-wide variable
    after_step: tuple = ()


class Engine:
    """One engine per unit of work: a session, the spec library, the calendar, a dispatcher."""

    def __init__(self, session, specs, calendar, dispatch=None, handlers=None, settings=None,
                 workflows=None):
        self.session = session
        self.specs = specs
        self.workflows = workflows  # a WorkflowCache, or None to restore every step from JSON
        self.settings = settings or EngineSettings()
        self.script_engine = CaseScriptEngine(calendar, self.settings.sandbox_limits)
        self.dispatch = dispatch or (lambda jobs: None)
        self.handlers = handlers

    # ---- cases and tasks -------------------------------------------------------------------

    def start_case(self, process_id: str, data: dict | None = None, actor='system',
                   reference: str | None = None, commit=True) -> StepResult:
        """Start a case. With `commit=False` the step waits uncommitted for the caller's own
        rows (it sees the case data as the first engine steps left it in `result.data`)."""
        clock.refresh(self.session)
        version = self.specs.latest(self.session, process_id)
        called = self.specs.resolve_called(self.session, version)
        spec, subprocess_specs = self.specs.load(self.session, version.id, called)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=self.script_engine)
        now = clock.now()
        case = Case(process_id=process_id, reference=reference, version_id=version.id,
                    called_versions=called,
                    state='running', workflow='', started_by=actor, created_at=now, updated_at=now)
        self.session.add(case)
        self.session.flush()
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data or {})
        note = StepNote(actor=actor, extra_events=[dict(
            kind='case_started', process_id=process_id,
            data={'version': version.version, 'data': data or {}})])
        try:
            return self._finish(case, workflow, {}, note, now, commit)
        except Exception as error:
            element_id = failures.element_id_of(error)
            name = getattr(failures.element_of(error), 'bpmn_name', None)
            text = failures.detail(error) if element_id else failures.describe(error)
            text = f'«{name}»: {text}' if element_id and name else text
            raise StepFailed('start_failed_at' if element_id else 'start_failed',
                             process_id=process_id, element_id=element_id, error=text) from error

    def complete_task(self, task_id: str, data: dict, actor: str, commit=True, answerable=False) -> StepResult:
        """Complete a user task with its form's data. With `commit=False` the caller's queries
        still see the step's rows (autoflush) before it calls `commit` (e.g. what to offer next).
        With `answerable`, failing answers raise CompletionRefused (rehearsal.py), not StepFailed."""
        row = self.session.get(HumanTask, task_id)
        if row is None:
            raise NotFound('task_not_found', task_id=task_id)
        refused = rehearsal.refusal(self, task_id) if answerable else None
        return self._step(row.case_id, actor, lambda wf: self._complete_user_task(wf, task_id, data, actor),
                          commit=commit, refused=refused)

    def check_completion(self, task_id: str, data: dict) -> list[CompletionProblem]:
        """What would make completing the task with `data` fail; [] if nothing would."""
        return rehearsal.dry_run(self, task_id, data)

    def task_data(self, task_id: str) -> dict:
        """The data an open human task holds (what its form may show), from the saved workflow."""
        row = self.session.get(HumanTask, task_id)
        case = row and self.session.get(Case, row.case_id, options=[undefer(Case.workflow)])
        task = case and self._find_task(self.saved_workflow(case), task_id)
        return json_safe(dict(task.data)) if task else {}

    def saved_workflow(self, case) -> BpmnWorkflow:
        """The workflow as the last step saved it (not the cached one a step moves): reads, rehearsals."""
        return serializer.loads(case.workflow, *self.specs.load(self.session, case.version_id, case.called_versions),
                                self.script_engine)

    def _complete_user_task(self, workflow, task_id, data, actor):
        task = self._find_task(workflow, task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise Conflict('task_not_active', task_id=task_id)
        changes = {k: [task.data.get(k), v] for k, v in data.items() if task.data.get(k) != v}
        task.data.update(data)
        task.run()
        return StepNote(actor=actor, completed_task_id=task.id, changes=changes)

    def deliver_message(self, case_id: int, name: str, payload: dict, actor: str,
                        result_var: str | None = None) -> StepResult:
        def catch(workflow):
            # Nothing changes if no task waits for this message (an event-based gateway waits
            # for several events at once, so asking for waiting events by name is not enough).
            states = snapshot(workflow)
            workflow.catch(BpmnEvent(MessageEventDefinition(name),
                                     payload={'payload': payload, 'result_var': result_var or name}))
            if snapshot(workflow) == states:
                raise Conflict('message_not_awaited', name=name)
            return StepNote(actor=actor, message=payload)
        return self._step(case_id, actor, catch)

    # ---- jobs ------------------------------------------------------------------------------

    def run_job(self, job_id: int) -> str:
        """Entry point of a queued job; safe to call twice or early."""
        clock.refresh(self.session)
        job = self.session.get(Job, job_id)
        if job is None or job.state != 'pending':
            self.session.rollback()
            return 'skipped'
        now = clock.now()
        if job.due_at > now:
            wait = (job.due_at - now).total_seconds()
            if wait > 2:  # woke up too early (clock moved back, or a stale schedule): sleep again
                self.session.rollback()
                self.dispatch([job])
                return 'rescheduled'
            time.sleep(wait)
        kind, case_id = job.kind, job.case_id
        if kind == 'timer':
            self.session.rollback()
            try:
                self._step(case_id, 'timer', self._refresh_timers, incident=False)
            except StepFailed as error:
                self.job_failed(job_id, error.message)
                return 'failed'
            return 'fired'
        return self._run_service(job)

    def _refresh_timers(self, workflow):
        workflow.refresh_timers()
        return StepNote(actor='timer')

    def _run_service(self, job: Job) -> str:
        job_id, case_id, task_id, topic = job.id, job.case_id, job.task_id, job.topic
        context = dict(case_id=case_id, job_id=job_id, task_id=task_id, element_id=job.element_id,
                       topic=topic, attempt=job.attempts + 1,
                       idempotency_key=f'{case_id}:{task_id}', now=clock.now())
        inputs = dict((job.payload or {}).get('inputs', {}))
        # no transaction (nor SQLite lock) held while the handler runs; the rollback expires
        # `job`, so nothing below reads it again
        self.session.rollback()
        try:
            handler = self.handlers(topic)
            result = handler(inputs, context) or {}
            if not isinstance(result, dict):
                raise TypeError(f'el handler devolvió {type(result).__name__}, se esperaba un dict')
        except Exception as error:  # a handler may fail in any way; each failure is recorded
            self.job_failed(job_id, f'{type(error).__name__}: {error}')
            return 'failed'
        try:
            self._step(case_id, 'worker', lambda wf: self._complete_service(wf, task_id, result),
                       incident=False)
        except Conflict:
            return 'stale'
        except StepFailed as error:
            self.job_failed(job_id, error.message)
            return 'failed'
        return 'done'

    def _complete_service(self, workflow, task_id, result):
        task = self._find_task(workflow, task_id)
        if task is None or task.state != TaskState.STARTED:
            raise Conflict('service_not_running', task_id=task_id)
        outputs = task.task_spec.camunda.outputs
        if outputs:
            context = {**task.data, **result}
            evaluate = lambda expr: self.script_engine.environment.evaluate(expr, context)  # noqa: E731
            task.data.update({p.name: evaluate_parameter(p, evaluate) for p in outputs})
        else:
            task.data.update(result)
        task.complete()
        return StepNote(actor='worker', completed_task_id=task.id, service_result=json_safe(result))

    def job_failed(self, job_id: int, message: str) -> None:
        """Count a failed attempt: retry later with back-off, or open an incident."""
        clock.refresh(self.session)
        job = self.session.get(Job, job_id, with_for_update=True, populate_existing=True)
        if job is None or job.state != 'pending':
            self.session.rollback()
            return
        now = clock.now()
        job.attempts += 1
        job.last_error = message[:4000]
        job.updated_at = now
        data = {'attempt': job.attempts, 'error': message[:1000], 'topic': job.topic}
        if job.attempts >= self.settings.max_attempts:
            job.state = 'incident'
            self.session.add(Incident(case_id=job.case_id, job_id=job.id, element_id=job.element_id,
                                      message=message[:4000], created_at=now))
            kind = 'incident_opened'
        else:
            delay = self.settings.retry_base_seconds * (3 ** (job.attempts - 1))
            job.due_at = job.enqueued_at = now + timedelta(seconds=delay)
            data['retry_at'] = job.due_at.isoformat()
            kind = 'job_failed'
        self.session.add(Event(case_id=job.case_id, at=now, actor='worker', kind=kind,
                               element_id=job.element_id, task_id=job.task_id, data=data))
        self.session.commit()
        if job.state == 'pending':
            self.dispatch([job])

    def retry_incident(self, incident_id: int, actor: str) -> Job:
        clock.refresh(self.session)
        incident = self.session.get(Incident, incident_id, with_for_update=True)
        if incident is None:
            raise NotFound('incident_not_found', incident_id=incident_id)
        if incident.resolved_at is not None:
            raise Conflict('incident_resolved', incident_id=incident_id)
        now = clock.now()
        incident.resolved_at, incident.resolved_by = now, actor
        self.session.add(Event(case_id=incident.case_id, at=now, actor=actor, kind='incident_retried',
                               element_id=incident.element_id, data={'incident': incident.id}))
        job = self.session.get(Job, incident.job_id) if incident.job_id else None
        if job is not None:
            job.state, job.attempts, job.due_at, job.enqueued_at, job.updated_at = (
                'pending', 0, now, now, now)
        self.session.commit()
        if job is not None:
            self.dispatch([job])
        return job

    def sweep(self, grace_seconds: float | None = None, kinds=('service', 'timer')) -> list[Job]:
        """Hand to the queue every pending job that is due and was not picked up in time."""
        clock.refresh(self.session)
        grace = timedelta(seconds=self.settings.sweep_grace_seconds if grace_seconds is None
                          else grace_seconds)
        now = clock.now()
        cutoff = now - grace
        jobs = list(self.session.scalars(
            select(Job).where(Job.state == 'pending', Job.due_at <= cutoff, Job.kind.in_(kinds),
                              (Job.enqueued_at.is_(None)) | (Job.enqueued_at <= cutoff))
            .order_by(Job.due_at).limit(1000)))
        for job in jobs:
            job.enqueued_at = now
        self.session.commit()
        self.dispatch(jobs)
        return jobs

    def due_job_ids(self) -> list[int]:
        """Pending jobs whose time has come, oldest first (for running them inline)."""
        clock.refresh(self.session)
        ids = list(self.session.scalars(select(Job.id).where(
            Job.state == 'pending', Job.due_at <= clock.now()).order_by(Job.due_at, Job.id)))
        self.session.rollback()
        return ids

    # ---- the unit of work ------------------------------------------------------------------

    def _step(self, case_id, actor, action, incident=True, commit=True, refused=None) -> StepResult:
        """Run `action(workflow)` on the locked case; on failure record an incident unless the
        caller (a job, which counts its own attempts) does that itself, or unless `refused`
        turns the failure into the exception the caller answers with (not a database's)."""
        clock.refresh(self.session)
        case = self.session.execute(
            select(Case).where(Case.id == case_id).with_for_update().options(undefer(Case.workflow))
            .execution_options(populate_existing=True)).scalar_one_or_none()
        if case is None:
            self.session.rollback()
            raise NotFound('case_not_found', case_id=case_id)
        workflow = None
        try:
            workflow = self._restore(case)
            before = snapshot(workflow)
            note = action(workflow)
            return self._finish(case, workflow, before, note, clock.now(), commit)
        except Conflict:
            self.session.rollback()
            raise
        except Exception as error:
            self.session.rollback()
            if isinstance(error, NotFound):
                raise
            if refused is not None and workflow is not None and not isinstance(error, SQLAlchemyError):
                raise refused(error, workflow) from error
            raise self._failed(case_id, actor, error, incident) from error

    def _restore(self, case) -> BpmnWorkflow:
        spec = self.specs.load(self.session, case.version_id, case.called_versions)[0]
        workflow = None if self.workflows is None else self.workflows.take(case.id, case.revision, spec)
        if workflow is None:
            return self.saved_workflow(case)
        workflow.script_engine = self.script_engine
        return workflow

    def _finish(self, case, workflow, before, note: StepNote, now, commit=True) -> StepResult:
        try:
            workflow.do_engine_steps()
            changed = shared.settle(workflow, case)
            projector = Projector(self.session, case, now, self.settings.task_due_variable,
                                  self.settings.may_hold)
            jobs = projector.apply(workflow, before, note)
            for listener in self.settings.after_step if changed else ():
                listener(self.session, case, case.variables or {}, getattr(workflow.spec, 'facts', None) or {})
            if workflow.is_completed() and case.state == 'running':
                case.state, case.completed_at = 'completed', now
                projector.event('case_completed', 'system', process_id=case.process_id)
            audit.append(self.session, case, projector.events)
            prune(workflow)
            case.workflow = serializer.dumps(workflow)
            case.updated_at = now
            case.revision += 1
            self.session.flush()
        except Exception:
            self.session.rollback()
            raise
        result = StepResult(case=case, opened=projector.opened, closed=projector.closed, jobs=jobs,
                            data=dict(workflow.last_task.data) if workflow.last_task else {},
                            workflow=workflow)
        return self.commit(result) if commit else result

    def commit(self, result: StepResult) -> StepResult:
        """Commit a step (taken with `commit=False`, once the caller added its rows), then keep
        its workflow for the next step and hand its jobs to the queue."""
        try:
            self.session.commit()
        except Exception:
            self.session.rollback()
            raise
        if self.workflows is not None and result.case.state == 'running':  # a finished case takes no steps
            self.workflows.put(result.case.id, result.case.revision, result.workflow)
        self.dispatch(result.jobs)
        result.committed = True
        return result

    def _failed(self, case_id, actor, error, incident=True) -> StepFailed:
        """Record why a step could not run, as an incident, in its own transaction."""
        element_id = failures.element_id_of(error)
        message = failures.describe(error)  # which element (id and name) and what was missing
        if incident:
            now = clock.now()
            self.session.add(Incident(case_id=case_id, element_id=element_id,
                                      message=message[:4000], created_at=now))
            self.session.add(Event(case_id=case_id, at=now, actor=actor, kind='step_failed',
                                   element_id=element_id, data={'error': message[:1000]}))
            self.session.commit()
        return StepFailed('step_failed', case_id=case_id, element_id=element_id, error=message)

    _find_task = staticmethod(find_task)
