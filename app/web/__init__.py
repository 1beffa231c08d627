"""Web blueprints. Until the task list lands, a status page says what is deployed and running."""
from flask import Blueprint, render_template_string
from sqlalchemy import func, select

from ..engine.models import Case, HumanTask, Incident, ProcessVersion
from ..extensions import db

bp = Blueprint('web', __name__)

STATUS_PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>PQRSF</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d9e2ec;padding:.4rem;text-align:left}</style>
</head><body>
<h1>PQRSF sobre BPMN</h1>
<p>Motor en marcha. Procesos desplegados:</p>
<table><tr><th>Proceso</th><th>Versión</th><th>Desplegado</th></tr>
{% for v in versions %}<tr><td>{{ v.name or v.process_id }} <code>{{ v.process_id }}</code></td>
<td>{{ v.version }}</td><td>{{ v.deployed_at.strftime('%Y-%m-%d %H:%M') }} UTC</td></tr>
{% else %}<tr><td colspan="3">Ninguno todavía.</td></tr>{% endfor %}</table>
<p>Casos abiertos: {{ open_cases }} · Tareas pendientes: {{ open_tasks }} · Incidentes: {{ incidents }}</p>
</body></html>"""


@bp.get('/')
def index():
    versions = db.session.scalars(select(ProcessVersion).order_by(
        ProcessVersion.process_id, ProcessVersion.version.desc())).all()
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    return render_template_string(
        STATUS_PAGE, versions=versions,
        open_cases=count(select(func.count()).select_from(Case).where(Case.state == 'running')),
        open_tasks=count(select(func.count()).select_from(HumanTask).where(HumanTask.state == 'open')),
        incidents=count(select(func.count()).select_from(Incident).where(Incident.resolved_at.is_(None))))


@bp.get('/healthz')
def healthz():
    db.session.execute(select(1))
    return {'status': 'ok'}
