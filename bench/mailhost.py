"""The SMTP catcher as a host of its own (see hosts.py): accepts every message on ADDRESS:PORT
and writes one JSON line per message (Message-ID, recipient, subject) to standard output, for
the bench to count; runs until SIGTERM.

    python bench/mailhost.py 10.77.0.4 25 > messages.jsonl
"""
import json
import signal
import sys
from email import message_from_bytes, policy

import scratch  # noqa: F401  (puts the project on sys.path)
from app.platform.mailcatcher import SmtpEndpoint


class PrintMessages:
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        print(json.dumps({'message_id': message['Message-ID'], 'to': message['To'],
                          'subject': message['Subject']}), flush=True)
        return '250 Message accepted'


def main():
    address, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with SmtpEndpoint(PrintMessages(), address, port):
        print(json.dumps({'listening': f'{address}:{port}'}), file=sys.stderr, flush=True)
        while True:
            signal.pause()


if __name__ == '__main__':
    main()
