"""A reusable process takes what it needs from each call (`camunda:inputParameter` on the call
activity, e.g. which message template to send). A handler's own checks of its literal inputs
(lint/elements.py) would see only `${message_template}` inside that process; here each call's
literal values are put in its place, so a call naming a template that does not exist is refused
at deploy, on the call activity that names it."""
import re

from ..parser import BPMN_NS, CAMUNDA_NS
from ..words import N_, Words
from .problems import Problem

_BARE = re.compile(r'^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$')
_PARAMS = f'{{{BPMN_NS}}}extensionElements/{{{CAMUNDA_NS}}}inputOutput/{{{CAMUNDA_NS}}}inputParameter'


def _literals(node) -> dict:
    """name -> literal text of an element's input parameters (None for expressions and maps)."""
    found = {}
    for param in node.findall(_PARAMS):
        text = (param.text or '').strip()
        found[param.get('name')] = None if len(param) or text.startswith(('${', '#{')) else text
    return found


def call_input_problems(trees: dict, input_problems) -> list[Problem]:
    processes = {p.get('id'): p for tree in trees.values() for p in tree.getroot().iter(f'{{{BPMN_NS}}}process')}
    problems = []
    for name, tree in trees.items():
        for call in tree.getroot().iter(f'{{{BPMN_NS}}}callActivity'):
            given = {k: v for k, v in _literals(call).items() if v is not None}
            called = processes.get(call.get('calledElement'))
            if not given or called is None:
                continue
            for task in called.iter(f'{{{BPMN_NS}}}serviceTask', f'{{{BPMN_NS}}}sendTask'):
                topic = task.get(f'{{{CAMUNDA_NS}}}topic')
                inputs, passed = {}, False
                for param in task.findall(_PARAMS):
                    bare = _BARE.match((param.text or '').strip()) if not len(param) else None
                    if bare and bare.group(1) in given:
                        inputs[param.get('name')], passed = given[bare.group(1)], True
                    else:
                        inputs[param.get('name')] = _literals(task).get(param.get('name'))
                if topic and passed:
                    problems += [Problem(name, call.sourceline, call.get('id'), Words(
                                         N_('%(called)s recibe de esta llamada: %(message)s'),
                                         called=called.get('id'), message=message))
                                 for message in input_problems(topic, inputs)]
    return list(dict.fromkeys(problems))  # two tasks of the called process may say the same
