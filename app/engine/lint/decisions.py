"""Lint of DMN decision tables and of the business-rule tasks that use them.

A table's cells are FEEL (see ../feel.py): each input entry must be one of the supported unary
tests, and every text the engine will evaluate (input expressions, translated entries, output
entries) must compile in the sandbox. Each problem names the file, the line, the decision or
rule id, and the table, rule number and column.
"""
import re

from .. import feel
from ..decisions import decision_refs, decisions, dmn_ns, is_dmn
from ..expressions import expression_problems
from ..parser import BPMN_NS, CAMUNDA_NS, read_xml
from ..words import N_, Words
from .problems import WARNING, Problem
from .camunda import found_implementation

HIT_POLICIES = {'UNIQUE', 'FIRST', 'ANY', 'COLLECT'}
_OUTPUT_NAME = re.compile(r'[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$')


def split_tables(trees: dict) -> dict:
    """The DMN documents among parsed ones."""
    return {name: tree for name, tree in trees.items() if is_dmn(tree.getroot())}


def decision_ids(tables: dict) -> set[str]:
    return {d.get('id') for tree in tables.values() for d in decisions(tree.getroot())}


def decision_outputs(tables: dict, deployed: dict) -> dict[str, frozenset]:
    """decision id -> the names its outputs write, for the data-flow lint (deployed ones too)."""
    roots = [t.getroot() for t in tables.values()] + [read_xml(xml).getroot() for xml in deployed.values()]
    found = {}
    for root in roots:
        ns = dmn_ns(root)
        for decision in decisions(root):
            names = [o.get('name') for o in decision.findall('dmn:decisionTable/dmn:output', ns)]
            found.setdefault(decision.get('id'), frozenset(n for n in names if n))
    return found


def table_problems(name, tree) -> list[Problem]:
    """Everything wrong with one DMN file."""
    root = tree.getroot()
    found = decisions(root)
    if len(found) != 1:
        return [Problem(name, root.sourceline, root.get('id'),
                        Words(N_('El archivo DMN debe tener exactamente una decisión (tiene '
                                 '%(count)s); ponga cada tabla de decisión en su propio archivo.'),
                              count=len(found)))]
    decision, ns = found[0], dmn_ns(root)
    table = decision.find('dmn:decisionTable', ns)
    if table is None:
        return [Problem(name, decision.sourceline, decision.get('id'),
                        Words(N_('La decisión no tiene tabla de decisión (decisionTable).')))]
    label = Words(N_("Tabla '%(table)s'"), table=decision.get('name') or decision.get('id'))
    problems = _table_shape(name, decision, table, label)
    inputs = table.findall('dmn:input', ns)
    outputs = table.findall('dmn:output', ns)
    problems += _column_problems(name, decision, inputs, outputs, ns, label)
    for number, rule in enumerate(table.findall('dmn:rule', ns), start=1):
        problems += _rule_problems(name, rule, number, inputs, outputs, ns, label)
    return problems


def _table_shape(name, decision, table, label):
    policy = (table.get('hitPolicy') or 'UNIQUE').upper()
    if policy not in HIT_POLICIES:
        return [Problem(name, table.sourceline, decision.get('id'),
                        Words(N_('%(where)s: la política de aciertos %(policy)s no está soportada '
                                 '(use UNIQUE, FIRST, ANY o COLLECT).'), where=label, policy=policy))]
    if table.get('aggregation'):
        return [Problem(name, table.sourceline, decision.get('id'),
                        Words(N_('%(where)s: COLLECT con agregación (%(aggregation)s) no está '
                                 'soportado; quite la agregación y sume en una expresión del proceso.'),
                              where=label, aggregation=table.get('aggregation')))]
    return []


def _column(element, kind):
    template = N_("columna de entrada '%(column)s'") if kind == 'input' else N_("columna de salida '%(column)s'")
    return Words(template, column=element.get('label') or element.get('name') or element.get('id'))


def _column_problems(name, decision, inputs, outputs, ns, label):
    problems, did = [], decision.get('id')
    for column in inputs:
        where = (label, _column(column, 'input'))  # shown 'Tabla 'x', columna de entrada 'y''
        text = column.find('dmn:inputExpression/dmn:text', ns)
        expression = (text.text or '').strip() if text is not None else ''
        if not expression:
            problems.append(Problem(name, column.sourceline, did, Words(
                N_('%(where)s: falta la expresión de entrada (qué dato se evalúa).'), where=where)))
            continue
        problems += [Problem(name, text.sourceline, did, Words(
                             N_('%(where)s: la expresión %(expression)s no se puede evaluar: %(problem)s'),
                             where=where, expression=repr(expression), problem=m))
                     for m in expression_problems(expression)]
    for column in outputs:
        output_name = column.get('name') or ''
        if not _OUTPUT_NAME.match(output_name):
            problems.append(Problem(name, column.sourceline, did, Words(
                N_('%(where)s: el nombre de salida %(output)s debe ser un nombre de variable (letras, '
                   'números y _, sin empezar por _): es donde queda el resultado.'),
                where=(label, _column(column, 'output')), output=repr(output_name))))
    return problems


def _rule_problems(name, rule, number, inputs, outputs, ns, label):
    rid, line = rule.get('id'), rule.sourceline
    entries = rule.findall('dmn:inputEntry', ns)
    results = rule.findall('dmn:outputEntry', ns)
    where = (label, Words(N_('regla %(number)s'), number=number))
    if len(entries) != len(inputs) or len(results) != len(outputs):
        return [Problem(name, line, rid, Words(
            N_('%(where)s: tiene %(entries)s entradas y %(results)s salidas; la tabla tiene '
               '%(inputs)s y %(outputs)s.'), where=where, entries=len(entries), results=len(results),
            inputs=len(inputs), outputs=len(outputs)))]
    problems = []
    for entry, column in zip(entries, inputs):
        text = entry.findtext('dmn:text', '', ns)
        cell = where + (_column(column, 'input'),)
        try:
            test = feel.input_entry(text)
        except feel.FeelError as error:
            problems.append(Problem(name, entry.sourceline, rid, Words(
                N_('%(where)s: «%(text)s» no está soportado (%(error)s); se admite: %(supported)s.'),
                where=cell, text=text.strip(), error=str(error).replace(f'«{text.strip()}» ', ''),
                supported=Words(feel.SUPPORTED))))
            continue
        problems += [Problem(name, entry.sourceline, rid, Words(
                             N_('%(where)s: «%(text)s»: %(problem)s'), where=cell, text=text.strip(), problem=m))
                     for m in (expression_problems(test) if test else [])]
    for entry, column in zip(results, outputs):
        text = entry.findtext('dmn:text', '', ns)
        problems += [Problem(name, entry.sourceline, rid, Words(
                             N_('%(where)s: «%(text)s» no se puede evaluar: %(problem)s'),
                             where=where + (_column(column, 'output'),), text=text.strip(), problem=m))
                     for m in expression_problems(feel.output_entry(text))]
    return problems


def business_rule_problems(name, tree, known_decisions: set) -> list[Problem]:
    """Each business-rule task names a decision that exists (here or deployed)."""
    problems = []
    for task in tree.getroot().iter(f'{{{BPMN_NS}}}businessRuleTask'):
        tid, line = task.get('id'), task.sourceline
        ref = task.get(f'{{{CAMUNDA_NS}}}decisionRef')
        if not ref and found_implementation(task) is not None:
            continue  # a Java implementation instead of a table: lint/camunda.py names it
        if not ref:
            problems.append(Problem(name, line, tid, Words(N_(
                'La tarea de regla de negocio no dice qué tabla de decisión evalúa (camunda:decisionRef).'))))
        elif ref not in known_decisions:
            known = ', '.join(sorted(known_decisions)) or Words(N_('ninguna'))
            problems.append(Problem(name, line, tid, Words(
                N_("La tabla de decisión '%(ref)s' no está ni en estos archivos ni desplegada "
                   "(conocidas: %(known)s)."), ref=ref, known=known)))
        if task.get(f'{{{CAMUNDA_NS}}}decisionRefBinding') or task.get(f'{{{CAMUNDA_NS}}}decisionRefVersion'):
            problems.append(Problem(name, line, tid, Words(N_(
                'camunda:decisionRefBinding/decisionRefVersion se ignoran: cada versión del proceso '
                'usa las tablas vigentes cuando se desplegó.')), WARNING))
        if task.get(f'{{{CAMUNDA_NS}}}resultVariable'):
            problems.append(Problem(name, line, tid, Words(N_(
                'camunda:resultVariable se ignora: cada salida de la tabla queda en los datos del '
                'caso con su nombre de columna.')), WARNING))
    return problems


def lint_tables(trees: dict, deployed: dict) -> tuple[list[Problem], dict]:
    """(problems of every DMN file and business-rule task, the BPMN trees left to lint, what
    each decision writes)."""
    tables = split_tables(trees)
    problems = [p for name, tree in tables.items() for p in table_problems(name, tree)]
    known = decision_ids(tables) | set(deployed)
    diagrams = {n: t for n, t in trees.items() if n not in tables}
    for name, tree in diagrams.items():
        problems += business_rule_problems(name, tree, known)
    return problems, diagrams, decision_outputs(tables, deployed)


def with_deployed(documents: dict, deployed: dict) -> dict:
    """`documents` after the deployed tables (decision id -> DMN XML), so the final parse can
    resolve a decisionRef to a deployed table; a table in `documents` is added later and wins."""
    return {**{f'desplegada:{did}.dmn': xml for did, xml in deployed.items()}, **documents}
