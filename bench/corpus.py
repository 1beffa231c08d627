"""Run a folder of public diagrams (Camunda 7, SpiffWorkflow) through the deploy-time linter and
count what it accepts and why it refuses the rest: how far a process owner's existing diagrams
get, and which refusals are most common.

    .venv/bin/python bench/corpus.py /work/corpus [--verbose]

Every `.bpmn` under the folder is linted as a deploy would, but with a form for every form key and
a handler for every topic the file names supplied, so only what the product cannot run (or
cannot yet read) refuses it. Each file is linted with the siblings its call activities call into
(same folder) and with the `.dmn` files holding the decisions it references, when the product
reads DMN documents. Camunda 8 files (zeebe namespace) are counted apart and not linted. A crash
of the linter itself is counted as "crash": it is a bug. The corpus files stay outside the project.
Needs no database and no Flask: the engine's linter is Flask-free.
"""
import argparse
import inspect
import os
import re
import sys
import tempfile
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from app.engine.lint import Linter, errors, read_documents  # noqa: E402
from app.engine.parser import parse_documents  # noqa: E402

BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn'
ZEEBE_NS = b'http://camunda.org/schema/zeebe/'
DMN_NAMESPACES = ('https://www.omg.org/spec/DMN/', 'http://www.omg.org/spec/DMN/')
CRASH = 'crash (a bug of the linter)'
FLOW_NODES = {'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent',
              'boundaryEvent', 'task', 'userTask', 'serviceTask', 'scriptTask', 'manualTask',
              'sendTask', 'receiveTask', 'businessRuleTask', 'callActivity', 'subProcess',
              'transaction', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway',
              'eventBasedGateway', 'complexGateway'}

# Known causes: a pattern searched in the message, with a short English name; any other message
# is grouped by itself with its ids, names and quoted texts stripped (see cause_key). Order matters.
KNOWN_CAUSES = [(re.compile(pattern), name) for pattern, name in (
    ('no tiene formulario', 'user task without form key'),
    ('conexión de salida', 'element without outgoing flow'),
    ('conexión de entrada', 'element without incoming flow'),
    ('camunda:type="external"', 'service task not an external task (Java class, delegate, '
                                'expression or connector)'),
    ('No hay ningún handler', 'unknown handler topic'),
    (r'ejecutable \(isExecutable', 'no executable process'),
    ('La tarea de script no tiene script', 'script task without script'),
    ('El script no se puede ejecutar: no es Python', 'script is not Python (Groovy, JavaScript...)'),
    ('multi-instancia necesita', 'multi-instance without camunda:collection or loopCardinality'),
    ('camunda:collection debe ser', 'multi-instance collection is an expression'),
    ('está reservado por el motor', 'reserved element id'),
    ('llama al proceso', 'call activity target missing'),
    ('no dice qué proceso llama', 'call activity without calledElement'),
    ('ni es la salida por defecto', 'gateway branch without condition or default'),
    ('exactamente una de timeDate', 'timer without timeDate, timeDuration or timeCycle'),
    ('No DMN Diagram available', 'decision (DMN) not available to the business rule task'),
    (r'El id de proceso .* ya está en', 'process id defined in two files'),
)]
EVALUATED = re.compile(r"""no se puede evaluar: (['"])(?P<text>.*?)\1: """)
JUEL = re.compile(r'!(?!=)|&&|\|\||\.equals\(|\b(eq|ne|lt|gt|le|ge|empty|not|and|or)\b|\$\{|#\{')
CRON = re.compile(r'^[\d*/?,LW#-]+( [\d*/?,LW#A-Z-]+){4,6}$')


@dataclass
class Result:
    """What lint said of one diagram (with the documents it was linted with)."""
    path: Path
    documents: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    crash: str | None = None
    dmn_passed: bool = False
    lost: list = field(default_factory=list)   # accepted, yet missing from the engine's spec

    @property
    def accepted(self):
        return self.crash is None and not errors(self.problems)


# ---- what a diagram needs -------------------------------------------------------------------

def parse(content: bytes):
    """The document's root element, or None when it is not XML lint could read anyway."""
    try:
        return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def topics_of(root) -> set:
    """Every external-task topic the diagram names: each gets a handler in this run."""
    return {node.get(f'{{{CAMUNDA_NS}}}topic') for node in root.iter()
            if isinstance(node.tag, str) and node.get(f'{{{CAMUNDA_NS}}}topic')}


def called_processes(root) -> set:
    return {node.get('calledElement') for node in root.iter(f'{{{BPMN_NS}}}callActivity')
            if node.get('calledElement')}


def process_ids(root) -> set:
    return {p.get('id') for p in root.iter(f'{{{BPMN_NS}}}process')}


def decision_refs(root) -> set:
    return {node.get(f'{{{CAMUNDA_NS}}}decisionRef') for node in root.iter(f'{{{BPMN_NS}}}businessRuleTask')
            if node.get(f'{{{CAMUNDA_NS}}}decisionRef')}


def decision_ids(root) -> set:
    return {node.get('id') for node in root.iter() if isinstance(node.tag, str)
            and node.tag.endswith('}decision') and node.tag.startswith(('{http', '{https'))}


def is_dmn(root) -> bool:
    return root is not None and root.tag.startswith(tuple('{' + ns for ns in DMN_NAMESPACES))


# ---- the linter as deploy builds it, with everything supplied --------------------------------

def make_linter(topics: set, deployed=()) -> Linter:
    """A deploy-time linter with a handler for every topic and every form key fine.

    Other work adds arguments to Linter; only those its signature has are given, so the script
    keeps running while it changes (an argument it does not know is left at its default)."""
    supplied = {'topics': topics, 'form_problem': lambda key: None, 'input_problems': None,
                'deployed_process_ids': tuple(deployed)}
    accepted = inspect.signature(Linter).parameters
    return Linter(**{name: value for name, value in supplied.items() if name in accepted})


def dmn_supported() -> bool:
    """Whether the product reads `.dmn` documents: read_documents returns them from a folder."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, 'probe.dmn').write_text('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>')
        try:
            return any(str(name).endswith('.dmn') for name in read_documents([folder]))
        except Exception:  # a reader that refuses the probe does not read DMN
            return False


# ---- one folder, one diagram ------------------------------------------------------------------

class Folder:
    """The diagrams of one folder, read once: what each defines (processes, decisions)."""

    def __init__(self, path: Path, with_dmn: bool, root: Path):
        self.root, self.contents, self.roots = root, {}, {}
        for entry in sorted(path.iterdir()):
            if entry.suffix == '.bpmn' or (with_dmn and entry.suffix == '.dmn'):
                self.contents[entry] = entry.read_bytes()
                self.roots[entry] = parse(self.contents[entry])

    def name(self, path: Path) -> str:
        """The document's name in lint's problems: its path under the corpus folder."""
        return str(path.relative_to(self.root))

    def lint(self, paths, deployed=()) -> tuple[list, bool]:
        """Lint `paths` together, with a handler for every topic they name. Should the linter
        refuse the decision tables as not BPMN (DMN read but not linted yet), it is run again
        without them: the diagram's verdict is then what it would be with no tables.
        Returns (problems, whether the tables were linted)."""
        topics = set().union(*(topics_of(self.roots[p]) for p in paths if self.roots[p] is not None))
        problems = make_linter(topics, deployed).lint({self.name(p): self.contents[p] for p in paths})
        tables = {self.name(p) for p in paths if p.suffix == '.dmn'}
        if any(p.file in tables and 'no es BPMN' in p.message for p in problems):
            return self.lint([p for p in paths if p.suffix != '.dmn'], deployed)[0], False
        return problems, bool(tables)

    def callees(self, path: Path) -> list:
        """The siblings `path` calls into, and those they call in turn."""
        wanted, found, queue = set(), [], [path]
        while queue:
            root = self.roots.get(queue.pop())
            if root is None:
                continue
            wanted |= called_processes(root)
            for sibling, other in self.roots.items():
                if sibling != path and sibling not in found and other is not None \
                        and sibling.suffix == '.bpmn' and process_ids(other) & wanted:
                    found.append(sibling)
                    queue.append(sibling)
        return found

    def tables(self, paths) -> list:
        """The `.dmn` siblings holding the decisions the diagrams in `paths` reference: for each
        decision one file, the one whose name is closest to the first diagram's (a folder of
        tests may hold the same decision id in several tables)."""
        wanted = set().union(*(decision_refs(self.roots[p]) for p in paths if self.roots[p] is not None))
        chosen = []
        for decision in sorted(wanted):
            holders = [p for p, root in self.roots.items() if is_dmn(root) and decision in decision_ids(root)]
            if holders:
                best = min(holders, key=lambda p: (-len(os.path.commonprefix([p.name, paths[0].name])),
                                                   p.name))
                chosen += [best] if best not in chosen else []
        return chosen


def lint_one(path: Path, folder: Folder) -> Result:
    """Lint `path` with the siblings it calls and the decision tables it uses; never raises.

    Its verdict is its own problems (and its tables'); a sibling's are that sibling's verdict.
    When a sibling has errors (lint then skips the final parse), `path` is linted again with
    the siblings' processes taken as deployed, so its own verdict is complete."""
    result = Result(path)
    try:
        callees = folder.callees(path)
        tables = folder.tables([path, *callees])
        result.documents = [path, *callees, *tables]
        problems, result.dmn_passed = folder.lint(result.documents)
        others = {folder.name(p) for p in callees}
        if errors([p for p in problems if p.file in others]):
            deployed = set().union(*(process_ids(folder.roots[p]) for p in callees if folder.roots[p] is not None))
            problems, result.dmn_passed = folder.lint([path, *tables], deployed)
        result.problems = [p for p in problems if p.file not in others]
        if result.accepted:
            result.lost = lost_elements(path, folder, result.documents)
    except Exception as error:  # the linter must never crash on a diagram: counted, reported
        result.crash = f'{type(error).__name__}: {error}'
        result.problems = [traceback.format_exc()]
    return result


def lost_elements(path: Path, folder: Folder, paths) -> list:
    """The flow elements of an accepted diagram's processes that SpiffWorkflow's spec lacks:
    the linter passed something the engine would not run as drawn (a gap to report)."""
    parser, _ = parse_documents({folder.name(p): folder.contents[p] for p in paths})
    lost = []
    for process in folder.roots[path].iter(f'{{{BPMN_NS}}}process'):
        if process.get('isExecutable') == 'true':
            built = parser.get_spec(process.get('id')).task_specs
            lost += [node.get('id') for node in process if isinstance(node.tag, str)
                     and etree.QName(node).localname in FLOW_NODES and node.get('id') not in built]
    return lost


def is_camunda8(path: Path) -> bool:
    with open(path, 'rb') as handle:
        return ZEEBE_NS in handle.read()


def run(root: Path):
    """(results, Camunda 8 files) for every `.bpmn` under `root`, folder by folder."""
    with_dmn = dmn_supported()
    results, camunda8 = [], []
    folders = sorted({p.parent for p in root.rglob('*.bpmn')})
    for directory in folders:
        folder = Folder(directory, with_dmn, root)
        for path in sorted(directory.glob('*.bpmn')):
            if is_camunda8(path):
                camunda8.append(path)
            else:
                results.append(lint_one(path, folder))
    return results, camunda8, with_dmn


# ---- causes and the report -------------------------------------------------------------------

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
LINES = re.compile(r'(?<=línea )\d+|(?<=line )\d+')


def cause_key(message: str) -> str:
    """A refusal's cause without what differs between diagrams (ids, names, texts, lines), so
    the same rule broken in many files is counted as one cause."""
    evaluated = EVALUATED.search(message)
    if evaluated and CRON.match(evaluated['text'].strip()):
        return 'cron timeCycle'
    if evaluated and JUEL.search(evaluated['text']):
        return 'JUEL not translated (! && || .equals eq ...)'
    for pattern, name in KNOWN_CAUSES:
        if pattern.search(message):
            return name
    text = re.sub(r'\{[^}]*\}', '', message)   # XML namespaces in schema messages
    text = LINES.sub('N', QUOTED.sub('‘…’', text))
    text = re.sub(r'\s+', ' ', text).strip()
    return text if len(text) <= 140 else text[:137] + '...'


def tally(results):
    """{severity: Counter(cause -> files)} and {severity: Counter(cause -> problems)}."""
    files, problems = defaultdict(Counter), defaultdict(Counter)
    for result in results:
        if result.crash:
            files['error'][CRASH] += 1
            problems['error'][CRASH] += 1
            continue
        seen = set()
        for problem in result.problems:
            key = (problem.severity, cause_key(problem.message))
            problems[key[0]][key[1]] += 1
            if key not in seen:
                seen.add(key)
                files[key[0]][key[1]] += 1
    return files, problems


def by_source(root, results) -> dict:
    """{top folder: (files, accepted)}: each source of the corpus on its own line."""
    counts = defaultdict(lambda: [0, 0])
    for result in results:
        entry = counts[result.path.relative_to(root).parts[0]]
        entry[0] += 1
        entry[1] += result.accepted
    return {source: tuple(entry) for source, entry in counts.items()}


def sole_causes(results) -> Counter:
    """Refused files whose errors all share one cause, by that cause."""
    sole = Counter()
    for result in (r for r in results if not r.accepted and not r.crash):
        causes = {cause_key(p.message) for p in errors(result.problems)}
        if len(causes) == 1:
            sole[causes.pop()] += 1
    return sole


def report(root, results, camunda8, with_dmn, verbose, out=sys.stdout):
    """Print the counts (and with `verbose`, every file's problems)."""
    def show(text=''):
        print(text, file=out)
    if verbose:
        for result in results:
            show(f'{"ACCEPTED" if result.accepted else "REFUSED "} {result.path.relative_to(root)}'
                 + (f'  (+ {", ".join(p.name for p in result.documents[1:])})' if len(result.documents) > 1 else ''))
            for problem in result.problems:
                show(f'    {problem}')
        show()
    accepted = sum(r.accepted for r in results)
    crashes = sum(bool(r.crash) for r in results)
    show(f'corpus: {root}')
    tables = sum(r.dmn_passed for r in results)
    show('DMN tables: ' + (f'linted with the {tables} diagrams that reference them' if with_dmn
                           else 'not passed (the product does not read .dmn files yet)'))
    show(f'files: {len(results)} (Camunda 7 / BPMN) + {len(camunda8)} Camunda 8 (zeebe, not linted)')
    show(f'accepted: {accepted}')
    show(f'refused: {len(results) - accepted} (of which crashes: {crashes})')
    suspect = [r for r in results if r.lost]
    show(f'accepted but incomplete in the engine (elements missing from the parsed spec): {len(suspect)}')
    for result in suspect:
        show(f'    {result.path.relative_to(root)}: {", ".join(result.lost)}')
    show('by source:')
    for source, (count, good) in sorted(by_source(root, results).items()):
        show(f'  {source}: {count} files, {good} accepted')
    files, problems = tally(results)
    for severity, title in (('error', 'refusals by cause'), ('warning', 'warnings by cause')):
        show(f'\n{title} (files, problems, cause):')
        for cause, count in files[severity].most_common():
            show(f'  {count:4d} {problems[severity][cause]:5d}  {cause}')
        if not files[severity]:
            show('  (none)')
    show('\nfiles refused for one cause only (what fixing that cause alone would accept):')
    for cause, count in sole_causes(results).most_common():
        show(f'  {count:4d}  {cause}')
    if crashes:
        show('\ncrashes:')
        for result in (r for r in results if r.crash):
            show(f'  {result.path.relative_to(root)}: {result.crash}')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('folder', type=Path, help='a folder of .bpmn (and .dmn) files, searched recursively')
    parser.add_argument('--verbose', action='store_true', help="print each file's problems")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f'{args.folder} is not a folder')
    root = args.folder.resolve()
    results, camunda8, with_dmn = run(root)
    report(root, results, camunda8, with_dmn, args.verbose)
    return 1 if any(r.crash for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
