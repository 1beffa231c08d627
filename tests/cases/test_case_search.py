"""The staff case list (app/cases/case_list.py): one search over radicado, client name, words of
the description and (for the roles that see contact data only) email and id document; filters,
sorting, paging, saved filters; on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.cases import service as pqrsf
from app.cases.case_list import CaseFilters, case_list_page
from app.cases.case_list_csv import case_list_csv
from app.cases.saved_filters import delete_filter, save_filter, saved_filters
from app.platform.engines import calendar
from app.platform.extensions import db
from app.platform.refusals import Invalid, Missing
from app.tasks.queries import BadFilter
from tests.support.pqrsf import CLIENT, deploy_processes, register
from tests.support.web import demo_users

OTHER = dict(CLIENT, client_name='Jorge Pérez', client_email='jorge@example.org', client_id_document='79111222',
             case_type='P', branch='CTG', description='Solicito el certificado de la carga exportada.')


def user(name):
    return db.session.scalars(select(User).where(User.username == name)).one()


@pytest.fixture
def cases(any_app):
    deploy_processes()
    demo_users()
    _, marta = register(any_app)
    _, jorge = register(any_app, **OTHER)
    return marta, jorge


def found(username, **args):
    rows, total = case_list_page(db.session, user(username), CaseFilters.from_args(args), calendar())
    return [r.case.radicado for r in rows]


def test_one_box_finds_by_radicado_name_and_words_without_accents_or_case(cases):
    marta, jorge = cases
    assert found('auditor', q=marta) == [marta]
    assert found('auditor', q=marta.lower()) == [marta]
    assert found('auditor', q='gomez') == [marta]          # Gómez, without the accent
    assert found('auditor', q='MARTA GÓMEZ') == [marta]
    assert found('auditor', q='Pérez') == [jorge]
    assert found('auditor', q='contenedor retraso') == [marta]  # words of the description
    assert found('auditor', q='certificado') == [jorge]
    assert found('auditor', q='contenedor certificado') == []   # every word must be there
    assert sorted(found('auditor')) == sorted(cases)


def test_email_and_id_document_find_cases_only_for_roles_that_see_contact_data(cases):
    marta, jorge = cases
    assert found('colaborador', q='marta@example.com') == [marta]
    assert found('colaborador', q='79111222') == [jorge]
    assert found('auditor', q='marta@example.com') == []
    assert found('auditor', q='79111222') == []
    # the list shows no contact value to anyone (name, not email or document)
    rows, _ = case_list_page(db.session, user('auditor'), CaseFilters(), calendar())
    text = case_list_csv(db.session, user('auditor'), CaseFilters(), calendar())
    assert 'Marta Gómez' in text and 'marta@example.com' not in text and '52123456' not in text
    assert {r.case.client_name for r in rows} == {'Marta Gómez', 'Jorge Pérez'}


def test_a_contact_value_quoted_in_the_description_finds_nothing_for_other_roles(any_app):
    deploy_processes()
    demo_users()
    case, _ = pqrsf.register(dict(CLIENT, description='Escríbanme a marta@example.com por favor.'), 'colaborador1')
    assert found('auditor', q='marta@example.com') == []
    assert found('colaborador', q='marta@example.com') == [case.reference]
    assert found('auditor', q='escribanme') == [case.reference]


def test_filters_sorting_paging_and_holder(cases):
    marta, jorge = cases
    assert found('auditor', case_type='P') == [jorge]
    assert found('auditor', branch='BOG') == [marta]
    assert found('auditor', state='completed') == []
    assert sorted(found('auditor', state='running')) == sorted(cases)
    assert found('auditor', sort='radicado', direction='asc') == sorted(cases)
    assert found('auditor', sort='radicado', direction='desc') == sorted(cases, reverse=True)
    assert sorted(found('auditor', deadline='a_tiempo')) == sorted(cases)
    assert found('auditor', deadline='vencida') == []
    assert found('auditor', page='2') == []
    rows, total = case_list_page(db.session, user('auditor'), CaseFilters(), calendar())
    assert int(total) == 2
    holders = {r.case.radicado: r.holder for r in rows}
    group = holders[marta]['groups'][0]  # the first task waits in a group's tray
    assert sorted(found('auditor', holder=group)) == sorted(cases)
    assert found('auditor', holder='nadie') == []


@pytest.mark.parametrize('args, field', [({'state': 'x'}, 'state'), ({'case_type': 'Z'}, 'case_type'),
                                         ({'page': '0'}, 'page'), ({'page': 'a'}, 'page'),
                                         ({'sort': 'client_email'}, 'sort'), ({'q': 'x' * 201}, 'q'),
                                         ({'deadline': 'pronto'}, 'deadline')])
def test_a_bad_filter_names_its_field(args, field):
    with pytest.raises(BadFilter) as bad:
        CaseFilters.from_args(args)
    assert bad.value.field == field


def test_saved_filters_are_each_users_own(cases):
    auditor, colaborador = user('auditor'), user('colaborador')
    row = save_filter(auditor, ' Vencidas CTG ', {'branch': 'CTG', 'deadline': 'vencida', 'page': '3'})
    assert row.query == 'branch=CTG&deadline=vencida&sort=received&direction=desc'
    save_filter(auditor, 'Vencidas CTG', {'branch': 'BOG'})  # the same name is overwritten
    assert [(f.name, f.query) for f in saved_filters(auditor)] == [('Vencidas CTG', 'branch=BOG&sort=received&direction=desc')]
    assert saved_filters(colaborador) == []
    with pytest.raises(Invalid):
        save_filter(auditor, '', {})
    with pytest.raises(BadFilter):
        save_filter(auditor, 'malo', {'state': 'x'})
    with pytest.raises(Missing):
        delete_filter(colaborador, row.id)
    delete_filter(auditor, row.id)
    assert saved_filters(auditor) == []


def test_the_migration_fills_the_search_columns_of_older_cases(cases):
    """Cases registered before the search existed get their columns from their intake event."""
    import importlib.util
    from pathlib import Path
    from app.cases.models import PqrsfCase
    path = Path(__file__).resolve().parents[2] / 'migrations/versions/b7e4c2d9a1f6_case_search_and_saved_filters.py'
    spec = importlib.util.spec_from_file_location('search_migration', path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(db.update(PqrsfCase).values(client_name=None, search_text=None, contact_text=None))
    db.session.commit()
    assert found('colaborador', q='gomez') == []
    migration._backfill(db.session.connection())
    db.session.commit()
    assert found('colaborador', q='gomez') == [cases[0]]
    assert found('colaborador', q='79111222') == [cases[1]]


def test_on_postgresql_the_search_reads_the_full_text_indexes(pg_app):
    """The search's expressions are those of the GIN indexes, so a large table is not scanned."""
    from app.cases.case_list import _words_condition
    from app.cases.models import PqrsfCase
    db.session.execute(db.text('SET enable_seqscan = off'))
    query = select(PqrsfCase.case_id).where(_words_condition(db.session, 'Gómez', show_contact=True))
    compiled = query.compile(dialect=db.engine.dialect)
    plan = '\n'.join(row[0] for row in db.session.connection().exec_driver_sql(
        f'EXPLAIN {compiled}', compiled.params))
    db.session.rollback()
    assert 'ix_pqrsf_case_search' in plan and 'ix_pqrsf_case_contact' in plan, plan
