"""The password policy, checked wherever a password is set (accounts, the CLI, the demo users).

A password must be at least MIN_LENGTH characters, must not be or contain the user name (ignoring
case; names shorter than 3 characters only count when equal), must not be one of the common
passwords that `zxcvbn` ships inside its wheel (nothing is downloaded), nor one of them with digits
or symbols stuck on either end, and zxcvbn must not estimate it at under a million guesses
(sequences such as 123456789012, repeated characters, keyboard rows)."""
import string
from functools import lru_cache

from flask_babel import gettext as _

MIN_LENGTH = 12
MIN_GUESSES_LOG10 = 6
_EDGES = string.digits + string.punctuation + ' '
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide the estimate


@lru_cache(maxsize=1)
def _common() -> frozenset:
    """zxcvbn's list of the 30,000 most used passwords (lower case), loaded on first use."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS['passwords'])


def _names(username: str) -> set:
    name = (username or '').strip().casefold()
    bare = ''.join(ch for ch in name if ch.isalnum())
    return {n for n in (name, bare) if n}


def _has_username(folded: str, username: str) -> bool:
    return any(folded == name or (len(name) >= 3 and name in folded) for name in _names(username))


def _guessable(password: str, username: str) -> bool:
    from zxcvbn import zxcvbn
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=sorted(_names(username)))
    return float(result['guesses_log10']) < MIN_GUESSES_LOG10


def password_problem(password: str, username: str = '') -> str | None:
    """Why `password` may not be set for `username` (Spanish, translated), or None if it may."""
    password = password or ''
    if len(password) < MIN_LENGTH:
        return _('La contraseña debe tener al menos %(n)s caracteres.', n=MIN_LENGTH)
    folded = password.casefold()
    if _has_username(folded, username):
        return _('La contraseña no puede ser ni contener el nombre de usuario.')
    if folded in _common() or folded.strip(_EDGES) in _common():
        return _('Esa contraseña es de las más usadas (o una de ellas con números o signos '
                 'al principio o al final): elija otra.')
    if _guessable(password, username):
        return _('La contraseña es demasiado fácil de adivinar (una secuencia, una repetición o '
                 'una fila del teclado): elija otra.')
    return None
