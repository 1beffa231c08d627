"""The case list page /casos, its CSV, saved filters and `GET /api/cases`: the same use case
(app/cases/case_list.py) behind each, with the personal-data policy and CSRF applied."""
import csv
import io

from tests.support.pqrsf import CLIENT, register
from tests.support.web import basic, csrf_token, login

OTHER = dict(CLIENT, client_name='Jorge Pérez', client_email='jorge@example.org', client_id_document='79111222',
             case_type='P', branch='CTG', description='Solicito el certificado de la carga exportada.')


def _two_cases(site):
    return register(site)[1], register(site, **OTHER)[1]


def test_the_list_searches_filters_and_sorts(site):
    marta, jorge = _two_cases(site)
    client = login(site.test_client(), 'colaborador')
    page = client.get('/casos/?q=gomez').get_data(as_text=True)
    assert marta in page and jorge not in page and 'Marta Gómez' in page
    page = client.get('/casos/?q=jorge@example.org').get_data(as_text=True)
    assert jorge in page and marta not in page
    page = client.get('/casos/?case_type=P&sort=radicado&direction=asc').get_data(as_text=True)
    assert jorge in page and marta not in page
    assert 'En trámite' in page and 'Petición' in page
    assert client.get(f'/casos/?radicado={marta.lower()}').headers['Location'].endswith(f'/casos/{marta}')


def test_a_role_without_contact_data_neither_finds_by_nor_sees_it(site):
    marta, _ = _two_cases(site)
    client = login(site.test_client(), 'auditor')
    page = client.get('/casos/?q=marta@example.com').get_data(as_text=True)
    assert marta not in page and 'Ningún caso coincide' in page  # (the box echoes what they typed)
    page = client.get('/casos/').get_data(as_text=True)
    assert marta in page and 'marta@example.com' not in page and '52123456' not in page
    listed = client.get('/casos/lista.csv').get_data(as_text=True)
    assert marta in listed and 'marta@example.com' not in listed and '52123456' not in listed


def test_bad_filters_are_named_and_change_nothing(site):
    client = login(site.test_client(), 'colaborador')
    for query, field in (('state=abierto', 'state'), ('page=0', 'page'), ('sort=client_email', 'sort')):
        response = client.get(f'/casos/?{query}')
        assert response.status_code == 400 and f'«{field}»' in response.get_data(as_text=True)
    assert client.get('/casos/lista.csv?deadline=pronto').status_code == 400


def test_the_csv_has_the_filters_of_the_page(site):
    marta, jorge = _two_cases(site)
    client = login(site.test_client(), 'colaborador')
    response = client.get('/casos/lista.csv?branch=CTG')
    assert response.headers['Cache-Control'] == 'private, no-store'
    assert 'attachment' in response.headers['Content-Disposition']
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ['radicado', 'estado', 'tipo'] and [r[0] for r in rows[1:]] == [jorge]
    assert rows[1][4] == 'Jorge Pérez'


def test_saved_filters_need_csrf_and_belong_to_their_user(site):
    _two_cases(site)
    client = login(site.test_client(), 'colaborador')
    assert client.post('/casos/filtros', data={'name': 'CTG', 'query': 'branch=CTG'}).status_code == 400
    token = csrf_token(client, '/casos/')
    saved = client.post('/casos/filtros', data={'name': 'Solo CTG', 'query': 'branch=CTG', 'csrf_token': token})
    assert saved.status_code == 302 and 'branch=CTG' in saved.headers['Location']
    page = client.get('/casos/').get_data(as_text=True)
    assert 'Solo CTG' in page and '?branch=CTG&amp;sort=received&amp;direction=desc' in page
    bad = client.post('/casos/filtros', data={'name': 'Malo', 'query': 'state=x', 'csrf_token': token},
                      follow_redirects=True)
    assert '«state»' in bad.get_data(as_text=True) and 'Malo' not in client.get('/casos/').get_data(as_text=True)
    other = login(site.test_client(), 'auditor')
    assert 'Solo CTG' not in other.get('/casos/').get_data(as_text=True)
    from app.cases.models import SavedFilter
    from app.platform.extensions import db
    filter_id = db.session.scalar(db.select(SavedFilter.id))
    other_token = csrf_token(other, '/casos/')
    assert other.post(f'/casos/filtros/{filter_id}/borrar', data={'csrf_token': other_token}).status_code == 404
    assert client.post(f'/casos/filtros/{filter_id}/borrar', data={'csrf_token': token}).status_code == 302
    assert 'Solo CTG' not in client.get('/casos/').get_data(as_text=True)


def test_the_api_returns_the_same_list(site, api):
    marta, jorge = _two_cases(site)
    response = api.get('/api/cases', headers=basic('colaborador'), query_string={'q': 'gómez'})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [c['radicado'] for c in body['cases']] == [marta] and body['total'] == 1
    assert body['cases'][0]['client'] == 'Marta Gómez' and body['cases'][0]['state'] == 'running'
    assert body['cases'][0]['holder']
    assert api.get('/api/cases', headers=basic('auditor'), query_string={'q': '52123456'}).get_json()['cases'] == []
    assert [c['radicado'] for c in api.get('/api/cases', headers=basic('lider'), query_string={
        'branch': 'CTG', 'state': 'running'}).get_json()['cases']] == [jorge]
    bad = api.get('/api/cases', headers=basic('lider'), query_string={'state': 'abierto'})
    assert bad.status_code == 422 and 'state' in str(bad.get_json())
    assert api.get('/api/cases').status_code == 401
