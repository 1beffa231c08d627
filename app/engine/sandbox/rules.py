"""What diagram text may contain: an allow-list of Python syntax, checked on the parsed tree.

Diagram text (scripts, conditions, timer and parameter expressions) is written by a business user
in a browser, so it is untrusted. Instead of trying to block every way out of a Python sandbox,
only the constructs a process needs are allowed: literals, arithmetic, comparisons, names,
calls, subscripts, comprehensions, assignments, `if`, `for` and `while`. Everything else
(imports, function and class definitions, `try`, `with`, `global`, `yield`, `await`...) is
refused, as is any name or attribute starting with `_`, setting or deleting an attribute (the
sandbox's functions and types are shared by the cases one child evaluates), the attributes that
reach frames, code objects or format-string attribute walks, and the builtins that reach the
interpreter. Names that
are not defined at run time (no `__builtins__` but ours) fail with NameError anyway; refusing
them here lets lint name the construct instead.

This module imports only the standard library (and, in the app, the engine's words, to word its
refusals in the page's language): the sandbox's child process loads it on its own.
"""
import ast
from dataclasses import dataclass
from functools import lru_cache

try:  # in the app: sentences as Words (app/engine/words.py), said in the page's language by lint
    from ..words import N_, Words
except ImportError:  # in the sandbox's child, loaded on its own: the Spanish text
    def N_(message):
        return message

    def Words(template, **params):
        return template % params if params else template

ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Interactive,
    # statements
    ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.While, ast.If, ast.Expr, ast.Pass,
    ast.Break, ast.Continue, ast.Delete,
    # expressions
    ast.BoolOp, ast.NamedExpr, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Dict, ast.Set, ast.ListComp,
    ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Compare, ast.Call, ast.FormattedValue,
    ast.JoinedStr, ast.Constant, ast.Attribute, ast.Subscript, ast.Starred, ast.Name, ast.List,
    ast.Tuple, ast.Slice, ast.Lambda,
    # parts
    ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop, ast.comprehension,
    ast.keyword, ast.arguments, ast.arg,
)

# What each refused statement or expression is called in a message (Spanish, shown to owners).
CONSTRUCT_NAMES = {
    ast.Import: 'import', ast.ImportFrom: 'from … import', ast.FunctionDef: 'def',
    ast.AsyncFunctionDef: 'async def', ast.ClassDef: 'class', ast.Return: 'return',
    ast.Global: 'global', ast.Nonlocal: 'nonlocal', ast.With: 'with', ast.AsyncWith: 'async with',
    ast.Raise: 'raise', ast.Try: 'try', ast.Assert: 'assert', ast.Yield: 'yield',
    ast.YieldFrom: 'yield from', ast.Await: 'await', ast.AsyncFor: 'async for',
    ast.Match: 'match',
}

# Builtins that reach the interpreter, its modules or the objects' internals. None of them exists
# in the sandbox; refusing the names lets lint say so (a data variable must be named otherwise).
DENIED_NAMES = frozenset({
    'getattr', 'setattr', 'delattr', 'eval', 'exec', 'compile', 'open', 'globals', 'locals',
    'vars', 'type', 'dir', 'object', 'super', 'input', 'breakpoint', 'help', 'memoryview',
    'classmethod', 'staticmethod', 'exit', 'quit',
})

# Attributes that walk from a value to the interpreter: frames and code of generators and
# coroutines, tracebacks, the method resolution order, and str.format's `{0.attr}` walks.
DENIED_ATTRIBUTES = frozenset({'format', 'format_map', 'mro', 'tb_frame', 'tb_next'})
DENIED_ATTRIBUTE_PREFIXES = ('_', 'gi_', 'f_', 'co_', 'cr_', 'ag_', 'tb_', 'func_', 'im_')

# Parts that only occur inside a refused statement: the statement is reported, not its parts.
_INSIDE_REFUSED = (ast.alias, ast.withitem, ast.excepthandler, ast.match_case, ast.pattern,
                   ast.type_ignore)

MAX_SOURCE_CHARS = 20_000


@dataclass(frozen=True)
class Refusal:
    """Why a text may not run: the line (1-based, within the text) and the construct found."""
    line: int | None
    message: str

    def __str__(self):
        return Words(N_('línea %(line)s: %(message)s'), line=self.line, message=self.message) if self.line \
            else self.message


class Refused(Exception):
    """Diagram text uses a construct the sandbox does not allow."""

    def __init__(self, refusals):
        self.refusals = list(refusals)
        super().__init__('; '.join(str(r) for r in self.refusals))


def _denied_attribute(name: str) -> bool:
    return name in DENIED_ATTRIBUTES or name.startswith(DENIED_ATTRIBUTE_PREFIXES)


def _refusal(node) -> str | None:
    """The message for one node, or None if the node is allowed."""
    if isinstance(node, ast.Name) and (node.id.startswith('_') or node.id in DENIED_NAMES):
        return Words(N_("el nombre '%(name)s' no está permitido"), name=node.id)
    if isinstance(node, ast.Attribute) and _denied_attribute(node.attr):
        return Words(N_("el atributo '.%(name)s' no está permitido"), name=node.attr)
    if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
        # the sandbox's functions and types are shared by every case that process evaluates
        return Words(N_("cambiar atributos ('.%(name)s = …') no está permitido; use variables"), name=node.attr)
    if isinstance(node, ast.arg) and node.arg.startswith('_'):
        return Words(N_("el nombre '%(name)s' no está permitido"), name=node.arg)
    if isinstance(node, ast.keyword) and node.arg and node.arg.startswith('_'):
        return Words(N_("el argumento '%(name)s' no está permitido"), name=node.arg)
    if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
        return Words(N_('los literales bytes no están permitidos'))
    if not isinstance(node, ALLOWED_NODES) and not isinstance(node, _INSIDE_REFUSED):
        construct = CONSTRUCT_NAMES.get(type(node), type(node).__name__)
        return Words(N_("la construcción '%(name)s' no está permitida"), name=construct)
    return None


def refusals(tree: ast.AST) -> list[Refusal]:
    """Every refused construct of a parsed tree, in source order."""
    found = []
    for node in ast.walk(tree):
        message = _refusal(node)
        if message is not None:
            found.append(Refusal(getattr(node, 'lineno', None), message))
    return sorted(set(found), key=lambda r: (r.line or 0, r.message))


@lru_cache(maxsize=2048)
def checked(source: str, mode: str):
    """Compile `source` ('eval' or 'exec') after checking it; raises SyntaxError or Refused.

    The result is cached by text: a diagram's expressions are few and evaluated again and again.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise Refused([Refusal(None, Words(N_('el texto tiene más de %(count)s caracteres'), count=MAX_SOURCE_CHARS))])
    tree = ast.parse(source, '<diagrama>', mode)
    found = refusals(tree)
    if found:
        raise Refused(found)
    return compile(tree, '<diagrama>', mode)


def problems(source: str, mode: str) -> list[str]:
    """What lint reports about a text: its syntax error or every refused construct (else [])."""
    try:
        checked(source, mode)
    except SyntaxError as error:
        return [Words(N_('no es Python válido (línea %(line)s): %(error)s'), line=error.lineno, error=error.msg)]
    except Refused as refused:
        return [r.__str__() for r in refused.refusals]  # Words (a str), for the page's language
    return []
