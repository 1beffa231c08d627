"""Warnings (never errors) for texts people see that lack their English: the names of a
diagram's elements without a `name_en` property (engine/facts.py), and the texts of the forms
its user tasks open without their `_en` versions (the app says which, `form_untranslated`).
A deploy goes on; the English pages show the Spanish text where the English one is missing."""
from ..facts import NAME, properties_of
from ..parser import BPMN_NS, CAMUNDA_NS
from ..words import N_, Words, listed
from .problems import WARNING, Problem

# the elements whose name people see (task list, history, path): flow nodes and lanes, not flows
SHOWN = {'userTask', 'manualTask', 'task', 'serviceTask', 'sendTask', 'receiveTask', 'scriptTask',
         'businessRuleTask', 'callActivity', 'subProcess', 'startEvent', 'endEvent',
         'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent', 'exclusiveGateway',
         'inclusiveGateway', 'parallelGateway', 'eventBasedGateway', 'lane'}
_MAX_LISTED = 12


def _listed(items):
    return listed(items, _MAX_LISTED)


def untranslated_elements(tree, language: str = 'en') -> list[str]:
    """Ids of the named elements people see that declare no `name_<language>`."""
    found = []
    for node in tree.getroot().iter():
        if not isinstance(node.tag, str) or not node.tag.startswith(f'{{{BPMN_NS}}}'):
            continue
        if node.tag.split('}')[1] in SHOWN and (node.get('name') or '').strip():
            if not (properties_of(node).get(f'{NAME}_{language}') or '').strip():
                found.append(node.get('id'))
    return found


def language_problems(name, tree, languages=(), form_untranslated=None) -> list[Problem]:
    """The warnings for `languages` (the app's other languages; none: no check, as for a
    linter built without them)."""
    problems = []
    for language in languages:
        missing = untranslated_elements(tree, language)
        if missing:
            problems.append(Problem(name, None, None, Words(
                N_("Elementos sin nombre en '%(language)s' (propiedad 'name_%(language)s'): %(missing)s; "
                   "las páginas en ese idioma muestran el nombre en español."),
                language=language, missing=_listed(missing)), WARNING))
    if form_untranslated is None or not languages:
        return problems
    keys = sorted({node.get(f'{{{CAMUNDA_NS}}}formKey') for node in tree.getroot().iter(f'{{{BPMN_NS}}}userTask')}
                  - {None, ''})
    for key in keys:
        for language in languages:
            missing = form_untranslated(key, language) or []
            if missing:
                problems.append(Problem(name, None, None, Words(
                    N_("El formulario '%(form)s' tiene textos sin su versión '%(language)s' "
                       "(p. ej. 'label_%(language)s'): %(missing)s."),
                    form=key, language=language, missing=_listed(missing)), WARNING))
    return problems
