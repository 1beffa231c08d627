"""Which case variables a text of a diagram reads, and which a script writes.

Texts are parsed with `ast` after the engine's own normalization (`expressions.normalize`),
never evaluated. Names the sandbox defines (its builtins, dates, business-day functions) and
names bound inside the text (comprehension variables, lambda arguments, `:=`) are not case data.
A text that does not parse reads nothing here: the other checks report it.
"""
import ast

from ..expressions import iso_literal, looks_iso, normalize

# The names `sandbox/functions.py` defines (its SAFE_BUILTINS, the date types and the business-day
# functions). That module runs in the sandbox's child only, so it is not imported here; a test
# checks that both lists are the same.
PROVIDED = frozenset({
    'len', 'min', 'max', 'sum', 'sorted', 'round', 'str', 'int', 'float', 'bool', 'list', 'dict',
    'set', 'tuple', 'any', 'all', 'range', 'enumerate', 'zip', 'abs',
    'datetime', 'date', 'time', 'timedelta', 'timezone',
    'now', 'add_business_days', 'business_deadline', 'business_days_between', 'is_business_day',
    'parse_date', 'add_months', 'local_date', 'refuse',
})
_SCOPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)


def _bound_inside(scope) -> set[str]:
    """Names a comprehension or lambda binds for its own body."""
    if isinstance(scope, ast.Lambda):
        args = scope.args
        return {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs,
                                *filter(None, [args.vararg, args.kwarg])]}
    return {n.id for g in scope.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}


def _loads(node, bound=frozenset()) -> set[str]:
    """Free names an expression loads (in source order does not matter for an expression)."""
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) and node.id not in bound else set()
    if isinstance(node, _SCOPES):
        bound = bound | _bound_inside(node)
    if isinstance(node, ast.NamedExpr):
        return _loads(node.value, bound)
    found = set()
    for child in ast.iter_child_nodes(node):
        found |= _loads(child, bound)
    return found


def _walrus_targets(node) -> set[str]:
    return {n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr)}


def expression_reads(text: str) -> set[str]:
    """Case variables an expression (a condition, a `${...}` parameter, a timer) reads."""
    if not (text or '').strip() or iso_literal(text) or looks_iso(text):
        return set()
    try:
        tree = ast.parse(normalize(text), mode='eval')
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    return _loads(tree) - _walrus_targets(tree) - PROVIDED


class ScriptNames:
    """What a script reads before writing it, what it writes and what it deletes.

    Statements are followed in order; a name written in any branch counts as written after it
    (a script that only sometimes sets a variable is not this check's business)."""

    def __init__(self, script: str):
        self.reads, self.writes, self.deletes = set(), set(), set()
        try:
            tree = ast.parse(script or '', mode='exec')
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return
        self._block(tree.body)
        self.reads -= PROVIDED

    def _read(self, node):
        if node is not None:
            self.reads |= _loads(node) - self.writes
            self.writes |= _walrus_targets(node)

    def _store(self, target):
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.writes.add(node.id)
                self.deletes.discard(node.id)
            elif isinstance(node, (ast.Subscript, ast.Attribute)):
                self._read(node.value)  # `d['k'] = v` needs `d`
                if isinstance(node, ast.Subscript):
                    self._read(node.slice)

    def _block(self, statements):
        for statement in statements:
            self._statement(statement)

    def _statement(self, node):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            self._read(node.value)
            for target in getattr(node, 'targets', None) or [node.target]:
                self._store(target)
        elif isinstance(node, ast.AugAssign):
            self._read(node.value)
            self._read(ast.Name(node.target.id, ast.Load()) if isinstance(node.target, ast.Name)
                       else node.target)
            self._store(node.target)
        elif isinstance(node, ast.For):
            self._read(node.iter)
            self._store(node.target)
            self._block(node.body + node.orelse)
        elif isinstance(node, (ast.While, ast.If)):
            self._read(node.test)
            self._block(node.body + node.orelse)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self._read(target if not isinstance(target, ast.Name) else None)
                if isinstance(target, ast.Name):
                    self.reads |= {target.id} - self.writes
                    self.writes.discard(target.id)
                    self.deletes.add(target.id)
        else:
            for child in ast.iter_child_nodes(node):
                self._read(child)
