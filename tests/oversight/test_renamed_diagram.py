"""A variant of the shipped diagrams with every id renamed (elements, flows, lanes, messages,
processes, shapes) and every reference rewritten gives the same public timeline and the same
indicators as the original on the same cases: what the code reads is what the elements declare
(`camunda:properties`), never their ids.

Both runs (one per parameter, each on its own fresh database) drive the same two cases with
the same clock and must give exactly the expected timeline and indicators written here. The
cases are driven by form key and form data, which the renaming keeps."""
import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from sqlalchemy import select

from app.cases import service as pqrsf
from app.cases.summary import public_timeline
from app.engine.models import HumanTask
from app.oversight import indicators
from app.platform.engines import calendar
from app.platform.extensions import db
from app.processes.deploy import deploy_paths
from tests.support import flow
from tests.support.pqrsf import CLIENT, TWO_ACTIONS, action_owners, emails, token_in, travel_to

BOGOTA = ZoneInfo('America/Bogota')
REFERENCES = ('sourceRef', 'targetRef', 'default', 'attachedToRef', 'messageRef', 'signalRef', 'errorRef',
              'bpmnElement', 'processRef', 'calledElement')
TEXT_REFERENCES = ('incoming', 'outgoing', 'flowNodeRef')


def renamed_copy(folder):
    """The shipped diagrams with each id `x` replaced by an unrelated `el_<hash>`, written to
    `folder`; returns the mapping old -> new."""
    trees = {p.name: etree.parse(str(p)) for p in sorted((flow.ROOT / 'processes').glob('*.bpmn'))}
    nodes = [n for tree in trees.values() for n in tree.iter() if isinstance(n.tag, str)]
    new = {n.get('id'): 'el_' + hashlib.sha1(n.get('id').encode()).hexdigest()[:10]
           for n in nodes if n.get('id')}
    for node in nodes:
        for attribute in ('id', *REFERENCES):
            if node.get(attribute) in new:
                node.set(attribute, new[node.get(attribute)])
        if etree.QName(node).localname in TEXT_REFERENCES and (node.text or '').strip() in new:
            node.text = new[node.text.strip()]
    for name, tree in trees.items():
        tree.write(str(folder / name), xml_declaration=True, encoding='UTF-8')
    for table in (flow.ROOT / 'processes').glob('*.dmn'):  # decision tables: referenced by their own ids
        (folder / table.name).write_bytes(table.read_bytes())
    return new


def do(app, case_id, form_key, data, actor='lider1'):
    """Complete every open task of the case with this form (all of them: one per action)."""
    rows = flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open', HumanTask.form_key == form_key)).all())
    assert rows, f'no open task with form {form_key} in case {case_id}: {flow.open_tasks(case_id)}'
    for row in rows:
        flow.engine().complete_task(row.id, data, row.assignee or actor)
    flow.work(app)


CLASSIFIED = {'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa', 'investigation_level': 'intermedio',
                  'responsible_area': 'operaciones', 'needs_information': False}
OPPORTUNITY = {'affected_process': 'Transporte', 'om_kind': 'mejora', 'om_description': 'Retrasos sin aviso.'}
PLAN = {'analysis_method': '5_porques', 'root_causes': 'No hay aviso de retrasos.', 'actions': TWO_ACTIONS}
DONE = {'action_done': True, 'action_evidence': 'Hecho.'}
CLOSED = {'actions_effective': True, 'closing_notes': 'Cerrado.'}


def register(app):
    case, _ = pqrsf.register(dict(CLIENT), 'colaborador1')
    flow.work(app)
    return case.id


def answered_on_time(app):
    """Information asked and sent, actions done the same day, decision accepted, closed."""
    case_id = register(app)
    do(app, case_id, 'clasificacion', {**CLASSIFIED, 'needs_information': True,
                                       'information_request': 'Envíenos el número de la guía.'})
    request = emails(case_id, 'information_request')[0]
    pqrsf.information_from_link(token=token_in(request.body, 'information'), data={'text': 'Guía 7788-22'})
    flow.work(app)
    do(app, case_id, 'clasificacion', CLASSIFIED)
    do(app, case_id, 'gi_ft_03_registro_om', OPPORTUNITY)
    do(app, case_id, 'gi_ft_04_analisis_om', PLAN)
    do(app, case_id, 'seguimiento_accion', DONE)
    do(app, case_id, 'verificacion_eficacia', {'effective': True, 'effectiveness_notes': 'Bien.',
                                               'decision': 'Le reconocemos el flete.'})
    pqrsf.answer_decision(case_id, 'accept', 'Gracias', 'lider1')
    flow.work(app)
    do(app, case_id, 'ser_ft_02_cierre', CLOSED)
    return case_id


def escalated_twice(app, case_id):
    """Unresolved: the escalation beside the plan, a non-conformity, the level-2 decision that
    closes the analysis, which the client rejects, the rejection escalation resolved at level 1,
    the final decision, closed."""
    travel_to(app, datetime(2027, 2, 8, 23, 0))  # the update due on 4 February
    travel_to(app, datetime(2027, 2, 9, 0, 1))  # 5 business days without a resolution: escalated
    travel_to(app, datetime(2027, 2, 12, 0, 5))  # level 1 did nothing in 2 business days; update of 9 Feb
    travel_to(app, datetime(2027, 2, 16, 0, 1))  # past the 10th business day (15 Feb); update of 12 Feb
    do(app, case_id, 'escalamiento_nivel_2', {'escalation_action': 'resolve',
                                              'decision': 'Le reconocemos el flete completo.'}, 'director1')
    pqrsf.answer_decision(case_id, 'reject', 'No es suficiente', 'lider1')
    flow.work(app)
    do(app, case_id, 'escalamiento_nivel_1', {'escalation_action': 'resolve',
                                              'decision': 'Le reconocemos también el seguro.'}, 'gerente1')
    do(app, case_id, 'ser_ft_02_cierre', CLOSED)


ON_TIME = [
    'Recibimos su solicitud.', 'Le enviamos el acuse de recibo.', 'Su caso está en análisis.',
    'Esperamos la información que le pedimos; mientras tanto el plazo está detenido.',
    'Le pedimos información adicional.', 'Recibimos la información que envió.',
    'El plazo de respuesta corre de nuevo con los días hábiles que quedaban.', 'Le enviamos nuestra respuesta.',
    'Recibimos su respuesta a nuestra decisión.', 'Caso cerrado.']
ESCALATED = [
    (1, 'Recibimos su solicitud.'), (1, 'Le enviamos el acuse de recibo.'), (1, 'Su caso está en análisis.'),
    # every 3 business days (4, 9, 12 Feb), each sent when the clock gets there
    (8, 'Le informamos el avance de su caso.'), (9, 'Su caso fue escalado a la gerencia.'),
    (12, 'Le informamos el avance de su caso.'), (16, 'Le informamos el avance de su caso.'),
    (16, 'Le enviamos nuestra respuesta.'), (16, 'Recibimos su respuesta a nuestra decisión.'),
    (16, 'Su caso fue escalado a la gerencia.'), (16, 'Le enviamos la decisión final.'), (16, 'Caso cerrado.')]


@pytest.mark.parametrize('variant', ['original', 'renamed'])
def test_the_same_timeline_and_indicators_whatever_the_ids(app, mailbox, tmp_path, variant):
    paths = [flow.ROOT / 'processes']
    if variant == 'renamed':
        new = renamed_copy(tmp_path)
        paths = sorted(tmp_path.glob('*.bpmn')) + sorted(tmp_path.glob('*.dmn'))
        text = ''.join(p.read_text(encoding='utf-8') for p in paths if p.suffix == '.bpmn')
        assert not any(f'"{old}"' in text or f'>{old}<' in text for old in new)  # no id is left
    deployed = deploy_paths(paths, 'test')
    assert ('pqrsf' in {d.process_id for d in deployed}) == (variant == 'original')
    action_owners()
    travel_to(app, datetime(2027, 2, 1, 9, 0))  # Monday; no holidays in February
    late = register(app)
    on_time = answered_on_time(app)
    do(app, late, 'clasificacion', CLASSIFIED)
    do(app, late, 'gi_ft_03_registro_om', OPPORTUNITY)
    escalated_twice(app, late)

    assert [text for _, text in public_timeline(on_time, 'es')] == ON_TIME
    assert [(at.astimezone(BOGOTA).day, text) for at, text in public_timeline(late, 'es')] == ESCALATED
    assert public_timeline(late, 'en')[-1][1] == 'Case closed.'  # the diagram's English text
    result = indicators.compute(db.session, date(2027, 1, 1), date(2027, 6, 30), calendar=calendar(),
                                time_zone=BOGOTA)
    timeliness = result['timeliness']
    assert {k: timeliness[k] for k in ('answered', 'on_time', 'late', 'unanswered', 'on_time_share')} == {
        'answered': 2, 'on_time': 1, 'late': 1, 'unanswered': 0, 'on_time_share': 0.5}
    assert timeliness['legal_without_term'] == 0 and timeliness['legal_on_time_share'] == 1.0  # 15 days: 22 Feb
    assert result['escalations'] == {'cases': 1, 'calls': 2, 'share': 0.5}
    nonconformities = result['nonconformities']
    assert (nonconformities['count'], nonconformities['cases'], nonconformities['treated']) == (1, 1, 0)
    assert nonconformities['by_cause'][0] == {'key': 'deadline_missed', 'count': 1, 'treated': 0}
    resolution = result['resolution']  # up to the decision sent (the day each case also closed here)
    assert (resolution['answered'], resolution['business_days_total'], resolution['average_business_days'],
            resolution['paused_business_days_total']) == (2, 11, 5.5, 0)
    assert resolution['by_type'][1] == {'key': 'Q', 'answered': 2, 'business_days_total': 11,
                                        'average_business_days': 5.5}
