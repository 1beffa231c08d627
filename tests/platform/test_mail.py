"""Outgoing mail: a worker keeps one SMTP session for the messages it sends, and a session the
server dropped is replaced, not a lost message."""
import pytest

from app.platform import mail
from app.platform.mailcatcher import MailCatcher


def test_messages_share_one_session_and_a_dropped_one_is_replaced(app):
    catcher = MailCatcher(port=0).start()
    app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT=catcher.port)
    try:
        with app.app_context():
            mail.send('uno@example.com', 'Primero', 'Hola.', key='1:a')
            session = mail._kept.smtp
            mail.send('dos@example.com', 'Segundo', 'Hola.', key='1:b')
            assert mail._kept.smtp is session  # no new connection, EHLO (TLS, login) per message
            catcher.stop()  # the server goes away with the session still open
            catcher = MailCatcher(port=catcher.port).start()
            mail.send('tres@example.com', 'Tercero', 'Hola.', key='1:c')
            assert mail._kept.smtp is not session
        assert [m['Subject'] for m in catcher.messages] == ['Tercero']
    finally:
        mail.close_session()
        catcher.stop()


def test_a_server_that_is_down_fails_the_send_and_keeps_no_session(app):
    catcher = MailCatcher(port=0).start()
    app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT=catcher.port)
    with app.app_context():
        mail.send('uno@example.com', 'Primero', 'Hola.')
        catcher.stop()
        with pytest.raises(OSError):  # the job fails, and its retry sends the message later
            mail.send('dos@example.com', 'Segundo', 'Hola.')
        assert mail._kept.smtp is None


def test_the_message_id_is_the_one_its_key_names(app):
    catcher = MailCatcher(port=0).start()
    app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT=catcher.port, MAIL_FROM='PQRSF <pqrsf@empresa.example>')
    try:
        with app.app_context():
            mail.send('uno@example.com', 'Primero', 'Hola.', key='7:task:acknowledgement')
        expected = mail.message_id('7:task:acknowledgement', 'PQRSF <pqrsf@empresa.example>')
        assert catcher.messages[0]['Message-ID'] == expected
        assert expected.endswith('@empresa.example>') and expected != mail.message_id('7:task:decision', 'x@y')
    finally:
        mail.close_session()
        catcher.stop()
