"""Demo accounts for the embedded default (`make run`): one per role, one shared password, and
the responsible areas with the demo líder as a member of each (every branch)."""
from sqlalchemy import select

from app.accounts.login import create_user
from app.engine.clock import clock
from app.platform.extensions import db
from app.accounts.models import Area, AreaMember, User

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

DEMO_AREAS = [('operaciones', 'Operaciones'), ('comercial', 'Comercial'), ('facturacion', 'Facturación'),
              ('talento_humano', 'Talento humano'), ('calidad', 'Calidad')]
DEMO_AREA_MEMBERS = ['lider']  # the demo líderes: members of every area, for all branches


def ensure_demo_users() -> list[tuple[str, list]]:
    """Create the demo users that are missing; returns every demo user and its roles."""
    existing = set(db.session.scalars(select(User.username)))
    for username, name, roles in DEMO_USERS:
        if username not in existing:
            create_user(username, DEMO_PASSWORD, roles, name, f'{username}@empresa.example')
    ensure_demo_areas()
    return [(username, roles) for username, _, roles in DEMO_USERS]


def ensure_demo_areas() -> None:
    """Create the demo areas that are missing, each with the demo líderes as members."""
    existing = set(db.session.scalars(select(Area.code)))
    for code, name in DEMO_AREAS:
        if code in existing:
            continue
        db.session.add(Area(code=code, name=name, active=True, created_at=clock.now()))
        db.session.flush()
        db.session.add_all(AreaMember(area_code=code, username=u, branch=None) for u in DEMO_AREA_MEMBERS)
    db.session.commit()
