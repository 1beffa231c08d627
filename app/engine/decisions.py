"""DMN decision tables beside the diagrams: telling them apart, reading them, adding them to the
parser with their cells translated from FEEL (see feel.py).

SpiffWorkflow's DMN engine evaluates every input expression, input entry and output entry with
the workflow's script engine (`task.workflow.script_engine.evaluate`), which is our
CaseScriptEngine: table text runs in the sandbox like any other diagram text.
"""
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser
from SpiffWorkflow.dmn.specs.model import InputEntry

from . import feel

BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn'

DMN_NAMESPACES = ('http://www.omg.org/spec/DMN/20151101/dmn.xsd',
                  'http://www.omg.org/spec/DMN/20180521/MODEL/',
                  'https://www.omg.org/spec/DMN/20191111/MODEL/',
                  'https://www.omg.org/spec/DMN/20230324/MODEL/')


def is_dmn(root) -> bool:
    """Whether a parsed document is DMN (its root is dmn:definitions in a known version)."""
    return isinstance(root.tag, str) and root.tag.startswith('{') and \
        root.tag[1:].split('}')[0] in DMN_NAMESPACES and root.tag.endswith('}definitions')


def dmn_ns(root) -> dict:
    return {'dmn': root.tag[1:].split('}')[0]}


def decisions(root) -> list:
    """The decision elements of a DMN document."""
    return root.findall('dmn:decision', dmn_ns(root))


def decision_refs(node) -> set[str]:
    """Every camunda:decisionRef of the business-rule tasks inside a process (or any element)."""
    return {task.get(f'{{{CAMUNDA_NS}}}decisionRef') for task in node.iter(f'{{{BPMN_NS}}}businessRuleTask')
            if task.get(f'{{{CAMUNDA_NS}}}decisionRef')}


class FeelDMNParser(DMNParser):
    """SpiffWorkflow's DMN parser with each cell translated from FEEL to sandbox Python."""

    def _parse_input_output_element(self, decision_table, element, cls, idx):
        entry = super()._parse_input_output_element(decision_table, element, cls, idx)
        if cls is InputEntry:
            try:
                entry.lhs = [feel.input_entry(entry.text)]
            except feel.FeelError:
                # lint refuses such a cell; one stored without lint is left as SpiffWorkflow reads
                # it, so it fails in the sandbox at run time (an incident), not while parsing
                pass
        else:
            entry.text = feel.output_entry(entry.text)
        return entry


def add_dmn(parser, root, filename=None):
    """Add a DMN document to a (Camunda) parser, as its `add_dmn_xml` does but with our cells."""
    namespaces = parser.namespaces.copy()
    namespaces.update(root.nsmap)
    if None in namespaces:
        namespaces['dmn'] = namespaces.pop(None)
    namespaces['dmn'] = dmn_ns(root)['dmn']
    schema = parser.dmn_schemas.get(namespaces['dmn'])
    if parser.validator and schema is not None:
        BpmnValidator(schema).validate(root, filename)
    dmn_parser = FeelDMNParser(parser, root, namespaces, filename=filename)
    parser.dmn_parsers[dmn_parser.bpmn_id] = dmn_parser
    parser.dmn_parsers_by_name[dmn_parser.get_name()] = dmn_parser
