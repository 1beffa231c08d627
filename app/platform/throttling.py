"""Throttling, counted in the configured Redis (Flask-Limiter and its `limits` strategies).

Two kinds of limit:
- guesses (a password, an API token, a follow-up code): only wrong tries count, per account or
  radicado and per address; once a limit is spent every try is refused until its window ends,
  the right password included, so guessing gains nothing from going on;
- floods (filing a case, the forms of the signed links): every POST counts, per address.

If Redis cannot be reached, the limits are counted in this process instead (a warning is
logged): throttling goes on, per process, and sign-in keeps working.

Each limit is a `limits` string ('10 per 15 minutes') read from the app config at request
time (PQRSF_LIMIT_* variables, see config.py). A refusal is a 429 with `Retry-After`, as an HTML
page in the visitor's language, or as the API's JSON error body under /api.
"""
import logging
import math
import time

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import RedisError
from werkzeug.exceptions import TooManyRequests

from app.platform.queue import redis_url

LIMITS = ('LIMIT_LOGIN_ACCOUNT', 'LIMIT_LOGIN_ADDRESS', 'LIMIT_FOLLOW_RADICADO',
          'LIMIT_FOLLOW_ADDRESS', 'LIMIT_INTAKE_ADDRESS', 'LIMIT_LINK_ADDRESS')
PREFIX = 'pqrsf-limits'
STORAGE_DOWN = (RedisError, OSError)
log = logging.getLogger(__name__)
_in_process = FixedWindowRateLimiter(MemoryStorage())


def client_address() -> str:
    return request.remote_addr or 'unknown'


limiter = Limiter(key_func=client_address, key_prefix=PREFIX, strategy='fixed-window')


def init_throttling(app) -> None:
    """Check every configured limit now (a typo fails at start, naming its variable), point
    Flask-Limiter at the app's Redis and answer 429 with our own page."""
    for name in LIMITS:
        try:
            parse(app.config[name])
        except ValueError:
            raise RuntimeError(f'PQRSF_{name} no es un límite válido: {app.config[name]!r} '
                               "(ejemplo: '10 per 15 minutes')") from None
    url = redis_url(app.config)
    app.config['RATELIMIT_STORAGE_URI'] = 'redis+unix://' + url[len('unix://'):] \
        if url.startswith('unix://') else url
    app.config['RATELIMIT_IN_MEMORY_FALLBACK_ENABLED'] = True  # flood limits, as guesses below
    limiter.init_app(app)
    app.register_error_handler(429, _refused)


def configured(name):
    """A limit value Flask-Limiter reads per request, so a changed config applies at once."""
    return lambda: current_app.config[name]


def flood_limit(name: str):
    """Decorator: every POST of this view counts against `name`, per address; GETs are free."""
    return limiter.shared_limit(configured(name), scope=name.lower(), methods=['POST'])


class Throttled(TooManyRequests):
    """A guess refused because a limit is spent; `retry_after` is in whole seconds."""


def guarded(rules, attempt):
    """Run `attempt()` unless one of `rules` ([(limit name, key), ...]) is spent; only a falsy
    result (a wrong guess) keeps the try it took from each rule. Each try is taken (atomically,
    in Redis) before guessing, so guesses sent in parallel cannot overrun a limit."""
    rules = [(parse(current_app.config[name]), (PREFIX, name.lower(), str(key)))
             for name, key in rules if key]
    try:
        strategy = _take(limiter.limiter, rules)
    except STORAGE_DOWN as error:
        log.warning('throttling counted in this process: Redis unavailable (%s)', error)
        strategy = _take(_in_process, rules)
    result = attempt()
    if result:  # the right guess does not count
        try:
            _give_back(strategy, rules)
        except STORAGE_DOWN as error:  # Redis went away since: the try stays counted
            log.warning('throttling could not give a try back: %s', error)
    return result


def _take(strategy, rules):
    """Take one try from each rule, or raise Throttled (giving back what was taken)."""
    for taken, (item, keys) in enumerate(rules):
        if not strategy.hit(item, *keys):
            _give_back(strategy, rules[:taken])  # no guess was made
            reset = strategy.get_window_stats(item, *keys).reset_time
            raise Throttled(retry_after=max(1, math.ceil(reset - time.time())))
    return strategy


def _give_back(strategy, rules):
    """Return one try to each rule (the fixed window keeps one counter per key)."""
    for item, keys in rules:
        strategy.storage.incr(item.key_for(*keys), item.get_expiry(), amount=-1)


def login_rules(username):
    account = (username or '').strip().lower()
    return [('LIMIT_LOGIN_ACCOUNT', account and f'account:{account}'),
            ('LIMIT_LOGIN_ADDRESS', client_address())]


def follow_rules(radicado):
    return [('LIMIT_FOLLOW_RADICADO', (radicado or '').strip().upper()),
            ('LIMIT_FOLLOW_ADDRESS', client_address())]


def _retry_after(error) -> int:
    if isinstance(error, RateLimitExceeded) and limiter.current_limit is not None:
        return max(1, limiter.current_limit.reset_at - int(time.time()))
    seconds = getattr(error, 'retry_after', None)
    return seconds if isinstance(seconds, int) else 60


def _refused(error):
    seconds = _retry_after(error)
    minutes = math.ceil(seconds / 60)
    wait = (_('Intente de nuevo en %(n)s segundos.', n=seconds) if seconds < 120
            else _('Intente de nuevo en %(n)s minutos.', n=minutes))
    headers = {'Retry-After': str(seconds)}
    if request.path.startswith('/api/'):
        message = f"{_('Demasiados intentos')}. {wait}"
        return {'code': 429, 'status': 'Too Many Requests', 'message': message}, 429, headers
    return render_template('errors/throttled.html', wait=wait), 429, headers
