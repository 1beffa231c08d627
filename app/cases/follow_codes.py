"""The client's follow-up code: derived from the radicado with the app's key, so the
acknowledgement email can carry it (a case registered by staff reaches its client only there),
and kept as a keyed hash so the table alone answers nothing."""
import hashlib
import hmac

from flask import current_app
from werkzeug.security import check_password_hash

CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'  # no 0/O, 1/I; 32 signs: 5 bits each
CODE_LENGTH = 8
HMAC_PREFIX = 'hmac-sha256$'


def _key() -> bytes:
    return current_app.config['SECRET_KEY'].encode()


def follow_code(radicado: str) -> str:
    """The code of a radicado: 8 signs of CODE_ALPHABET from HMAC(SECRET_KEY, 'follow-code:' +
    radicado); 256 is a multiple of 32, so every sign is equally likely (40 bits in all)."""
    digest = hmac.new(_key(), f'follow-code:{radicado}'.encode(), hashlib.sha256).digest()
    return ''.join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])


def code_hash(code: str) -> str:
    """A keyed hash of a follow-up code. The code is only guessable online, where each try costs
    a request; a slow password hash would cost far more per intake than it protects, and the
    key keeps a leaked table from being searched offline."""
    return HMAC_PREFIX + hmac.new(_key(), code.encode(), hashlib.sha256).hexdigest()


def code_matches(stored: str, code: str) -> bool:
    if stored.startswith(HMAC_PREFIX):
        return hmac.compare_digest(stored, code_hash(code))
    return check_password_hash(stored, code)  # codes issued before the keyed hash
