"""Baseline: the same PQRSF diagrams run by SpiffWorkflow alone, in memory, in one thread, with
the same answers as the simulated staff. No database, queue, HTTP or email: what is left when
everything we add around the engine is taken away."""
import random
import statistics
import time

from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from fast_forward import fast_forward_processes
from staff import INTAKE, answers


def load_specs():
    from app.engine.parser import build_specs
    documents = {path.name: path.read_bytes() for path in fast_forward_processes().iterdir()}
    return build_specs(documents, 'pqrsf')


def run_cases(count: int, rng=None) -> dict:
    """Run `count` cases to their end; returns cases/s, the median user-task completion (wall
    and thread CPU time) and the CPU per case of this process and its sandbox children."""
    from cpu_use import tree_cpu
    from app.engine import spiff_compat  # noqa: F401  (the same timer clock as the engine)
    from app.engine.business_days import BusinessCalendar
    from app.engine.clock import clock
    from app.engine.expressions import CaseScriptEngine
    rng = rng or random.Random(7)
    spec, subprocess_specs = load_specs()
    script_engine = CaseScriptEngine(BusinessCalendar(country='CO', time_zone='America/Bogota'))
    task_times, task_cpu = [], []
    cpu_started = tree_cpu()
    started = time.perf_counter()
    for number in range(count):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update({**INTAKE, 'radicado': f'MEM-{number}', 'received_at': clock.now().isoformat()})
        workflow.do_engine_steps()
        answered = False
        while not workflow.is_completed():
            ready = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]
            running = workflow.get_tasks(state=TaskState.STARTED)
            for task in ready:
                step, step_cpu = time.perf_counter(), time.thread_time()
                task.data.update(answers(task.task_spec.bpmn_id, 'carga', rng))
                task.run()
                workflow.do_engine_steps()
                task_times.append(time.perf_counter() - step)
                task_cpu.append(time.thread_time() - step_cpu)
            services = [t for t in running if getattr(t.task_spec, 'camunda', None) is not None
                        and t.task_spec.camunda.topic]
            for task in services:
                task.complete()
                workflow.do_engine_steps()
            if not ready and not services and workflow.get_tasks(state=TaskState.WAITING):
                workflow.refresh_waiting_tasks()  # a timer due now (the survey): as a worker would
                workflow.do_engine_steps()
                if workflow.get_tasks(state=TaskState.READY | TaskState.STARTED):
                    continue
            if not ready and not services:
                if answered:
                    raise RuntimeError('in-memory case is stuck')
                workflow.catch(BpmnEvent(MessageEventDefinition('client_answer'), payload={
                    'payload': {'decision': 'accept', 'comment': ''}, 'result_var': 'client_answer'}))
                workflow.do_engine_steps()
                answered = True
    elapsed = time.perf_counter() - started
    return {'cases_per_second': count / elapsed, 'task_median': statistics.median(task_times),
            'task_cpu_median': statistics.median(task_cpu), 'tasks': len(task_times),
            'cpu_per_case': (tree_cpu() - cpu_started) / count}
