"""The indicators of seed 000/001 on cases driven through the shipped diagrams (real engine, RQ
workers, SMTP catcher and clock), against values worked out here by hand from the dates below.

`tests/oversight/test_indicators.py` checks the arithmetic on 200 cases written straight into
the tables; this checks that what the diagrams record (milestones, pauses, non-conformities,
survey answers) is what the indicators read. Business days are counted by hand: from Tuesday
2 March 2027 they skip Monday 22 March (San José) and 25-26 March (Holy Thursday and Friday)."""
from datetime import date, datetime

import pytest

from app.cases import service as pqrsf
from app.cases.vocabulary import SURVEY_CRITERIA
from app.oversight import indicators
from app.platform.engines import calendar
from tests.support import flow
from tests.support.pqrsf import (BOGOTA, ask_information, classify, do, emails, open_opportunity, plan,
                                 procedure_at, register, run_actions, send_information, token_in,
                                 travel_to, verify)

FILED = datetime(2027, 3, 2, 9, 0)  # Tuesday
RATINGS = dict(zip(SURVEY_CRITERIA, (5, 4, 4, 3, 5, 2)))  # mean 23/6: overall 4
CLOSING = {'actions_effective': True, 'closing_notes': 'Conforme.'}
TREATMENT = {'correction': 'Se respondió al cliente.', 'nc_responsible': 'Líder de Operaciones',
             'nc_closing_note': 'Se revisó la programación.'}


@pytest.fixture
def procedure(any_app, mailbox):
    return procedure_at(any_app, FILED)


def _decide_and_close(procedure, case_id):
    run_actions(procedure, case_id)
    verify(procedure, case_id, True, 'Le reconocemos el 20 % del flete.')
    pqrsf.answer_decision(case_id, 'accept', '', 'lider1')
    flow.work(procedure)
    do(procedure, case_id, 'close_case', CLOSING)


def _drive(procedure):
    """A: a queja answered on day 3 and rated. B: a queja whose client owed information from
    3 to 23 March (13 business days), answered on 24 March. C: a reclamo escalated at 5
    business days, past its internal target (16 March), answered on 18 March. D: A's client
    again, not answered yet."""
    a, _ = register(procedure)
    b, _ = register(procedure, client_name='Pedro Ruiz', client_id_document='79111222',
                    client_email='pedro@example.com')
    c, _ = register(procedure, case_type='R', client_name='Carlos Díaz', client_id_document='80333444',
                    client_email='carlos@example.com')
    for case_id, case_type in ((a, 'Q'), (c, 'R')):
        classify(procedure, case_id, case_type=case_type)
        open_opportunity(procedure, case_id)
        plan(procedure, case_id)
    travel_to(procedure, datetime(2027, 3, 3, 10, 0))
    ask_information(procedure, b)
    travel_to(procedure, datetime(2027, 3, 5, 10, 0))
    _decide_and_close(procedure, a)
    travel_to(procedure, datetime(2027, 3, 10, 10, 0))       # C: 5 business days without a decision
    do(procedure, c, 'level_1_review', {'escalation_action': 'follow_plan',
                                         'escalation_notes': 'Terminar esta semana.'}, 'gerente1')
    travel_to(procedure, datetime(2027, 3, 12, 11, 0))       # A's survey: 5 business days after closing
    pqrsf.survey_from_link(token=token_in(emails(a, 'survey')[0].body, 'survey'),
                           data={**{f'rating_{k}': str(v) for k, v in RATINGS.items()}, 'comment': 'Bien.'})
    travel_to(procedure, datetime(2027, 3, 18, 10, 0))       # C past its target of 16 March
    do(procedure, c, 'correct_nonconformity', TREATMENT)
    _decide_and_close(procedure, c)
    travel_to(procedure, datetime(2027, 3, 23, 10, 0))
    send_information(procedure, b)
    classify(procedure, b)
    open_opportunity(procedure, b)
    plan(procedure, b)
    travel_to(procedure, datetime(2027, 3, 24, 10, 0))
    _decide_and_close(procedure, b)
    d, _ = register(procedure)
    return a, b, c, d


def test_each_indicator_matches_the_hand_counted_values_of_driven_cases(procedure):
    a, b, c, d = _drive(procedure)
    found = flow.read(lambda s: indicators.compute(s, date(2027, 3, 1), date(2027, 3, 31),
                                                   calendar=calendar(), time_zone=BOGOTA))
    assert found['cases'] == 4
    resolution = found['resolution']
    # A: 3, 4, 5 March = 3. B: 15 business days to 24 March, 13 of them paused = 2. C: 12.
    assert (resolution['answered'], resolution['unanswered']) == (3, 1)
    assert (resolution['business_days_total'], resolution['paused_business_days_total']) == (3 + 2 + 12, 13)
    by_type = {row['key']: (row['answered'], row['business_days_total']) for row in resolution['by_type']}
    assert (by_type['Q'], by_type['R'], by_type['P']) == ((2, 5), (1, 12), (0, 0))
    timeliness = found['timeliness']
    # target: A (16 Mar) and B (moved 13 business days to 7 Apr) on time, C late; legal: all three
    assert (timeliness['on_time'], timeliness['late'], timeliness['unanswered']) == (2, 1, 1)
    assert (timeliness['legal_on_time'], timeliness['legal_late']) == (3, 0)
    assert found['escalations'] == {'cases': 1, 'calls': 1, 'share': 0.25}
    nonconformities = found['nonconformities']
    by_cause = {row['key']: (row['count'], row['treated']) for row in nonconformities['by_cause']}
    assert (nonconformities['count'], nonconformities['cases'], nonconformities['treated']) == (1, 1, 1)
    assert by_cause['deadline_missed'] == (1, 1)
    satisfaction = found['satisfaction']
    assert (satisfaction['answers'], satisfaction['satisfied'], satisfaction['average_rating']) == (1, 1, 4)
    assert {row['key']: (row['answers'], row['average'], row['satisfied']) for row in satisfaction['by_criterion']} == {
        key: (1, value, int(value >= 4)) for key, value in RATINGS.items()}
    assert found['retention'] == {'clients': 3, 'returning': 1, 'share': round(1 / 3, 4)}
