"""DMN cells in FEEL's simple forms, translated to the Python the sandbox evaluates.

dmn-js and Camunda Modeler write FEEL: input entries are unary tests (`"a","b"`, `< 10`,
`[1..5]`, `not("x")`, `-`), output entries literals (`"yes"`, `10`, `true`). SpiffWorkflow's DMN
engine passes cells to the script engine as Python, where `"a","b"` is a tuple (never equal to
the input), `[1..5]` a syntax error and `true` an unknown name. So each cell is translated here,
at parse time, into a Python expression of `dmninputexpr` (SpiffWorkflow's name for the input's
value); anything outside the supported forms raises FeelError, which lint reports by cell.
The translation only parses text: it is evaluated later in the sandbox, never here.
"""
import re
from .errors import N_

INPUT = 'dmninputexpr'
SUPPORTED = N_('-, un literal ("texto", 10, true, false, null), una lista separada por comas, '
               '< <= > >= seguidos de un literal o una variable, un rango [a..b] (o ]a..b[), '
               'y not(...) de cualquiera de ellos')

_NUMBER = re.compile(r'-?\d+(\.\d+)?$')
_NAME = re.compile(r'[A-Za-z][A-Za-z0-9_]*$')
_COMPARISON = re.compile(r'(<=|>=|<|>|!=|=)\s*(.+)$', re.S)
_RANGE = re.compile(r'([\[\]\(])\s*(.+?)\s*\.\.\s*(.+?)\s*([\[\]\)])$', re.S)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"$', re.S)
_KEYWORDS = {'true': 'True', 'false': 'False', 'null': 'None'}


class FeelError(ValueError):
    """A cell in a FEEL form the engine does not support; the message says which forms are."""


def _string(body: str) -> str:
    """A Python literal for a FEEL string, with quotes and `?` escaped: SpiffWorkflow rewrites
    every `?` it sees outside quotes, and its quote tracking does not know escapes."""
    text = re.sub(r'\\(.)', r'\1', body)
    return "'" + ''.join(f'\\x{ord(c):02x}' if c in '?\'"\\\n\r' else c for c in text) + "'"


def literal(text: str) -> str:
    """A FEEL literal or variable name (an endpoint) as Python; FeelError otherwise."""
    text = text.strip()
    if (match := _STRING.match(text)) is not None:
        return _string(match.group(1))
    if _NUMBER.match(text):
        return text
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if _NAME.match(text):
        return text
    raise FeelError(f'«{text}» no es un literal ni un nombre de variable')


def _split(text: str) -> list[str]:
    """Split on commas outside quotes, brackets and parentheses."""
    parts, depth, quoted, current = [], 0, False, ''
    for index, char in enumerate(text):
        if char == '"' and (index == 0 or text[index - 1] != '\\'):
            quoted = not quoted
        elif not quoted and char in '([':
            depth += 1
        elif not quoted and char in ')]' and depth:
            depth -= 1
        elif not quoted and char == ',' and depth == 0:
            parts.append(current)
            current = ''
            continue
        current += char
    if quoted:
        raise FeelError('una comilla no está cerrada')
    return [*parts, current]


def _test(text: str) -> str:
    text = text.strip()
    if not text:
        raise FeelError('hay un elemento vacío en la lista')
    if (match := _RANGE.match(text)) is not None:
        low, high = literal(match.group(2)), literal(match.group(3))
        left = '<=' if match.group(1) == '[' else '<'
        right = '<=' if match.group(4) == ']' else '<'
        return f'{low} {left} {INPUT} {right} {high}'
    if (match := _COMPARISON.match(text)) is not None:
        operator = {'=': '=='}.get(match.group(1), match.group(1))
        return f'{INPUT} {operator} {literal(match.group(2))}'
    return f'{INPUT} == {literal(text)}'


def input_entry(text: str | None) -> str | None:
    """The Python test for an input cell; None when it matches anything (empty or `-`)."""
    text = (text or '').strip()
    if text in ('', '-'):
        return None
    negated = re.fullmatch(r'not\s*\((.*)\)', text, re.S)
    body = negated.group(1) if negated else text
    tests = [_test(part) for part in _split(body)]
    joined = tests[0] if len(tests) == 1 else ' or '.join(f'({t})' for t in tests)
    return f'not ({joined})' if negated else joined


def output_entry(text: str | None) -> str:
    """The Python expression for an output cell: a FEEL literal translated, `null` when empty,
    any other text kept as an expression (lint checks it compiles in the sandbox)."""
    text = (text or '').strip()
    if not text:
        return 'None'
    try:
        return literal(text)
    except FeelError:
        return text
