"""Operations endpoints: readiness (database, Redis, workers, timer lag) and Prometheus metrics.

`/healthz` (in web/__init__) only says the process answers; `/readyz` says whether it can do its
job. `/metrics` speaks the Prometheus text format and shows aggregates only; it needs the
`METRICS_TOKEN` bearer token when one is configured, else an admin's API credentials.
"""
import hmac
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import func, select

from app.accounts.login import api_user
from app.accounts.policy import has_role
from app.engine.clock import clock
from app.engine.models import Case, HumanTask, Incident, Job
from app.platform.extensions import db

bp = Blueprint('ops', __name__)


def _timer_lag_seconds() -> float:
    """How late the oldest due, still pending timer is (0 when none is overdue)."""
    oldest = db.session.scalar(select(func.min(Job.due_at)).where(
        Job.state == 'pending', Job.kind == 'timer', Job.due_at <= clock.now()))
    return max(0.0, (clock.now() - oldest).total_seconds()) if oldest else 0.0


def _workers() -> int:
    from rq import Worker

    from app.platform.queue import connect
    return len(Worker.all(connection=connect(current_app.config)))


@bp.get('/readyz')
def readyz():
    checks, ready = {}, True
    try:
        db.session.execute(select(1))
        clock.refresh(db.session)
        checks['database'] = 'ok'
        checks['timer_lag_seconds'] = round(_timer_lag_seconds(), 3)
    except Exception as error:  # report, do not crash: this page exists for bad days
        checks['database'], ready = f'error: {type(error).__name__}', False
    finally:
        db.session.rollback()
    try:
        checks['workers'] = _workers()
        checks['redis'] = 'ok'
    except Exception as error:
        checks['redis'], ready = f'error: {type(error).__name__}', False
    return {'ready': ready, **checks}, 200 if ready else 503


def _allowed() -> bool:
    token = current_app.config.get('METRICS_TOKEN')
    if token:
        auth = request.authorization
        return bool(auth and auth.type == 'bearer' and auth.token and hmac.compare_digest(auth.token, token))
    return has_role(api_user(), 'admin')


JOB_LATENCY_WINDOW = timedelta(minutes=10)


def _job_latency(lines) -> None:
    """Summary of how long jobs finished in the last ten minutes took from due to done
    (queue wait plus run), per kind; computed from the job table, so every worker counts."""
    since = clock.now() - JOB_LATENCY_WINDOW
    rows = db.session.execute(select(Job.kind, Job.due_at, Job.updated_at).where(
        Job.state == 'done', Job.updated_at >= since).order_by(Job.updated_at.desc()).limit(5000)).all()
    lines.append('# HELP pqrsf_job_latency_seconds Due time to completion of jobs done in the last 10 minutes.')
    lines.append('# TYPE pqrsf_job_latency_seconds summary')
    for kind in ('service', 'timer'):
        values = sorted(max(0.0, (done - due).total_seconds()) for k, due, done in rows if k == kind)
        for quantile in (0.5, 0.95, 0.99):
            value = values[min(len(values) - 1, int(quantile * len(values)))] if values else 'NaN'
            lines.append(f'pqrsf_job_latency_seconds{{kind="{kind}",quantile="{quantile}"}} {value}')
        lines.append(f'pqrsf_job_latency_seconds_count{{kind="{kind}"}} {len(values)}')


@bp.get('/metrics')
def metrics():
    if not _allowed():
        abort(401)
    lines = []

    def gauge(name, help_text, samples):
        lines.append(f'# HELP {name} {help_text}')
        lines.append(f'# TYPE {name} gauge')
        for labels, value in samples:
            label_text = ','.join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(f'{name}{{{label_text}}} {value}' if label_text else f'{name} {value}')

    gauge('pqrsf_cases', 'Cases by state.', [({'state': s}, n) for s, n in db.session.execute(
        select(Case.state, func.count()).group_by(Case.state))])
    gauge('pqrsf_open_tasks', 'Open human tasks.', [({}, db.session.scalar(
        select(func.count()).select_from(HumanTask).where(HumanTask.state == 'open')))])
    gauge('pqrsf_pending_jobs', 'Pending service calls and timers.', [({'kind': k}, n) for k, n in db.session.execute(
        select(Job.kind, func.count()).where(Job.state == 'pending').group_by(Job.kind))])
    gauge('pqrsf_open_incidents', 'Incidents waiting for an operator.', [({}, db.session.scalar(
        select(func.count()).select_from(Incident).where(Incident.resolved_at.is_(None))))])
    gauge('pqrsf_timer_lag_seconds', 'How late the oldest overdue timer is.', [({}, round(_timer_lag_seconds(), 3))])
    _job_latency(lines)
    db.session.rollback()
    return Response('\n'.join(lines) + '\n', mimetype='text/plain; version=0.0.4')
