"""Multi-instance activities in each form the engine runs: Camunda's `camunda:collection` /
`camunda:elementVariable`, BPMN's own `loopDataInputRef` / `inputDataItem`, and
`loopCardinality`, each with an optional `completionCondition` (checked with the other
evaluated texts)."""
from ..parser import BPMN_NS, CAMUNDA_NS, NS
from ..words import N_, Words
from .problems import WARNING, Problem


def loop_problems(name, node) -> list[Problem]:
    multi = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
    if multi is None:
        return []
    nid, line = node.get('id'), multi.sourceline
    collection = multi.get(f'{{{CAMUNDA_NS}}}collection')
    cardinality = multi.find('bpmn:loopCardinality', NS)
    data_input = multi.find('bpmn:loopDataInputRef', NS)
    if collection is None and cardinality is None and data_input is None:
        return [Problem(name, line, nid, Words(N_('La actividad multi-instancia necesita camunda:collection, '
                                                  'loopDataInputRef (con inputDataItem) o loopCardinality.')))]
    if collection is not None or data_input is None:
        return []
    if cardinality is not None:
        return [Problem(name, line, nid, Words(N_('La actividad multi-instancia tiene loopDataInputRef y '
                                                  'loopCardinality: use solo uno (una instancia por elemento '
                                                  'de la lista, o un número fijo de instancias).')))]
    reference = (data_input.text or '').strip()
    if not reference.isidentifier() or reference.startswith('_'):
        return [Problem(name, data_input.sourceline, nid,
                        Words(N_("loopDataInputRef debe ser el nombre de una variable (una lista), no "
                                 "'%(reference)s'."), reference=reference))]
    item = multi.find(f'{{{BPMN_NS}}}inputDataItem')
    if item is None:
        return []
    item_id, item_name = item.get('id') or '', item.get('name')
    if not item_id.isidentifier() or item_id.startswith('_'):
        return [Problem(name, item.sourceline, nid,
                        Words(N_("El id de inputDataItem ('%(item)s') es el nombre de la variable que "
                                 "recibe cada elemento: debe ser un nombre de variable válido."), item=item_id))]
    if item_name and item_name != item_id:
        return [Problem(name, item.sourceline, nid,
                        Words(N_("Cada instancia recibe su elemento en la variable '%(item)s' (el id de "
                                 "inputDataItem), no en '%(name)s': use el mismo texto en los dos."),
                              item=item_id, name=item_name),
                        WARNING)]
    return []
