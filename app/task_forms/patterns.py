"""Regular expressions from form files (`validate.pattern`).

Submissions are matched with RE2 (google-re2), whose matching time is linear in the input
whatever the pattern, so no pattern can hang a request; RE2 refuses what needs backtracking
(back-references, look-around), and such a pattern is refused wherever a form is checked.
Saving, previewing or deploying a form also refuses a repeated group that repeats inside
(`(a+)+`, `(\\w*)*`, `(x{1,9}){2,}`): a backtracking engine (the JavaScript RegExp of form-js
and of the Camunda Modeler's preview) can take exponential time on those."""
import re
from functools import lru_cache

import re2
from flask_babel import gettext as _

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error comes back as an exception; no copy on stderr
_BRACES = re.compile(r'\{(\d+)(,(\d*))?\}')
_GROUP_PREFIX = re.compile(r'\(\?(?:[:=!]|<[=!]|P?<\w+>|[a-zA-Z-]*[:)])')


@lru_cache(maxsize=512)
def compile_pattern(pattern: str):
    """The RE2 program for `pattern`; raises re2.error when RE2 cannot run it."""
    return re2.compile(pattern, _OPTIONS)


def pattern_problem(pattern, strict: bool = False) -> str | None:
    """Why `pattern` may not be used (Spanish, translated), or None; `strict` adds the check for
    nested repetition that saving and deploying a form apply."""
    if not pattern:
        return None
    if not isinstance(pattern, str):
        return _('el patrón debe ser un texto.')
    try:
        compile_pattern(pattern)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        reason = reason.decode(errors='replace') if isinstance(reason, bytes) else str(reason)
        return _('el patrón no es válido o usa algo que no se admite (referencias hacia atrás, '
                 'búsquedas hacia delante o hacia atrás): %(reason)s.', reason=reason)
    if strict and nested_repetition(pattern):
        return _('el patrón repite un grupo que ya se repite por dentro (como «(a+)+»), lo que puede '
                 'tardar un tiempo exponencial en un navegador; escríbalo sin la repetición anidada.')
    return None


def _quantifier(pattern: str, i: int):
    """(min, max or None, length) of the quantifier at `i`, or None if there is none."""
    ch = pattern[i]
    if ch in '*+?':
        low, high, size = {'*': (0, None), '+': (1, None), '?': (0, 1)}[ch] + (1,)
    elif (braces := _BRACES.match(pattern, i)) is not None:
        low = int(braces.group(1))
        high = low if braces.group(2) is None else (int(braces.group(3)) if braces.group(3) else None)
        size = braces.end() - i
    else:
        return None
    if pattern[i + size:i + size + 1] in ('?', '+'):
        size += 1  # lazy or possessive mark
    return low, high, size


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at `i`."""
    i += 1
    if pattern[i:i + 1] == '^':
        i += 1
    if pattern[i:i + 1] == ']':
        i += 1
    while i < len(pattern) and pattern[i] != ']':
        if pattern[i] == '\\':
            i += 1
        elif pattern.startswith('[:', i):
            i = pattern.find(':]', i + 2) + 1 or len(pattern)
        i += 1
    return i + 1


def nested_repetition(pattern: str) -> bool:
    """True when a group holding a variable repetition (`+`, `*`, `{n,}`, `{n,m}` with m > n) is
    itself repeated; the pattern must already compile."""
    inside = [False]  # per open group: does it hold a variable repetition?
    previous_group, i = None, 0  # previous_group: what the group just closed held, if it was the last atom
    while i < len(pattern):
        ch, atom_group = pattern[i], None
        if ch == '\\':
            i += 2
        elif ch == '[':
            i = _class_end(pattern, i)
        elif ch == '(':
            prefix = _GROUP_PREFIX.match(pattern, i)
            if prefix is not None and prefix.group().endswith(')'):
                i = prefix.end()  # a flags-only group such as (?i)
                continue
            inside.append(False)
            i = prefix.end() if prefix is not None else i + 1
            continue
        elif ch == ')':
            atom_group = inside.pop() if len(inside) > 1 else False
            inside[-1] = inside[-1] or atom_group
            i += 1
        elif (quantifier := _quantifier(pattern, i)) is not None:
            low, high, size = quantifier
            repeats = high is None or high > 1
            if repeats and previous_group:
                return True
            if repeats and (high is None or high > low):
                inside[-1] = True
            i += size
        else:
            i += 1
        previous_group = atom_group
    return False
