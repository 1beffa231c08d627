"""The password policy (app/passwords.py) and create_user, which applies it to every account."""
import pytest
from flask import session
from sqlalchemy import select

from app.accounts.login import AccountError, authenticate, create_user
from app.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from app.accounts.models import User
from app.accounts.passwords import MIN_LENGTH, password_problem

GOOD = 'Tr0mbón-azul-de-17'


@pytest.mark.parametrize(('password', 'username', 'says'), [
    ('', 'bob', 'al menos 12 caracteres'),
    ('Xq7#kd9!Lm2', 'bob', 'al menos 12 caracteres'),  # 11 characters, otherwise strong
    ('marta.gomez1', 'marta.gomez', 'nombre de usuario'),  # contains it
    ('MARTA.GOMEZ', 'marta.gomez', 'al menos 12'),  # length first
    ('Marta.Gomez-2026!', 'marta.gomez', 'nombre de usuario'),  # any case
    ('MartaGomez-2026!', 'marta.gomez', 'nombre de usuario'),  # without the dot too
    ('password1234', 'bob', 'de las más usadas'),  # in zxcvbn's list as it is
    ('Qwertyuiop12', 'bob', 'de las más usadas'),  # ignoring case
    ('Sunshine2026!!', 'bob', 'de las más usadas'),  # a listed one with digits and signs added
    ('123456789012', 'bob', 'fácil de adivinar'),  # a sequence
    ('zzzzzzzzzzzzzzzz', 'bob', 'fácil de adivinar'),  # a repetition
])
def test_weak_passwords_are_refused_saying_why(password, username, says):
    assert says in password_problem(password, username)


@pytest.mark.parametrize(('password', 'username'), [
    (GOOD, 'bob'),
    ('correct horse battery staple', 'lider'),
    ('ana-no-está-aquí-ni-allá', 'al'),  # a two-letter name only counts when it is the whole password
])
def test_long_uncommon_passwords_pass(password, username):
    assert len(password) >= MIN_LENGTH
    assert password_problem(password, username) is None


def test_the_demo_password_meets_the_policy_for_every_demo_user():
    assert all(password_problem(DEMO_PASSWORD, username) is None for username, _name, _roles in DEMO_USERS)


def test_the_messages_have_english_translations(app):
    with app.test_request_context('/'):
        session['lang'] = 'en'
        assert password_problem('corta', 'bob') == 'The password must have at least 12 characters.'
        assert 'user name' in password_problem('bob-the-builder-2026', 'bob')


def test_create_user_applies_the_policy_and_stores_nothing_refused(app):
    for password, says in (('demo12345', 'al menos 12'), ('carla-ruiz-2026', 'nombre de usuario'),
                           ('iloveyou1234!', 'de las más usadas')):
        with pytest.raises(AccountError, match=says):
            create_user('carla-ruiz', password, ['colaborador'])
    assert app.extensions['sqlalchemy'].session.scalars(select(User)).all() == []
    user = create_user('carla-ruiz', GOOD, ['colaborador'])
    assert authenticate('carla-ruiz', GOOD) == user
    assert authenticate('carla-ruiz', 'demo12345') is None
