"""form-js `conditional.hide` expressions: a small FEEL subset, parsed and evaluated here.

A form file is data written by process owners, so its expressions are never handed to Python's
eval: this module tokenizes and parses them itself into a tree of plain lists, which the server
evaluates (`hidden`) and the page's script evaluates the same way (`as_json`), so both always
agree. The subset: names (`a`, `a.b`), strings, numbers, true/false/null, `=`, `!=`, `<`, `<=`,
`>`, `>=`, `and`, `or`, `not(...)`, parentheses, and `x is empty` (null, "" or an empty list).
`not`, `and` and `or` read their operands by truthiness, so `not(x)` hides while x is unset.
"""
import json
import re

from app.platform.i18n import N_, Words

_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"(?:[^"\\]|\\.)*")|'
                    r'(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|!=|[=<>().]))')
_KEYWORDS = {'true': True, 'false': False, 'null': None}
_COMPARE = ('=', '!=', '<', '<=', '>', '>=')
MAX_LENGTH = 500


class ConditionError(ValueError):
    """An expression outside the subset; the message (Spanish) says where."""


def _tokens(text):
    out, at = [], 0
    while at < len(text):
        if text[at:].strip() == '':
            break
        match = _TOKEN.match(text, at)
        if not match:
            raise ConditionError(Words(N_('no se entiende lo que sigue a la posición %(at)s: «%(rest)s»'),
                                       at=at + 1, rest=text[at:].strip()[:20]))
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        at = match.end()
    return out


class _Parser:
    def __init__(self, text):
        self.tokens, self.at = _tokens(text), 0

    def peek(self, value=None):
        token = self.tokens[self.at] if self.at < len(self.tokens) else (None, None)
        return token if value is None or token[1] == value else None

    def take(self, value=None):
        token = self.peek()
        if token[0] is None or (value is not None and token[1] != value):
            raise ConditionError(Words(N_('se esperaba «%(value)s»'), value=value) if value
                                 else Words(N_('la expresión termina antes de tiempo')))
        self.at += 1
        return token

    def parse(self):
        tree = self.either()
        if self.peek()[0] is not None:
            raise ConditionError(Words(N_('sobra «%(value)s»'), value=self.peek()[1]))
        return tree

    def either(self):
        tree = self.both()
        while self.peek('or'):
            self.take()
            tree = ['or', tree, self.both()]
        return tree

    def both(self):
        tree = self.comparison()
        while self.peek('and'):
            self.take()
            tree = ['and', tree, self.comparison()]
        return tree

    def comparison(self):
        tree = self.unary()
        if self.peek()[0] == 'op' and self.peek()[1] in _COMPARE:
            return ['cmp', self.take()[1], tree, self.unary()]
        if self.peek('is'):
            self.take()
            self.take('empty')
            return ['empty', tree]
        return tree

    def unary(self):
        if self.peek('not'):
            self.take()
            self.take('(')
            tree = self.either()
            self.take(')')
            return ['not', tree]
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == 'num':
            return ['lit', float(value) if '.' in value else int(value)]
        if kind == 'str':
            return ['lit', json.loads(value)]
        if kind == 'name' and value in _KEYWORDS:
            return ['lit', _KEYWORDS[value]]
        if kind == 'name' and value not in ('and', 'or', 'is', 'empty'):
            path = [value]
            while self.peek('.'):
                self.take()
                path.append(self.take()[1])
            return ['name', path]
        if value == '(':
            tree = self.either()
            self.take(')')
            return tree
        raise ConditionError(Words(N_('no se esperaba «%(value)s»'), value=value))


def parse(expression: str) -> list:
    """The tree of a `hide` expression (with or without its leading '='); ConditionError if it
    is outside the subset."""
    if not isinstance(expression, str):
        raise ConditionError(Words(N_('debe ser un texto')))
    text = expression.strip()
    text = text[1:] if text.startswith('=') else text
    if not text.strip():
        raise ConditionError(Words(N_('está vacía')))
    if len(text) > MAX_LENGTH:
        raise ConditionError(Words(N_('tiene más de %(n)s caracteres'), n=MAX_LENGTH))
    return _Parser(text).parse()


def _truthy(value) -> bool:
    return value not in (None, False, '', 0, [], {})


def _compare(op, left, right):
    if op in ('=', '!='):
        return (left == right) == (op == '=')
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if not (numbers or (isinstance(left, str) and isinstance(right, str))):
        return None  # FEEL: an ordering of unlike values is null
    return {'<': left < right, '<=': left <= right, '>': left > right, '>=': left >= right}[op]


def evaluate(tree, data: dict):
    """The value of a parsed tree with `data` (a missing name is null)."""
    kind = tree[0]
    if kind == 'lit':
        return tree[1]
    if kind == 'name':
        value = data
        for part in tree[1]:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if kind == 'not':
        return not _truthy(evaluate(tree[1], data))
    if kind == 'and':
        return _truthy(evaluate(tree[1], data)) and _truthy(evaluate(tree[2], data))
    if kind == 'or':
        return _truthy(evaluate(tree[1], data)) or _truthy(evaluate(tree[2], data))
    if kind == 'empty':
        return evaluate(tree[1], data) in (None, '', [])
    return _compare(tree[1], evaluate(tree[2], data), evaluate(tree[3], data))


def hide_expression(component: dict) -> str | None:
    """The component's `conditional.hide` text, if it has one."""
    conditional = component.get('conditional')
    return conditional.get('hide') if isinstance(conditional, dict) else None


def condition_problem(component: dict) -> str | None:
    """Why the component's condition cannot be used, or None (a form is refused for it)."""
    if 'conditional' not in component:
        return None
    if not isinstance(component['conditional'], dict):
        return Words(N_("'conditional' debe ser un objeto con 'hide'."))
    expression = hide_expression(component)
    if expression is None:
        return None
    try:
        parse(expression)
    except ConditionError as error:
        return Words(N_('la condición «%(expression)s» no se puede usar: %(error)s.'), expression=expression,
                     error=error.args[0] if error.args else str(error))
    return None


def hidden(component: dict, data: dict) -> bool:
    """Whether the component is hidden given the form's current (typed) values."""
    expression = hide_expression(component)
    return expression is not None and _truthy(evaluate(parse(expression), data))


def as_json(component: dict) -> str | None:
    """The parsed condition for the page's script (data-hide), or None."""
    expression = hide_expression(component)
    return None if expression is None else json.dumps(parse(expression), separators=(',', ':'))
