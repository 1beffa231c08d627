"""Staff behind a load balancer of several web hosts (hosts.py): each staff member has a home
host; a host that refuses a connection or cuts a request is left out for a moment (a passive
health check) and the request goes to the next one.

What may be sent again follows from what the API promises: reads, and task completions and
client answers, which a repeat cannot apply twice (409 once the first applied). A registration
has no such key, so a registration the network cut is not blindly resent: each carries a
reference of its own in the description, and the client first looks for it (GET /api/cases?q=)
and sends it again only if no case has it, as careful staff would ("did it go through?").
"""
import http.client
import itertools
import json
import os
import threading
import time
from urllib.parse import quote

from staff import Api

RETRY_SECONDS = 90
IDLE_SECONDS = 1.0  # gunicorn closes a keep-alive connection idle for 2 s: reconnect before that


class Aborted(Exception):
    """The run was stopped (Ctrl-C): give up the case."""


class Cut(Exception):
    """A request was sent and no answer came back: it may or may not have been applied."""


class Balancer:
    def __init__(self, urls, pause=2.0):
        self.urls, self.pause = list(urls), pause
        self._down_until = [0.0] * len(self.urls)
        self._lock = threading.Lock()
        self.served = [0] * len(self.urls)
        self.in_flight = {}  # (label, host index) -> requests sent and not answered yet
        self.registered = {}  # reference -> radicado of every registration answered or found
        self.counts = {'refused or cut': 0, 'registrations cut': 0, 'found on lookup': 0, 'sent again': 0,
                       'server errors': 0}

    def order(self, home: int) -> list:
        """Hosts to try, the home one first, those that just failed last."""
        now = time.monotonic()
        ranked = sorted(range(len(self.urls)), key=lambda i: (self._down_until[i] > now, i != home))
        return ranked

    def failed(self, index: int) -> None:
        with self._lock:
            self._down_until[index] = time.monotonic() + self.pause
            self.counts['refused or cut'] += 1

    def sending(self, label, index, change) -> None:
        with self._lock:
            self.in_flight[label, index] = self.in_flight.get((label, index), 0) + change

    def note(self, index=None, count=None) -> None:
        with self._lock:
            if index is not None:
                self.served[index] += 1
            if count is not None:
                self.counts[count] += 1


_references = itertools.count(1)


class FailoverApi(Api):
    """The staff client of staff.py (same `call`, same samples), sent through the balancer."""

    def __init__(self, balancer: Balancer, home: int, token: str, samples: dict, stop: threading.Event):
        self.balancer, self.home, self.stop, self.samples = balancer, home, stop, samples
        self.apis = [Api(url, token, samples) for url in balancer.urls]
        self.used = [0.0] * len(self.apis)

    def call(self, label, method, path, body=None):
        if label == 'register':
            return self._register(body)
        return self._send(label, method, path, body, resend_cut=True)

    def _register(self, body):
        reference = f'ref{os.getpid()}x{next(_references):05d}'
        body = {**body, 'description': f"{body['description']} Referencia {reference}."}
        while True:
            try:
                status, created = self._send('register', 'POST', '/api/cases', body, resend_cut=False)
                if status == 201:
                    self.balancer.registered[reference] = created['radicado']
                return status, created
            except Cut:
                self.balancer.note(count='registrations cut')
                time.sleep(1)  # the cut request's transaction has ended, one way or the other
                radicado = self.find(reference)
                if radicado:
                    self.balancer.note(count='found on lookup')
                    self.balancer.registered[reference] = radicado
                    return 201, {'radicado': radicado}
                self.balancer.note(count='sent again')

    def find(self, reference):
        """The radicado of the case registered with `reference`, or None (the staff search)."""
        status, found = self._send('lookup', 'GET', f'/api/cases?q={quote(reference)}', None, True)
        if status != 200:
            raise RuntimeError(f'lookup {reference}: {status} {found}')
        return found['cases'][0]['radicado'] if found['cases'] else None

    def _send(self, label, method, path, body, resend_cut):
        """(status, body) from the first host that answers; a cut request is sent to the next
        host only if `resend_cut`, otherwise Cut is raised."""
        payload = json.dumps(body).encode() if body is not None else None
        deadline = time.monotonic() + RETRY_SECONDS
        while time.monotonic() < deadline:
            for index in self.balancer.order(self.home):
                if self.stop.is_set():
                    raise Aborted()
                api = self.apis[index]
                if api.connection is not None and time.monotonic() - self.used[index] > IDLE_SECONDS:
                    api.connection.close()  # a request on a connection the server is closing would look cut
                    api.connection = None
                try:
                    api.open()
                except OSError:  # refused or unreachable: nothing was sent
                    self.balancer.failed(index)
                    continue
                self.balancer.sending(label, index, 1)
                try:
                    status, data = api.exchange(label, method, path, payload)
                except (http.client.HTTPException, OSError):
                    api.connection = None
                    self.balancer.failed(index)
                    if not resend_cut:
                        raise Cut() from None
                    continue
                finally:
                    self.balancer.sending(label, index, -1)
                if status >= 500:  # counted, and treated as a cut (nothing says it was not applied)
                    self.balancer.note(count='server errors')
                    if not resend_cut:
                        raise Cut()
                    continue
                self.used[index] = time.monotonic()
                self.balancer.note(index=index)
                return status, data
            time.sleep(0.5)
        raise RuntimeError(f'{method} {path}: no web host answered for {RETRY_SECONDS} s')
