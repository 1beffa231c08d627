"""Outgoing mail over SMTP, one recipient per message (no email exposes other recipients)."""
import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app


def send(recipient: str, subject: str, body: str, key: str | None = None) -> None:
    """Send one message; `key` (the effect's idempotency key) fixes its Message-ID, so a copy
    sent again by a retry carries the same id and mail systems can tell it is the same."""
    config = current_app.config
    message = EmailMessage()
    message['From'] = config['MAIL_FROM']
    if key is not None:
        domain = parseaddr(config['MAIL_FROM'])[1].rpartition('@')[2] or 'pqrsf.local'
        message['Message-ID'] = f'<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>'
    message['To'] = recipient
    message['Subject'] = subject
    message.set_content(body)
    with smtplib.SMTP(config['SMTP_HOST'] or '127.0.0.1', config['SMTP_PORT'], timeout=30) as smtp:
        if config['SMTP_USER']:
            smtp.starttls()
            smtp.login(config['SMTP_USER'], config['SMTP_PASSWORD'])
        smtp.send_message(message)
