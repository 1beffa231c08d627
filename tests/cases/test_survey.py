"""The satisfaction survey of seed 001: one rating 1-5 per criterion plus a comment, each
criterion required, the overall rating their rounded mean (halves up); the page without
JavaScript: radio groups with legends, what was chosen kept when something is missing."""
import re

import pytest

from app.cases import service as pqrsf
from app.cases.links import make_token
from app.cases.models import SurveyAnswer
from app.cases.vocabulary import SURVEY_CRITERIA
from app.engine.errors import Conflict
from app.platform.refusals import Invalid
from tests.support import flow
from tests.support.pqrsf import register
from tests.support.web import csrf_token, post_form

CRITERIA = list(SURVEY_CRITERIA)


def _form(*values, comment=''):
    return {**{f'rating_{c}': str(v) for c, v in zip(CRITERIA, values)}, 'comment': comment}


@pytest.fixture
def survey_token(site):
    case_id, _ = register(site)
    return case_id, make_token(case_id, 'survey')


@pytest.mark.parametrize('values, overall', [
    ((5, 5, 5, 5, 5, 5), 5), ((1, 1, 1, 1, 1, 1), 1),
    ((4, 5, 4, 5, 4, 5), 5),   # 4.5: halves go up
    ((3, 4, 3, 4, 3, 3), 3),   # 3.33
    ((2, 3, 2, 3, 3, 2), 3),   # 2.5 -> 3, not banker's 2
    ((5, 4, 4, 4, 4, 4), 4),   # 4.17
])
def test_ratings_are_stored_and_the_overall_is_their_rounded_mean(survey_token, values, overall):
    case_id, token = survey_token
    pqrsf.survey_from_link(token=token, data=_form(*values, comment='  Buen trato.  '))
    answer = flow.read(lambda s: s.get(SurveyAnswer, case_id))
    assert answer.ratings == dict(zip(CRITERIA, values))
    assert answer.rating == overall and answer.comment == 'Buen trato.'
    with pytest.raises(Conflict):
        pqrsf.survey_from_link(token=token, data=_form(*values))


def test_every_criterion_is_required_and_named_when_missing(survey_token):
    case_id, token = survey_token
    data = _form(5, 5, 5, 5, 5, 5)
    del data['rating_courtesy']
    data['rating_facilities'] = '6'
    with pytest.raises(Invalid) as refused:
        pqrsf.survey_from_link(token=token, data=data)
    assert set(refused.value.errors) == {'rating_courtesy', 'rating_facilities'}
    assert refused.value.errors['rating_courtesy'] == ['Califique «Cortesía» de 1 a 5.']
    assert str(refused.value) == ('Califique cada aspecto de 1 a 5. Falta: Cortesía, '
                                  'Estado de las instalaciones.')
    with pytest.raises(Invalid):
        pqrsf.survey_from_link(token=token, data={'rating': '5'})  # the old single rating is not enough
    assert flow.read(lambda s: s.get(SurveyAnswer, case_id)) is None


def test_the_page_asks_each_criterion_and_keeps_the_choices_on_an_error(site, survey_token):
    case_id, token = survey_token
    client = site.test_client()
    page = client.get(f'/encuesta/{token}').get_data(as_text=True)
    groups = re.findall(r'<fieldset class="rating-scale" id="criterion-(\w+)"[^>]*>\s*<legend>([^<]+)</legend>', page)
    assert groups == [(c, str(label)) for c, label in SURVEY_CRITERIA.items()]
    for criterion in CRITERIA:
        radios = re.findall(rf'<input type="radio" name="rating_{criterion}" value="(\d)" required>', page)
        assert radios == ['1', '2', '3', '4', '5'], criterion
    assert 'id="comment" name="comment"' in page and '1 = muy insatisfecho, 5 = muy satisfecho' in page

    data = _form(4, 3, 5, 4, 2, 1, comment='Tardaron en llamar.')
    del data['rating_commitments']
    response = post_form(client, f'/encuesta/{token}', data, page=f'/encuesta/{token}')
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="error-summary-title">Califique cada aspecto de 1 a 5. Falta: Cumplimiento de compromisos.<' in page
    assert 'id="rating_commitments-error">Califique «Cumplimiento de compromisos» de 1 a 5.<' in page
    assert re.search(r'id="criterion-commitments" aria-describedby="survey-scale rating_commitments-error" aria-invalid="true"', page)
    assert 'name="rating_courtesy" value="5" required checked' in page  # what was chosen stays
    assert 'name="rating_facilities" value="1" required checked' in page
    assert '>Tardaron en llamar.</textarea>' in page
    data['rating_commitments'] = '4'
    done = post_form(client, f'/encuesta/{token}', data, page=f'/encuesta/{token}')
    assert done.status_code == 200 and 'Gracias por su opinión.' in done.get_data(as_text=True)
    assert flow.read(lambda s: s.get(SurveyAnswer, case_id).rating) == 3  # 19 / 6 = 3.17


def test_the_page_in_english(site, survey_token):
    _, token = survey_token
    client = site.test_client()
    post_form(client, '/idioma', {'lang': 'en', 'next': f'/encuesta/{token}'}, page=f'/encuesta/{token}')
    page = client.get(f'/encuesta/{token}').get_data(as_text=True)
    assert '<html lang="en">' in page
    for label in ('Response times', 'Communication', 'Courtesy', 'Commitments kept', 'Accessibility',
                  'State of the facilities'):
        assert f'<legend>{label}</legend>' in page
    assert '1 = very dissatisfied, 5 = very satisfied' in page
    response = post_form(client, f'/encuesta/{token}', {'rating_courtesy': '5'}, page=f'/encuesta/{token}')
    assert response.status_code == 422
    assert 'Rate «Response times» from 1 to 5.' in response.get_data(as_text=True)
