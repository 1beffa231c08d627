"""The shape the style guide asks of the code: at most six modules directly under app/, no
module over 400 lines, no function over 60 unless its docstring says why it is long."""
import ast

from tests.support.flow import ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SOURCES = [*(ROOT / 'app').rglob('*.py'), *(ROOT / 'handlers').rglob('*.py')]


def _functions(path):
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_at_most_six_modules_directly_under_app():
    assert len(list((ROOT / 'app').glob('*.py'))) <= 6


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in SOURCES
            if (n := len(p.read_text(encoding='utf-8').splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_a_function_over_60_lines_says_why_in_its_docstring():
    """'Why' is a sentence of its docstring that names its length (e.g. 'longer than 60 lines
    on purpose: …')."""
    unexplained = []
    for path in SOURCES:
        for node in _functions(path):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and '60 lines' not in (ast.get_docstring(node) or ''):
                unexplained.append(f'{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})')
    assert unexplained == []
