"""JUEL, the expression language of Camunda 7 (`${...}` / `#{...}`), as the Python the sandbox runs.

Diagrams drawn in Camunda Modeler write conditions in JUEL: `${!approved}`, `${a && b}`,
`${x == true}`, `${empty items}`, `${amount gt 100}`, `${ok ? 'a' : 'b'}`, `${order.amount}` (a
key of a map, as case data is). `translate` rewrites the operators, literals and property reads
token by token (never inside a quoted string, never a part of a longer name, never an attribute
or a keyword argument), so the one text both lint and the engine see is Python. What has no safe Python form (calls into Java beans, `execution.getVariable('x')`,
`list.size()`) is not guessed at: `refusals` names it and the rewrite to use instead.

Only the standard library and `ast` (which parses, never runs) are used here.
"""
import ast
import re
from datetime import date, datetime, timedelta

from .words import N_, Words

_TOKEN = re.compile(r'''
    (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<space>\s+)
  | (?P<op>&&|\|\||==|!=|<=|>=|:=|\*\*|//|->|[-+*/%<>=!?:.,()\[\]{}~^&|@;])
  | (?P<other>.)
''', re.S | re.X)

WORD_LITERALS = {'true': 'True', 'false': 'False', 'null': 'None'}
BINARY_WORDS = {'eq': '==', 'ne': '!=', 'lt': '<', 'gt': '>', 'le': '<=', 'ge': '>=',
                'div': '/', 'mod': '%'}
SYMBOLS = {'&&': 'and', '||': 'or'}
_OPENING, _CLOSING = '([{', ')]}'
MAX_CHARS = 20_000  # the sandbox refuses longer texts anyway
CONTEXT_OBJECTS = ('execution', 'task', 'delegateTask', 'externalTask')
# names whose attributes are not data keys: the sandbox's date types and Camunda's objects
NOT_DATA = frozenset({'datetime', 'date', 'time', 'timedelta', 'timezone', *CONTEXT_OBJECTS,
                      *WORD_LITERALS, *BINARY_WORDS, 'and', 'or', 'not', 'empty', 'in', 'is', 'if', 'else'})
# after an operand, these tokens may follow `not X` without changing what it means
_LOOSER = {'and', 'or', 'if', 'else', ',', ':', ')', ']', '}', '&&', '||', '?'}


def _tokens(text):
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]


def _ends_operand(token) -> bool:
    kind, value = token
    return kind in ('string', 'number') or value in _CLOSING or (
        kind == 'name' and value not in BINARY_WORDS and value not in ('and', 'or', 'not', 'empty'))


def _operand_end(tokens, start) -> int:
    """Index after the operand (a name or literal with its `.attr`, calls and subscripts, or a
    bracketed group) that begins at `start` (a solid token); `start` if there is none."""
    i, n = start, len(tokens)
    if i >= n:
        return start
    kind, value = tokens[i]
    if value in ('!', 'not', 'empty', '-'):  # a unary operator applied to the next operand
        j = _next_solid(tokens, i + 1)
        return _operand_end(tokens, j) if j is not None else start
    if kind in ('name', 'string', 'number'):
        i += 1
    elif value in _OPENING:
        i = _group_end(tokens, i)
    else:
        return start
    while True:  # trailers: .name, (args), [index]
        j = _next_solid(tokens, i)
        if j is None:
            return i
        if tokens[j][1] == '.' and (k := _next_solid(tokens, j + 1)) is not None and tokens[k][0] == 'name':
            i = k + 1
        elif tokens[j][1] in '([' and tokens[j][0] == 'op' and j == i:
            i = _group_end(tokens, j)
        else:
            return i


def _next_solid(tokens, i):
    while i < len(tokens) and tokens[i][0] == 'space':
        i += 1
    return i if i < len(tokens) else None


def _group_end(tokens, i) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        value = tokens[j][1]
        if tokens[j][0] == 'op' and value in _OPENING:
            depth += 1
        elif tokens[j][0] == 'op' and value in _CLOSING:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def _join(parts) -> str:
    """Concatenate pieces, with a space where two words would otherwise run together."""
    out = ''
    for part in parts:
        if out and part and (out[-1].isalnum() or out[-1] in '_)]}\'"') and (part[0].isalnum() or part[0] == '_'):
            out += ' '
        out += part
    return out


def _translate_items(tokens) -> str:
    """Translate a token run: split at top-level commas, translate each item (ternary first)."""
    items, current, depth = [], [], 0
    for token in tokens:
        if token[0] == 'op' and token[1] in _OPENING:
            depth += 1
        elif token[0] == 'op' and token[1] in _CLOSING:
            depth -= 1
        if depth == 0 and token == ('op', ','):
            items.append(current)
            current = []
        else:
            current.append(token)
    items.append(current)
    return ','.join(_translate_conditional(item) for item in items)


def _top_level(tokens, value):
    depth = 0
    for i, token in enumerate(tokens):
        if token[0] == 'op' and token[1] in _OPENING:
            depth += 1
        elif token[0] == 'op' and token[1] in _CLOSING:
            depth -= 1
        elif depth == 0 and token == ('op', value):
            yield i


def _translate_conditional(tokens) -> str:
    """`c ? a : b` (JUEL's lowest precedence, right-associative) -> `(a if c else b)`."""
    marks = list(_top_level(tokens, '?'))
    if not marks:
        return _translate_run(tokens)
    first, depth = marks[0], 0
    for i in range(first + 1, len(tokens)):
        if tokens[i] == ('op', '?'):
            depth += 1
        elif tokens[i] == ('op', ':'):
            if depth == 0:
                condition, then, otherwise = tokens[:first], tokens[first + 1:i], tokens[i + 1:]
                return (f'({_translate_conditional(then).strip()} if '
                        f'{_translate_conditional(condition).strip()} else '
                        f'{_translate_conditional(otherwise).strip()})')
            depth -= 1
    return _translate_run(tokens)  # a `?` without its `:`: left as is, lint reports the syntax


def _properties(tokens, i):
    """JUEL's `order.amount` reads a key of a map, which case data is: the keys read after the
    name at `i` (up to a method call, which stays as written) and the index after them."""
    keys, end = [], i + 1
    while end + 1 < len(tokens) and tokens[end] == ('op', '.') and tokens[end + 1][0] == 'name':
        after = _next_solid(tokens, end + 2)
        if after is not None and tokens[after] == ('op', '(') and after == end + 2:
            break  # `.size()`: a method, for `refusals` to name
        keys.append(tokens[end + 1][1])
        end += 2
    return end, keys


def _translate_run(tokens) -> str:
    """Operators and literals of one item, bracketed groups translated recursively."""
    parts, i, n = [], 0, len(tokens)
    while i < n:
        kind, value = tokens[i]
        previous = next((tokens[j] for j in range(i - 1, -1, -1) if tokens[j][0] != 'space'), None)
        following = _next_solid(tokens, i + 1)
        attribute = previous == ('op', '.')
        if kind == 'op' and value in _OPENING:
            end = _group_end(tokens, i)
            closed = end - 1 > i and tokens[end - 1][0] == 'op' and tokens[end - 1][1] in _CLOSING
            inner = tokens[i + 1:end - 1] if closed else tokens[i + 1:end]
            parts.append(value + _translate_items(inner) + (tokens[end - 1][1] if closed else ''))
            i = end
            continue
        if (kind == 'op' and value == '!') or (kind == 'name' and value == 'empty' and not attribute):
            end = _operand_end(tokens, following) if following is not None else None
            if end is not None and end > following:
                operand = _translate_run(tokens[following:end]).strip()
                after = _next_solid(tokens, end)
                loose = after is None or tokens[after][1] in _LOOSER
                parts.append(f'not {operand}' if loose else f'(not {operand})')
                i = end
                continue
        if kind == 'name' and not attribute and value not in NOT_DATA:
            end, keys = _properties(tokens, i)
            if keys:
                parts.append(value + ''.join(f"['{key}']" for key in keys))
                i = end
                continue
        keyword = following is not None and tokens[following] == ('op', '=')
        if kind == 'op' and value in SYMBOLS:
            parts.append(SYMBOLS[value])
        elif kind == 'name' and not attribute and not keyword and value in WORD_LITERALS:
            parts.append(WORD_LITERALS[value])
        elif kind == 'name' and not attribute and value in BINARY_WORDS and previous is not None \
                and _ends_operand(previous) and following is not None:
            parts.append(BINARY_WORDS[value])
        else:
            parts.append(value)
        i += 1
    return _join(parts)


_JUEL_HINT = re.compile(r'&&|\|\||!(?!=)|\?|[A-Za-z_]\w*\.[A-Za-z_]|\b(?:true|false|null|empty|eq|ne|lt|gt|le|ge|div|mod)\b')


def translate(body: str) -> str:
    """The Python for the body of a `${...}` expression (the wrapper already removed)."""
    if len(body) > MAX_CHARS or not _JUEL_HINT.search(body):
        return body  # nothing of JUEL in it (or too long to run): the text exactly as written
    try:
        return _translate_items(_tokens(body)).strip()
    except RecursionError:  # brackets nested beyond any real condition: Python refuses it too
        return body


# ---- what has no safe translation -------------------------------------------------------------

# Java methods JUEL calls on values, and the Python that does the same.
JAVA_METHODS = {
    'size': 'len({0})', 'length': 'len({0})', 'isEmpty': 'not {0}', 'equals': '{0} == {1}',
    'contains': '{1} in {0}', 'toString': 'str({0})', 'toUpperCase': '{0}.upper()',
    'toLowerCase': '{0}.lower()', 'startsWith': '{0}.startswith({1})',
    'endsWith': '{0}.endswith({1})', 'trim': '{0}.strip()', 'containsKey': '{1} in {0}',
    'equalsIgnoreCase': '{0}.lower() == {1}.lower()', 'intValue': 'int({0})',
    'doubleValue': 'float({0})', 'booleanValue': 'bool({0})',
}
# Methods of the values a case holds (str, numbers, list, dict, set, dates): Python, allowed.
PYTHON_METHODS = frozenset(
    name for kind in (str, int, float, list, dict, set, tuple, datetime, date, timedelta)
    for name in dir(kind) if not name.startswith('_'))


def _source(node, text) -> str:
    return ast.get_source_segment(text, node) or ast.unparse(node)


def _call_refusal(node, text):
    method, target = node.func.attr, node.func.value
    args = [_source(a, text) for a in node.args]
    shown = _source(node, text)
    if isinstance(target, ast.Name) and target.id in CONTEXT_OBJECTS:
        if method == 'getVariable' and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and node.args[0].value.isidentifier():
            return Words(N_('use `%(name)s` en lugar de `%(shown)s` (las variables del caso se nombran '
                            'directamente)'), name=node.args[0].value, shown=shown)
        if method == 'setVariable' and len(args) == 2:
            return Words(N_('`%(shown)s` cambia una variable, y una expresión solo lee: asigne '
                            '`%(name)s = %(value)s` en una tarea de script'), shown=shown,
                         name=node.args[0].value if isinstance(node.args[0], ast.Constant) else args[0],
                         value=args[1])
        return Words(N_('`%(shown)s`: el objeto `%(object)s` de Camunda no existe aquí; use las variables '
                        'del caso por su nombre, o calcule el valor en una tarea de script'),
                     shown=shown, object=target.id)
    if method in JAVA_METHODS:
        rewrite = JAVA_METHODS[method].format(_source(target, text), *args, *[''] * 2)
        return Words(N_('use `%(rewrite)s` en lugar de `%(shown)s` (`.%(method)s()` es un método de Java)'),
                     rewrite=rewrite, shown=shown, method=method)
    if method not in PYTHON_METHODS:
        return Words(N_('`%(shown)s` llama un método de Java (un bean o servicio de Camunda), que aquí no '
                        'existe: calcule el valor en una tarea de script (Python) o en una tarea de servicio '
                        '(camunda:type="external" con un camunda:topic) y use aquí la variable que deja'),
                     shown=shown)
    return None


def refusals(python: str) -> list[str]:
    """What a translated `${...}` expression does that has no Python equivalent here, each with the
    rewrite to use; [] if nothing (syntax errors are the sandbox check's to report)."""
    try:  # parsed, never evaluated
        tree = ast.parse(python, mode='eval')
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        if ('op', '?') in _tokens(python):
            return [Words(N_('el condicional de JUEL `c ? a : b` está incompleto (falta `:`); '
                             'escríbalo completo, o en Python: `a if c else b`'))]
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            message = _call_refusal(node, python)
            if message:
                found.append(message)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in CONTEXT_OBJECTS and not any(
                    isinstance(call, ast.Call) and call.func is node for call in ast.walk(tree)):
            found.append(Words(N_('`%(shown)s`: el objeto `%(object)s` de Camunda no existe aquí; use las '
                                  'variables del caso por su nombre'),
                               shown=_source(node, python), object=node.value.id))
    return found
