"""Simulated staff: an HTTP API client (one keep-alive connection per thread) and what a staff
member answers in each user task of the PQRSF procedure."""
import http.client
import json
import random
import re
import time
from urllib.parse import urlsplit

INTAKE = dict(
    case_type='Q', channel='correo', branch='BOG', client_kind='cliente',
    client_name='Cliente de carga', client_id_document='1000000', client_email='carga@example.com',
    client_phone='3000000000', event_date='2026-11-20', product_service='Transporte',
    description='Prueba de carga: el pedido llegó tarde.', remedy_sought='Una explicación.',
    collaborator_named='', data_consent=True)


def answers(element_id: str, user: str, rng: random.Random) -> dict:
    """The form a staff member submits for `element_id`; actions are owned by `user`."""
    action = {'description': 'Avisar los retrasos el mismo día', 'owner': user,
              'owner_email': f'{user}@empresa.example', 'due_date': '2027-03-10'}
    return {
        'classify': {'case_type': 'Q', 'severity': rng.choice(['baja', 'media', 'alta']),
                     'impact': 'individual', 'motive': 'disculpa', 'investigation_level': 'intermedio',
                     'responsible_area': 'operaciones', 'needs_information': False},
        'register_opportunity': {'affected_process': 'Transporte', 'om_kind': 'mejora',
                                 'om_description': 'Retrasos sin aviso.'},
        'analyse_causes': {'analysis_method': '5_porques', 'root_causes': 'Sin aviso automático.',
                           'actions': [action, {**action, 'description': 'Revisar rutas'}]},
        'do_action': {'action_done': True, 'action_evidence': 'Hecho.'},
        'verify_effectiveness': {'effective': True, 'effectiveness_notes': 'Eficaz.',
                                 'decision': 'Le reconocemos el flete.'},
        'close_case': {'actions_effective': True, 'closing_notes': 'Cliente conforme.'},
        'record_recognition': {'recognition_done': True, 'personnel_file_note': 'Anotado.'},
    }[element_id]


class Api:
    """A tiny JSON client; keeps `Server-Timing` figures of every call by label."""

    def __init__(self, base_url: str, token: str, samples: dict):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.headers = {'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'}
        self.samples = samples
        self.connection = None

    def call(self, label, method, path, body=None):
        payload = json.dumps(body).encode() if body is not None else None
        for attempt in range(3):
            try:
                self.open()
                return self.exchange(label, method, path, payload)
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection = None
                if attempt == 2:
                    raise
                time.sleep(0.2)

    def open(self):
        """Connect unless connected; a failure here means nothing was sent."""
        if self.connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            connection.connect()
            self.connection = connection

    def exchange(self, label, method, path, payload):
        """One request on the open connection: (status, JSON body or None), timed under `label`."""
        started = time.perf_counter()
        self.connection.request(method, path, payload, self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        *server, cpu = _server_timing(response.getheader('Server-Timing') or '')
        self.samples.setdefault(label, []).append((elapsed, *server, response.status, cpu))
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:  # an HTML error page (a proxy or a crash), not our JSON
            return response.status, None


def print_outcome(done: list, wanted: int, errors: list, elapsed: float) -> None:
    """The lines every load scenario starts its report with: cases completed and cases/s, the
    first errors, and how long a case took from registration to closing."""
    print(f'cases completed: {len(done)} of {wanted} in {elapsed:.1f} s -> {len(done) / elapsed:.2f} cases/s; '
          f'errors: {len(errors)}')
    for error in errors[:5]:
        print('  error:', error)
    if done:
        seconds = [r['seconds'] for r in done]
        print(f'case duration (register to closed): p50 {pct(seconds, .5):.2f} s, p95 {pct(seconds, .95):.2f} s, '
              f'max {max(seconds):.2f} s')


def pct(values, q):
    """The q-quantile of `values` (nearest rank), NaN when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float('nan')


def _server_timing(header: str):
    duration = re.search(r'app;dur=([\d.]+)', header)
    cpu = re.search(r'cpu;dur=([\d.]+)', header)
    statements = re.search(r'statements=(\d+)', header)
    commits = re.search(r'commits=(\d+)', header)
    return (float(duration.group(1)) / 1000 if duration else None,
            int(statements.group(1)) if statements else None,
            int(commits.group(1)) if commits else None,
            float(cpu.group(1)) / 1000 if cpu else None)


def run_case(api: Api, user: str, rng: random.Random, poll=0.1, max_poll=1.0, timeout=120) -> dict:
    """One full case, intake to closing, as staff would work it; returns what it took.

    Staff look at the task list and open the case; they work its open tasks and go straight on
    with the tasks each completion offers next in the same case (`next_tasks`), as the web
    form does. While the case has nothing for them (a worker or the client has the next move)
    they look again after `poll` seconds, doubling up to `max_poll` until something shows up:
    people come back to the task list, they do not reload it ten times a second.
    `max_poll=poll` polls at a fixed rate."""
    status, created = api.call('register', 'POST', '/api/cases', INTAKE)
    if status != 201:
        raise RuntimeError(f'register: {status} {created}')
    radicado = created['radicado']
    started, answered, completed_tasks, next_answer = time.monotonic(), False, 0, 0.0
    wait, pending = poll, []
    while time.monotonic() - started < timeout:
        if not pending:
            api.call('task_list', 'GET', '/api/tasks')
            status, case = api.call('case', 'GET', f'/api/cases/{radicado}')
            if case['state'] == 'completed':
                return {'radicado': radicado, 'tasks': completed_tasks, 'seconds': time.monotonic() - started}
            pending = list(case['open_tasks'])
        if pending:
            wait = poll
            task = pending.pop(0)
            status, body = api.call('complete_task', 'POST', f"/api/tasks/{task['id']}/complete",
                                    answers(task['element_id'], user, rng))
            if status == 200:
                completed_tasks += 1
                pending += _new(body['next_tasks'], pending)
            elif status != 409:
                raise RuntimeError(f"complete {task['element_id']}: {status} {body}")
            continue
        # nothing to do: either a worker is busy or the decision waits for the client. Ask
        # (409 = not waiting yet) rather than count our own completions, which a response
        # lost in a fault can make wrong.
        if not answered and completed_tasks >= 5 and time.monotonic() >= next_answer:
            status, body = api.call('client_answer', 'POST', f'/api/cases/{radicado}/answer',
                                    {'decision': 'accept', 'comment': 'Gracias'})
            answered, next_answer = status == 200, time.monotonic() + 0.5
            if answered:
                pending = list(body['next_tasks'])
                continue
        time.sleep(wait)
        wait = min(wait * 2, max_poll)
    raise TimeoutError(f'case {radicado} did not finish in {timeout} s')


def _new(offered, pending):
    known = {task['id'] for task in pending}
    return [task for task in offered if task['id'] not in known]
