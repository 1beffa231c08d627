"""Outgoing mail over SMTP, one recipient per message (no email exposes other recipients).

A worker keeps its SMTP session open between messages: opening one costs a TCP handshake,
EHLO and, in production, TLS and a login, more than sending a message over a live one. A kept
session is used only if it was used in the last minute and still answers NOOP; otherwise a new
one is opened. A message is still handed over once: a failure while sending raises, as before,
and the job's retry (same Message-ID) decides what happens next.
"""
import hashlib
import smtplib
import threading
import time
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

KEEP_SECONDS = 60  # longer idle than this and the server (or a firewall) may have dropped it
_kept = threading.local()


def send(recipient: str, subject: str, body: str, key: str | None = None) -> None:
    """Send one message; `key` (the effect's idempotency key) fixes its Message-ID, so a copy
    sent again by a retry carries the same id and mail systems can tell it is the same."""
    config = current_app.config
    message = EmailMessage()
    message['From'] = config['MAIL_FROM']
    if key is not None:
        message['Message-ID'] = message_id(key, config['MAIL_FROM'])
    message['To'] = recipient
    message['Subject'] = subject
    message['Auto-Submitted'] = 'auto-generated'  # RFC 3834: no auto-reply to us (and we answer none)
    message.set_content(body)
    smtp = _session(config)
    try:
        smtp.send_message(message)
    except BaseException:
        close_session()
        raise
    _kept.used_at = time.monotonic()


def message_id(key: str, mail_from: str) -> str:
    """The Message-ID of the message sent with idempotency key `key` (the same on every retry)."""
    domain = parseaddr(mail_from)[1].rpartition('@')[2] or 'pqrsf.local'
    return f'<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>'


def _session(config) -> smtplib.SMTP:
    """This thread's live session with the configured server, opened if need be."""
    server = (config['SMTP_HOST'] or '127.0.0.1', config['SMTP_PORT'], config['SMTP_USER'])
    smtp = getattr(_kept, 'smtp', None)
    if smtp is not None:
        if _kept.server == server and time.monotonic() - _kept.used_at < KEEP_SECONDS and _answers(smtp):
            return smtp
        close_session()
    smtp = smtplib.SMTP(server[0], server[1], timeout=30)
    try:
        if config['SMTP_USER']:
            smtp.starttls()
            smtp.login(config['SMTP_USER'], config['SMTP_PASSWORD'])
    except BaseException:
        smtp.close()
        raise
    _kept.smtp, _kept.server, _kept.used_at = smtp, server, time.monotonic()
    return smtp


def _answers(smtp) -> bool:
    try:
        return smtp.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def close_session() -> None:
    """Forget this thread's kept session (if any); the next message opens a new one."""
    smtp, _kept.smtp = getattr(_kept, 'smtp', None), None
    if smtp is not None:
        smtp.close()  # no QUIT: the session is stale or broken, and waiting on it helps nobody
