"""A local SMTP server that keeps every message instead of delivering it (demo and tests)."""
import os
import socket
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _KeepMessages:
    def __init__(self, folder=None):
        self.folder = folder
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        if self.folder:
            name = f'{time.time():.6f}.eml'
            with open(os.path.join(self.folder, name), 'wb') as handle:
                handle.write(envelope.content)
        return '250 Message accepted'


def free_port(host) -> int:
    """aiosmtpd checks its server by connecting to the given port, so 0 will not do."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class SmtpEndpoint:
    """An aiosmtpd server of `handler` on host:port (0: a free port); `with` starts and stops it.
    The mail catcher here and the inbound mailbox (app/inbound/mailbox.py) are two."""

    def __init__(self, handler, host, port, **options):
        self.handler = handler
        self.controller = Controller(handler, hostname=host, port=port or free_port(host), **options)
        self.host = host

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class MailCatcher(SmtpEndpoint):
    """`with MailCatcher(port=0) as mail:` ... `mail.messages`; `mail.port` is the bound port."""

    def __init__(self, host='127.0.0.1', port=1025, folder=None):
        if folder:
            os.makedirs(folder, exist_ok=True)
        super().__init__(_KeepMessages(folder), host, port)

    @property
    def messages(self):
        return self.handler.messages
