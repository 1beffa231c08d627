"""No BPMN id of a shipped diagram is written in app/: process facts are read from the diagram's
extension properties (app/engine/facts.py), so an owner may rename or replace any element.

Every `id` of processes/*.bpmn and *.dmn (flow elements, flows, lanes, messages, processes,
diagram shapes...) and every message name is collected. An id is refused in app/ (.py, .html,
.js, .txt; not the generated bundles) as a string literal equal to it, in any of them. An id that
is a compound name (`send_decision`, `lane_lider`, `Message_client_answer`) is refused also as a
whole word anywhere, comments and docstrings included. An id that is a plain word (`closed`,
`escalation`, `classify`) is refused only as a literal: as a word it is ordinary English in code
(`self.closed`, "escalations").

One id is exempt: `pqrsf`, the product's name (the app's extension key, queue name, Basic realm)
and also the id of the shipped intake process. The code starts the intake process by its
`intake` property, never by that id: tests/oversight/test_renamed_diagram.py runs the intake on a
variant whose process ids are all different.
"""
import ast
import io
import re
import tokenize
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_NAME = {'pqrsf'}
SOURCES = ('.py', '.html', '.js', '.txt')
QUOTED = re.compile(r"""(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1""")


def shipped_ids(folder=ROOT / 'processes') -> set[str]:
    ids = set()
    for path in [*folder.glob('*.bpmn'), *folder.glob('*.dmn')]:
        root = etree.parse(str(path)).getroot()
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            if node.get('id'):
                ids.add(node.get('id'))
            if etree.QName(node).localname == 'message' and node.get('name'):
                ids.add(node.get('name'))
    return ids - PRODUCT_NAME


def is_compound(name: str) -> bool:
    return not re.fullmatch(r'[a-z]+', name)


def app_files(folder=ROOT / 'app'):
    build = folder / 'static' / 'build'
    return sorted(p for p in folder.rglob('*') if p.suffix in SOURCES and p.is_file()
                  and build not in p.parents and 'node_modules' not in p.parts)


def literals(path: Path, text: str) -> list[tuple[int, str]]:
    """(line, value) of each string literal of a file."""
    if path.suffix != '.py':
        return [(n, m.group(2)) for n, line in enumerate(text.splitlines(), 1) for m in QUOTED.finditer(line)]
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING:
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError):  # an f-string: its words are checked below
                continue
            if isinstance(value, str):
                found.append((token.start[0], value))
    return found


def uses_of(ids: set[str], files) -> list[str]:
    compound = sorted((i for i in ids if is_compound(i)), key=len, reverse=True)
    words = re.compile(r'(?<![\w.-])(' + '|'.join(map(re.escape, compound)) + r')(?![\w-])') if compound else None
    found = []
    for path in files:
        text = path.read_text(encoding='utf-8', errors='replace')
        shown = path.relative_to(ROOT) if ROOT in path.parents else path.name
        for line, value in literals(path, text):
            if value in ids:
                found.append(f'{shown}:{line}: literal {value!r}')
        for number, line in enumerate(text.splitlines(), 1):
            for match in (words.finditer(line) if words else ()):
                found.append(f'{shown}:{number}: word {match.group(1)!r}')
    return found


def test_no_shipped_element_id_is_written_in_app():
    ids = shipped_ids()
    assert {'send_decision', 'closed', 'Message_client_answer', 'client_answer'} <= ids
    assert uses_of(ids, app_files()) == []


def test_the_check_finds_an_id_as_a_literal_and_a_compound_id_as_a_word(tmp_path):
    """It would fail: a literal of a plain-word id, a compound id in a comment, in HTML and JS."""
    (tmp_path / 'code.py').write_text(
        "STATES = ('closed',)\n# once send_decision ran\nself.closed = []\nx = f'{a}'\n", encoding='utf-8')
    (tmp_path / 'page.html').write_text('<b data-id="answer_received">ok</b>\n', encoding='utf-8')
    (tmp_path / 'app.js').write_text("registry.get(`classify`);\n", encoding='utf-8')
    found = uses_of(shipped_ids(), app_files(tmp_path))
    assert found == ["app.js:1: literal 'classify'", "code.py:1: literal 'closed'",
                     "code.py:2: word 'send_decision'", "page.html:1: literal 'answer_received'",
                     "page.html:1: word 'answer_received'"]
