"""The shipped diagrams as the benches run them: the same procedure, except that the survey,
which the diagram sends 5 business days after closing (seed 004 §5.4), goes out at once, so that
a full case ends within a run instead of a week later. Everything else, timers included, is
left as shipped; the copy lives in a temporary folder, never in `processes/`."""
import re
import shutil
import tempfile
from pathlib import Path

from scratch import ROOT

SURVEY_WAIT = re.compile(
    r'(<bpmn:intermediateCatchEvent id="survey_wait"[^>]*>)<bpmn:extensionElements>.*?</bpmn:extensionElements>'
    r'(.*?<bpmn:timeDuration[^>]*>)P5D(</bpmn:timeDuration>)', re.DOTALL)


def fast_forward_processes() -> Path:
    """A folder with the shipped diagrams and tables, the survey wait at zero."""
    folder = Path(tempfile.mkdtemp(prefix='pqrsf-bench-processes-'))
    for path in (ROOT / 'processes').iterdir():
        if path.suffix == '.dmn':
            shutil.copy(path, folder / path.name)
        elif path.suffix == '.bpmn':
            text, changed = SURVEY_WAIT.subn(r'\1\2PT0S\3', path.read_text(encoding='utf-8'))
            if path.name == 'pqrsf.bpmn' and changed != 1:
                raise SystemExit('bench: the survey wait of pqrsf.bpmn is not where the bench expects it')
            (folder / path.name).write_text(text, encoding='utf-8')
    return folder
