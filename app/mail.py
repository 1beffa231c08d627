"""Outgoing mail over SMTP, one recipient per message (no email exposes other recipients)."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def send(recipient: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message['From'] = config['MAIL_FROM']
    message['To'] = recipient
    message['Subject'] = subject
    message.set_content(body)
    with smtplib.SMTP(config['SMTP_HOST'] or '127.0.0.1', config['SMTP_PORT'], timeout=30) as smtp:
        if config['SMTP_USER']:
            smtp.starttls()
            smtp.login(config['SMTP_USER'], config['SMTP_PASSWORD'])
        smtp.send_message(message)
