"""Demo accounts for the embedded default (`make run`): one per role, one shared password."""
from sqlalchemy import select

from app.accounts.login import create_user
from app.platform.extensions import db
from app.accounts.models import User

DEMO_PASSWORD = 'pqrsf-demo-2026'  # meets app.passwords' policy
DEMO_USERS = [
    ('colaborador', 'Camila Colaboradora', ['colaborador']),
    ('lider', 'Luis Líder', ['lider_proceso']),
    ('responsable', 'Rosa Responsable', ['responsable_accion']),
    ('gerente', 'Gloria Gerente', ['gerente_administracion']),
    ('director', 'Diego Director', ['director_general']),
    ('rrhh', 'Ramiro Recursos Humanos', ['recursos_humanos']),
    ('dueno', 'Daniela Dueña del proceso', ['dueno_proceso']),
    ('auditor', 'Andrés Auditor', ['auditor']),
    ('admin', 'Ana Administradora', ['admin']),
]


def ensure_demo_users() -> list[tuple[str, list]]:
    """Create the demo users that are missing; returns every demo user and its roles."""
    existing = set(db.session.scalars(select(User.username)))
    for username, name, roles in DEMO_USERS:
        if username not in existing:
            create_user(username, DEMO_PASSWORD, roles, name, f'{username}@empresa.example')
    return [(username, roles) for username, _, roles in DEMO_USERS]
