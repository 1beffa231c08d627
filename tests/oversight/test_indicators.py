"""Indicadores: 200 cases with known outcomes written straight into the tables (no engine runs),
the numbers `compute()` must return, worked out here independently from the same rules, and the
page and CSV download on top of them."""
import csv
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_percent

from app.engine.clock import clock
from app.engine.models import Case, Event, ProcessVersion
from app.platform.extensions import db
from app.oversight import indicators
from app.oversight.indicators import default_period, to_csv
from app.platform.engines import calendar
from app.cases.models import NonConformity, PqrsfCase, SurveyAnswer
from app.cases.vocabulary import NONCONFORMITY_CAUSES, SURVEY_CRITERIA
from tests.support.web import demo_users, login

BOGOTA = ZoneInfo('America/Bogota')
UTC = timezone.utc
START, END = date(2026, 1, 1), date(2026, 6, 30)
QUERY = 'desde=2026-01-01&hasta=2026-06-30'
TYPES = 'PQRSF'
CHANNELS = ('correo', 'telefono', 'online')
BRANCHES = ('BOG', 'BUN', 'CTG', 'MAD', 'YUM', 'CALDAS', 'INTERMODAL')
# Colombian public holidays that completion dates of these cases can cross (written out here, not
# taken from the app's calendar, so the expectation is independent of it)
HOLIDAYS = {date(2026, 1, 1), date(2026, 1, 12), date(2026, 3, 23), date(2026, 4, 2),
            date(2026, 4, 3), date(2026, 5, 1), date(2026, 5, 18), date(2026, 6, 8),
            date(2026, 6, 15), date(2026, 6, 29), date(2026, 7, 13), date(2026, 7, 20)}
ANSWER_DAYS = 15  # the answer is due 15 calendar days after receipt in these data
LEGAL_DAYS = 18  # and the legal term ends 3 days later
CAUSES = ('deadline_missed', 'not_communicated', 'no_follow_up', 'not_closed')
CRITERIA = ('response_time', 'communication', 'courtesy', 'commitments', 'accessibility', 'facilities')


def compute(session, start, end):
    """The indicators as the page asks them: the app's calendar, in Bogotá time."""
    return indicators.compute(session, start, end, calendar=calendar(), time_zone=BOGOTA)


def local(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BOGOTA).astimezone(UTC)


# Cases whose dates are chosen on purpose; every other case follows the rules in `spec()`.
RECEIVED = {
    0: local(2025, 12, 31, 23, 30),   # out: already 1 Jan in UTC, still 31 Dec in Bogotá
    144: local(2026, 7, 1, 0, 30),    # out: first minutes of the next semester
    1: local(2026, 6, 30, 23, 30),    # in: last day of the period, 1 Jul in UTC
    2: local(2026, 1, 1, 0, 15),      # in: first minutes of the period (a holiday, 05:15 UTC)
    5: local(2026, 3, 20, 10),        # Friday before San José (Monday 23 March)
    6: local(2026, 4, 1, 9),          # Wednesday before Jueves and Viernes Santo
}
COMPLETED = {
    5: local(2026, 3, 24, 15),        # Tuesday: 1 business day (Mon 23 is a holiday)
    6: local(2026, 4, 6, 11),         # Monday: 1 business day (Thu 2, Fri 3 holidays + weekend)
}


def spec(i):
    """The known outcome of case i."""
    received = RECEIVED.get(i) or local(2026, 1 + (i // 7) % 6, 1 + (i * 11) % 28, 8 + i % 9)
    due = received + timedelta(days=ANSWER_DAYS)
    completed = None
    if i % 4 != 3:
        completed = COMPLETED.get(i) or received + timedelta(days=i % 10 + 1, hours=2)
    answers = []  # (element_id, at), in the order they are written (not always by time)
    if i % 6 != 5:
        first = due if i % 25 == 0 else received + timedelta(days=(i * 7) % 20 + 1)
        if i % 8 == 0:  # a later final decision, written before the first answer
            answers.append(('send_final_decision', received + timedelta(days=40)))
        answers.append(('send_decision' if i % 2 == 0 else 'send_final_decision', first))
    escalations = (['overdue_escalation'] if i % 8 == 0 else []) + (
        ['rejection_escalation'] if i % 16 == 0 else [])
    pauses = []  # (milestone, at) of the clock stopping for the client and resuming
    if i % 7 == 0:  # stopped on day 2, resumed on day 5 (for some, after the answer went out)
        pauses += [('clock_stopped', received + timedelta(days=2)), ('clock_resumed', received + timedelta(days=5))]
    if i % 14 == 0:  # a second stop while stopped changes nothing
        pauses.insert(1, ('clock_stopped', received + timedelta(days=3)))
    if i % 10 == 1:  # stopped on day 1, never resumed: paused up to the answer
        pauses.append(('clock_stopped', received + timedelta(days=1, hours=1)))
    if i % 22 == 0:  # a later stop and resume, after the answer in most cases
        pauses += [('clock_stopped', received + timedelta(days=25)), ('clock_resumed', received + timedelta(days=27))]
    count = 2 if i % 18 == 0 else 1 if i % 9 == 0 else 0
    nonconformities = [(None if i % 36 == 0 and n == 0 else CAUSES[(i // 9 + 2 * n + 1) % 4], (i // 9 + n) % 3 == 0)
                       for n in range(count)]  # (cause, treated)
    rating, ratings = ((i // 3) % 5 + 1 if i % 3 == 0 and completed else None), None
    if rating is not None and i % 2 == 0:  # a survey by criterion; the others are old single ratings
        ratings = {c: (i + k) % 5 + 1 for k, c in enumerate(CRITERIA) if not (i % 12 == 0 and c == 'facilities')}
        mean = sum(ratings.values()) / len(ratings)
        rating = int(mean) + (1 if mean - int(mean) >= 0.5 else 0)
    return dict(i=i, case_type=TYPES[i % 5], channel=CHANNELS[i % 3], branch=BRANCHES[i % 7],
                received=received, due=due, completed=completed, answers=answers,
                legal_due=None if i % 5 == 4 else received + timedelta(days=LEGAL_DAYS),
                pauses=pauses, escalations=escalations, nonconformities=nonconformities,
                rating=rating, ratings=ratings, client=client(i), anonymous=i % 17 == 0)


def client(i):
    """(id document, email) a case was registered with: clients come back 150 cases later."""
    number = i % 150
    if i % 19 == 0:
        return None, None  # phone only: no client to follow
    if i % 10 == 3:
        return '', f'  Cliente{number}@Example.COM ' if i % 20 == 3 else f'cliente{number}@example.com'
    return (f' CC-{number} ' if i % 4 == 1 else f'cc-{number}'), f'otro{i}@example.com'


SPECS = [spec(i) for i in range(200)]


def build(session, specs=SPECS):
    """Write the cases and their projections directly (what the engine would have written)."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    version = ProcessVersion(process_id='pqrsf', version=1, name='PQRSF', content_hash='0' * 64,
                             file_name='pqrsf.bpmn', bpmn_xml='<definitions/>', deployed_at=now,
                             deployed_by='test')
    session.add(version)
    session.flush()
    cases = []
    for s in specs:
        radicado = f'PQRSF-2026-{s["i"]:06d}'
        cases.append(Case(process_id='pqrsf', reference=radicado, version_id=version.id,
                          called_versions={}, state='completed' if s['completed'] else 'running',
                          revision=1, workflow='{}', started_by='test', created_at=s['received'],
                          updated_at=s['completed'] or s['received'], completed_at=s['completed']))
    session.add_all(cases)
    session.flush()
    rows = []
    for s, row in zip(specs, cases):
        i, cid, received = s['i'], row.id, s['received']
        rows.append(PqrsfCase(case_id=cid, radicado=row.reference, case_type=s['case_type'],
                              channel=s['channel'], branch=s['branch'], received_at=received,
                              answer_due_at=s['due'], legal_due_at=s['legal_due'],
                              anonymous=s['anonymous'], follow_code_hash='x'))
        document, email = s['client']
        intake = {'client_name': 'Cliente', 'description': 'x'} | (
            {'client_id_document': document} if document is not None else {}) | (
            {'client_email': email} if email is not None else {})
        rows.append(Event(case_id=cid, at=received, actor='test', kind='case_started', data={'data': intake}))

        def event(kind, element_id, at, milestone=None):
            rows.append(Event(case_id=cid, at=at, actor='worker', kind=kind, element_id=element_id,
                              milestone=milestone))
        # noise that must not count: acknowledgement, a queued (not completed) decision, other calls
        event('service_completed', 'send_acknowledgement', received + timedelta(minutes=1))
        if i % 11 == 0:
            event('service_queued', 'send_decision', received + timedelta(minutes=2))
        if i % 2 == 0:
            event('call_started', 'improvement', received + timedelta(days=1))
        if i % 13 == 0:  # an element id alone counts for nothing: only a declared milestone does
            event('service_completed', 'send_decision', received + timedelta(minutes=3))
            event('call_started', 'overdue_escalation', received + timedelta(minutes=4))
        # the milestones the diagram declares on its elements, stamped on their events
        for element_id, at in s['answers']:
            event('service_completed', element_id, at, 'answer_sent')
        for n, element_id in enumerate(s['escalations']):
            event('call_started', element_id, received + timedelta(days=6 + n), 'escalated')
        for milestone, at in s['pauses']:
            event('service_completed', 'pause_or_resume', at, milestone)
        for n, (cause, treated) in enumerate(s['nonconformities']):
            event('service_completed', 'record_late_answer', received + timedelta(days=10), 'nonconformity')
            rows.append(NonConformity(case_id=cid, key=f'nc-{i}-{n}', reason='Vencido', cause=cause,
                                      element_id='record_late_answer', detected_at=received + timedelta(days=10),
                                      treated_at=received + timedelta(days=12) if treated else None,
                                      correction='Corregido' if treated else None))
        if i % 9 == 0:  # a non-conformity event without its register row counts for nothing
            event('service_completed', 'record_late_answer', received + timedelta(days=11), 'nonconformity')
        if s['rating'] is not None:
            rows.append(SurveyAnswer(case_id=cid, rating=s['rating'], ratings=s['ratings'], comment=None,
                                     answered_at=s['completed'] + timedelta(days=1)))
    session.add_all(rows)
    session.commit()


def business_days(start, end):
    """Business days after start's local date up to and including end's (no holidays crossed
    backwards here)."""
    a, b = start.astimezone(BOGOTA).date(), end.astimezone(BOGOTA).date()
    return sum(1 for n in range(1, (b - a).days + 1)
               if (a + timedelta(days=n)).weekday() < 5 and a + timedelta(days=n) not in HOLIDAYS)


def ratio(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def business_dates(start, end):
    """The business dates after start's local date up to and including end's."""
    a, b = start.astimezone(BOGOTA).date(), end.astimezone(BOGOTA).date()
    return {a + timedelta(days=n) for n in range(1, (b - a).days + 1)
            if (a + timedelta(days=n)).weekday() < 5 and a + timedelta(days=n) not in HOLIDAYS}


def resolution_days(s):
    """Business dates from receipt to the first answer, less every date inside a pause (after
    the day the clock stopped, up to the day it resumed or the answer); None without answer."""
    if not s['answers']:
        return None
    first = min(at for _, at in s['answers'])
    counted, stopped = business_dates(s['received'], first), None
    paused = set()
    for milestone, at in sorted(s['pauses'], key=lambda p: p[1]):
        if at >= first:
            break
        if milestone == 'clock_stopped' and stopped is None:
            stopped = at
        elif milestone == 'clock_resumed' and stopped is not None:
            paused |= business_dates(stopped, at)
            stopped = None
    if stopped is not None:
        paused |= business_dates(stopped, first)
    return len(counted - paused), len(paused)


def client_key(s):
    document, email = s['client']
    if s['anonymous']:
        return None
    return ((document or '').strip() or (email or '').strip()).lower() or None


def expected_resolution(cases):
    answered = {s['i']: resolution_days(s) for s in cases if s['answers']}
    total = sum(d for d, _ in answered.values())
    by_type = []
    for t in TYPES:
        days = [answered[s['i']][0] for s in cases if s['case_type'] == t and s['i'] in answered]
        by_type.append({'key': t, 'answered': len(days), 'business_days_total': sum(days),
                        'average_business_days': ratio(sum(days), len(days), 2)})
    return {'answered': len(answered), 'unanswered': len(cases) - len(answered), 'business_days_total': total,
            'paused_business_days_total': sum(p for _, p in answered.values()),
            'average_business_days': ratio(total, len(answered), 2), 'by_type': by_type}


def expected_timeliness(cases):
    firsts = [(min(at for _, at in s['answers']), s) for s in cases if s['answers']]
    on_time = sum(1 for at, s in firsts if at <= s['due'])
    legal = [(at, s) for at, s in firsts if s['legal_due'] is not None]
    legal_on_time = sum(1 for at, s in legal if at <= s['legal_due'])
    return {'answered': len(firsts), 'on_time': on_time, 'late': len(firsts) - on_time,
            'unanswered': len(cases) - len(firsts), 'on_time_share': ratio(on_time, len(firsts)),
            'legal_answered': len(legal), 'legal_on_time': legal_on_time, 'legal_late': len(legal) - legal_on_time,
            'legal_without_term': len(firsts) - len(legal), 'legal_on_time_share': ratio(legal_on_time, len(legal))}


def expected_nonconformities(cases):
    rows = [nc for s in cases for nc in s['nonconformities']]
    causes = list(CAUSES) + ([None] if any(c is None for c, _ in rows) else [])
    return {'count': len(rows), 'cases': sum(1 for s in cases if s['nonconformities']),
            'treated': sum(1 for _, t in rows if t),
            'by_cause': [{'key': c, 'count': sum(1 for cause, _ in rows if cause == c),
                          'treated': sum(1 for cause, t in rows if cause == c and t)} for c in causes]}


def expected_satisfaction(cases):
    ratings = [s['rating'] for s in cases if s['rating'] is not None]
    satisfied = sum(1 for r in ratings if r >= 4)
    by_criterion = []
    for c in CRITERIA:
        values = [s['ratings'][c] for s in cases if s['ratings'] and c in s['ratings']]
        good = sum(1 for v in values if v >= 4)
        by_criterion.append({'key': c, 'answers': len(values), 'average': ratio(sum(values), len(values), 2),
                             'satisfied': good, 'rate': ratio(good, len(values))})
    return {'answers': len(ratings), 'satisfied': satisfied, 'rate': ratio(satisfied, len(ratings)),
            'average_rating': ratio(sum(ratings), len(ratings), 2),
            'by_rating': [{'key': r, 'count': ratings.count(r)} for r in range(1, 6)],
            'by_criterion': by_criterion}


def expected(specs=SPECS, start=START, end=END):
    cases = [s for s in specs if start <= s['received'].astimezone(BOGOTA).date() <= end]
    escalated = [s for s in cases if s['escalations']]
    months = Counter(s['received'].astimezone(BOGOTA).strftime('%Y-%m') for s in cases)
    clients = Counter(client_key(s) for s in cases if client_key(s))

    def ranked(counter):
        return sorted(({'key': k, 'count': n} for k, n in counter.items()), key=lambda r: (-r['count'], r['key']))
    types = Counter(s['case_type'] for s in cases)
    returning = sum(1 for n in clients.values() if n > 1)
    return {
        'period': {'from': start.isoformat(), 'to': end.isoformat(), 'timezone': 'America/Bogota'},
        'cases': len(cases),
        'by_type': [{'key': t, 'count': types.get(t, 0)} for t in TYPES],
        'by_channel': ranked(Counter(s['channel'] for s in cases)),
        'by_branch': ranked(Counter(s['branch'] for s in cases)),
        'by_month': [{'key': f'2026-{m:02d}', 'count': months.get(f'2026-{m:02d}', 0)} for m in range(1, 7)],
        'resolution': expected_resolution(cases),
        'timeliness': expected_timeliness(cases),
        'escalations': {'cases': len(escalated), 'calls': sum(len(s['escalations']) for s in cases),
                        'share': ratio(len(escalated), len(cases))},
        'nonconformities': expected_nonconformities(cases),
        'satisfaction': expected_satisfaction(cases),
        'retention': {'clients': len(clients), 'returning': returning, 'share': ratio(returning, len(clients))},
    }


@pytest.fixture
def data(app):
    build(db.session)
    return expected()


def test_the_generating_rules_cover_what_they_should():
    """The data are only a good test if every situation is present."""
    by_i = {s['i']: s for s in SPECS}
    assert business_days(by_i[5]['received'], by_i[5]['completed']) == 1  # across San José
    assert business_days(by_i[6]['received'], by_i[6]['completed']) == 1  # across Semana Santa
    result = expected()
    assert result['cases'] == 198  # two cases just outside the period
    assert [r['count'] for r in result['by_type']] == [39, 40, 40, 40, 39]
    assert result['timeliness']['on_time'] and result['timeliness']['late'] and result['timeliness']['unanswered']
    assert result['escalations']['calls'] > result['escalations']['cases'] > 0
    assert result['nonconformities']['count'] > result['nonconformities']['cases'] > 0
    assert all(r['count'] for r in result['satisfaction']['by_rating'])
    # every situation of the seed-defined indicators is present
    assert resolution_days(by_i[6]) == (0, 0)  # received Wed 1 Apr, answered Sat 4 Apr: Thu, Fri are holidays
    paused = [resolution_days(s) for s in SPECS if s['pauses'] and s['answers']]
    assert any(p for _, p in paused) and any(not p for _, p in paused)  # some pauses after the answer
    assert any(s['i'] % 10 == 1 and resolution_days(s) and resolution_days(s)[1] for s in SPECS)  # never resumed
    res, tim = result['resolution'], result['timeliness']
    assert all(r['answered'] for r in res['by_type']) and len({r['average_business_days'] for r in res['by_type']}) > 1
    assert tim['legal_on_time'] and tim['legal_late'] and tim['legal_without_term']
    assert tim['legal_on_time_share'] > tim['on_time_share']  # the legal term ends after the internal target
    nc = result['nonconformities']
    assert all(r['count'] for r in nc['by_cause']) and nc['by_cause'][-1]['key'] is None
    assert 0 < nc['treated'] < nc['count'] and any(r['treated'] < r['count'] for r in nc['by_cause'])
    criteria = result['satisfaction']['by_criterion']
    assert criteria[-1]['answers'] < criteria[0]['answers'] < result['satisfaction']['answers']
    ret = result['retention']
    assert 0 < ret['returning'] < ret['clients'] < result['cases']
    keys = {client_key(s) for s in SPECS}
    assert 'cliente3@example.com' in keys and 'cc-1' in keys  # trimmed, case-insensitive
    assert result['by_month'][5]['count'] > 0 and sum(r['count'] for r in result['by_month']) == 198


@pytest.fixture
def data_on_each_database(any_app):
    build(db.session)
    return expected()


def test_compute_returns_exactly_the_expected_numbers(any_app, data_on_each_database):
    data = data_on_each_database
    from app.platform.engines import calendar
    business = calendar()  # the app's calendar agrees on the two cases chosen around holidays
    assert business.business_days_between(RECEIVED[5], COMPLETED[5]) == 1
    assert business.business_days_between(RECEIVED[6], COMPLETED[6]) == 1
    result = compute(db.session, START, END)
    for key in data:
        assert result[key] == data[key], key
    assert result == data
    import json
    assert json.loads(json.dumps(result)) == result  # plain JSON-able


def test_compute_on_a_period_without_cases_and_on_one_month(app, data):
    empty = compute(db.session, date(2020, 1, 1), date(2020, 1, 31))
    assert empty['cases'] == 0 and empty['by_month'] == [{'key': '2020-01', 'count': 0}]
    assert empty['resolution']['average_business_days'] is None
    assert empty['timeliness']['on_time_share'] is None and empty['satisfaction']['rate'] is None
    assert [r['count'] for r in empty['by_type']] == [0] * 5
    march = compute(db.session, date(2026, 3, 1), date(2026, 3, 31))
    assert march == expected(start=date(2026, 3, 1), end=date(2026, 3, 31)) | {
        'by_month': [{'key': '2026-03', 'count': data['by_month'][2]['count']}]}
    to_csv(empty)  # no division by zero, no None formatting errors


def test_default_period_is_the_semester_of_the_clock():
    assert default_period(date(2026, 3, 15)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert default_period(date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert default_period(date(2026, 7, 1)) == (date(2026, 7, 1), date(2026, 12, 31))
    assert default_period(date(2026, 12, 31)) == (date(2026, 7, 1), date(2026, 12, 31))


def _client(app, username):
    demo_users()
    return login(app.test_client(), username)


def _pct(share):
    return format_percent(share, '#,##0.0 %', locale='es')


def test_the_page_shows_the_numbers(app, data):
    client = _client(app, 'auditor')
    response = client.get(f'/indicadores?{QUERY}')
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    tim, sat = data['timeliness'], data['satisfaction']
    assert f'id="ind-cases" data-value="{data["cases"]}">{data["cases"]}<' in page
    assert f'id="ind-resolution" data-value="{data["resolution"]["average_business_days"]}"' in page
    assert str(data['resolution']['average_business_days']).replace('.', ',') in page
    assert f'id="ind-on-time" data-value="{tim["on_time_share"]}">{_pct(tim["on_time_share"])}<' in page
    assert f'{tim["on_time"]} de {tim["answered"]} con respuesta; {tim["late"]} tarde; {tim["unanswered"]} sin respuesta' in page
    assert f'id="ind-escalated" data-value="{data["escalations"]["cases"]}"' in page
    assert f'{data["escalations"]["calls"]} escalamientos en total' in page
    assert f'id="ind-nonconformities" data-value="{data["nonconformities"]["count"]}"' in page
    assert f'en {data["nonconformities"]["cases"]} casos' in page
    assert f'id="ind-satisfaction" data-value="{sat["rate"]}">{_pct(sat["rate"])}<' in page
    assert f'{sat["answers"]} encuestas' in page
    for row in data['by_month']:  # the chart's table and its text alternative
        assert f'<tr data-key="{row["key"]}"><th scope="row">{row["key"]}</th><td class="num" data-value="{row["count"]}">' in page
        assert f'{row["key"]}: {row["count"]}' in page
    for row in data['by_branch']:
        assert f'<tr data-key="{row["key"]}"><th scope="row">{row["key"]}</th><td class="num" data-value="{row["count"]}">' in page
    assert '<th scope="row">Queja</th><td class="num" data-value="40">' in page
    assert 'Cómo se calculan' in page and 'días hábiles después del día de radicación' in page
    legal, ret, nc = tim['legal_on_time_share'], data['retention'], data['nonconformities']
    assert f'id="ind-legal" data-value="{legal}">{_pct(legal)}<' in page
    assert (f'{tim["legal_on_time"]} de {tim["legal_answered"]} con término legal; {tim["legal_late"]} fuera del '
            f'término; {tim["legal_without_term"]} sin término registrado') in page
    assert f'id="ind-retention" data-value="{ret["share"]}">{_pct(ret["share"])}<' in page
    assert f'{ret["returning"]} de {ret["clients"]} clientes radicaron otro caso en el periodo' in page
    assert f'en {nc["cases"]} casos; {nc["treated"]} tratadas' in page
    for row in data['resolution']['by_type']:
        assert re.search(rf'<tr data-key="{row["key"]}"><th scope="row">[^<]+</th><td class="num">{row["answered"]}</td>'
                         rf'<td class="num" data-value="{row["average_business_days"]}">', page), row
    for row in nc['by_cause']:
        label = 'Sin causa registrada' if row['key'] is None else str(NONCONFORMITY_CAUSES[row['key']])
        assert (f'<tr data-key="{row["key"] or ""}"><th scope="row">{label}</th><td class="num" data-value="{row["count"]}">'
                f'{row["count"]}</td><td class="num" data-value="{row["treated"]}">') in page
    for row in data['satisfaction']['by_criterion']:
        assert re.search(rf'<tr data-key="{row["key"]}"><th scope="row">{SURVEY_CRITERIA[row["key"]]}</th>'
                         rf'<td class="num">{row["answers"]}</td><td class="num" data-value="{row["average"]}">', page)
    assert 'Retención de clientes' in page and 'el porcentaje que radicó al menos otro caso' in page
    assert f'href="/indicadores.csv?{QUERY.replace("&", "&amp;")}"' in page
    assert 'href="/indicadores"' in page  # the navigation link


def _set_clock(moment):
    """Move the shared clock (as `pqrsf clock advance` does; the web reads it at each request)."""
    clock.advance(db.session, moment - clock.now())
    db.session.commit()


def test_without_dates_the_page_shows_the_current_semester(app, data):
    _set_clock(datetime(2026, 3, 15, 12, tzinfo=BOGOTA))
    page = _client(app, 'dueno').get('/indicadores').get_data(as_text=True)
    assert 'value="2026-01-01"' in page and 'value="2026-06-30"' in page
    assert f'id="ind-cases" data-value="{data["cases"]}"' in page
    _set_clock(datetime(2026, 8, 1, 12, tzinfo=BOGOTA))
    page = _client(app, 'lider').get('/indicadores').get_data(as_text=True)
    assert 'value="2026-07-01"' in page and 'value="2026-12-31"' in page
    assert 'id="ind-cases" data-value="1"' in page  # case 144, received on 1 July


def test_the_csv_download_is_to_csv_of_the_period(app, data):
    response = _client(app, 'admin').get(f'/indicadores.csv?{QUERY}')
    assert response.status_code == 200
    assert response.headers['Content-Type'] == 'text/csv; charset=utf-8'
    assert response.headers['Content-Disposition'] == 'attachment; filename=indicadores_2026-01-01_2026-06-30.csv'
    text = response.data.decode('utf-8-sig')
    assert text == to_csv(compute(db.session, START, END))
    rows = list(csv.reader(io.StringIO(text), delimiter=';'))
    assert ['Casos recibidos', str(data['cases'])] in rows
    assert ['Respondidos a tiempo, meta interna (%)', f'{data["timeliness"]["on_time_share"] * 100:.2f}'.replace('.', ',')] in rows
    assert ['Respondidos dentro del término legal (%)',
            f'{data["timeliness"]["legal_on_time_share"] * 100:.2f}'.replace('.', ',')] in rows
    assert ['Retención de clientes (%)', f'{data["retention"]["share"] * 100:.2f}'.replace('.', ',')] in rows
    assert ['No conformidades tratadas', str(data['nonconformities']['treated'])] in rows
    queja = data['resolution']['by_type'][1]
    assert ['Q', 'Queja', str(queja['answered']), str(queja['business_days_total']),
            f'{queja["average_business_days"]:.2f}'.replace('.', ',')] in rows
    no_cause = data['nonconformities']['by_cause'][-1]
    assert ['', 'Sin causa registrada', str(no_cause['count']), str(no_cause['treated'])] in rows
    courtesy = data['satisfaction']['by_criterion'][2]
    assert ['courtesy', 'Cortesía', str(courtesy['answers']), f'{courtesy["average"]:.2f}'.replace('.', ','),
            str(courtesy['satisfied']), f'{courtesy["rate"] * 100:.2f}'.replace('.', ',')] in rows
    assert ['Tiempo promedio de resolución (días hábiles)',
            f'{data["resolution"]["average_business_days"]:.2f}'.replace('.', ',')] in rows
    assert ['Q', 'Queja', '40'] in rows and ['2026-06', str(data['by_month'][5]['count'])] in rows
    for title in ('Resumen', 'Casos por tipo', 'Tiempo de resolución por tipo', 'Casos por canal',
                  'Casos por sucursal', 'Casos por mes', 'No conformidades por causa', 'Encuestas por calificación',
                  'Satisfacción por criterio', 'Definiciones'):
        assert [title] in rows


def test_other_roles_get_403_and_no_link(app, data):
    client = _client(app, 'rrhh')
    assert client.get(f'/indicadores?{QUERY}').status_code == 403
    assert client.get(f'/indicadores.csv?{QUERY}').status_code == 403
    assert 'href="/indicadores"' not in client.get('/tareas/').get_data(as_text=True)
    assert app.test_client().get('/indicadores').status_code == 302  # not signed in: login page


@pytest.mark.parametrize('query, message', [
    ('desde=2026-13-01&hasta=2026-06-30', 'La fecha «Desde» (2026-13-01) no es válida'),
    ('desde=2026-01-01&hasta=ayer', 'La fecha «Hasta» (ayer) no es válida'),
    ('desde=2026-06-30&hasta=2026-01-01', 'La fecha «Desde» (2026-06-30) es posterior a la fecha «Hasta» (2026-01-01)'),
    ('desde=1900-01-01&hasta=2026-01-01', 'El periodo no puede ser de más de diez años'),
])
def test_a_bad_period_gives_a_clear_message(app, query, message):
    client = _client(app, 'auditor')
    for url in (f'/indicadores?{query}', f'/indicadores.csv?{query}'):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, page[:1000]
        assert message in page and 'role="alert"' in page
        assert 'id="ind-cases"' not in page


def test_the_page_also_renders_in_english(app, data):
    from tests.support.web import post_form
    client = _client(app, 'auditor')
    post_form(client, '/idioma', {'lang': 'en', 'next': '/indicadores'}, page='/tareas/')
    response = client.get(f'/indicadores?{QUERY}')
    assert response.status_code == 200 and '<html lang="en">' in response.get_data(as_text=True)
    english = response.get_data(as_text=True)
    assert f'id="ind-cases" data-value="{data["cases"]}"' in english
    for words in ('Answered within the legal term', 'Client retention', 'Resolution time by type',
                  'Non-conformities by cause', 'Satisfaction by criterion', 'No cause recorded', 'Courtesy',
                  'Decision not communicated to the client'):
        assert words in english, words
