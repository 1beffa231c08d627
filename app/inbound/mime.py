"""Reading a received message (no Flask, no database): who sent it, its subject, its text (the
plain part, or the HTML part turned into text), its attachments, whether it is an automatic
message that must never be answered, and the radicado its subject names."""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from lxml import html as lxml_html

from app.cases.radicado import PREFIX

RADICADO = re.compile(rf'\b{PREFIX}-\d{{4}}-\d{{6}}\b', re.IGNORECASE)
PRECEDENCE_IGNORED = ('bulk', 'junk', 'list', 'auto_reply')
MAX_TEXT = 20_000  # characters of text kept from one message
# why a message is ignored (app/inbound/labels.py names them for the list)
AUTO_SUBMITTED, AUTO_REPLY, PRECEDENCE, MAILING_LIST = 'auto_submitted', 'autoreply', 'precedence', 'list'
NULL_SENDER, OWN_ADDRESS, FLOOD = 'null_sender', 'own_address', 'flood'


@dataclass
class Envelope:
    """What the list and the deduplication need, read from the headers only."""
    dedup_key: str
    message_id: str | None
    sender: str
    sender_name: str | None
    subject: str | None


@dataclass
class Parsed:
    sender: str
    sender_name: str | None
    subject: str
    sent_at: object
    text: str
    attachments: list = field(default_factory=list)  # [(file name, bytes)]


def _message(raw: bytes, headers_only=False):
    if headers_only:
        return BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    return message_from_bytes(raw, policy=policy.default)


def _header(message, name) -> str:
    try:
        return str(message.get(name, '') or '').strip()
    except (ValueError, IndexError, TypeError):  # a malformed header: as absent
        return ''


def _from(message) -> tuple[str, str | None]:
    pairs = getaddresses([_header(message, 'From')])
    name, address = pairs[0] if pairs else ('', '')
    return address.strip().lower()[:300], (name.strip()[:300] or None)


def envelope_of(raw: bytes) -> Envelope:
    """The key that makes the same message stored once: its Message-ID when it has one, else
    the SHA-256 of its bytes."""
    message = _message(raw, headers_only=True)
    message_id = _header(message, 'Message-ID')[:500] or None
    digest = hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()
    sender, name = _from(message)
    return Envelope(f"{'mid' if message_id else 'sha'}:{digest}", message_id, sender, name,
                    _header(message, 'Subject')[:500] or None)


def ignored_reason(raw: bytes, envelope_from: str, own_address: str) -> str | None:
    """Why this message is automatic (an auto-reply, a list, a bounce, our own) or None."""
    message = _message(raw, headers_only=True)
    auto = _header(message, 'Auto-Submitted').lower()
    if auto and auto != 'no':
        return AUTO_SUBMITTED
    if _header(message, 'X-Autoreply') or _header(message, 'X-Autorespond'):
        return AUTO_REPLY
    if _header(message, 'Precedence').lower() in PRECEDENCE_IGNORED:
        return PRECEDENCE
    if _header(message, 'List-Id'):
        return MAILING_LIST
    return_path = message.get('Return-Path')
    if not envelope_from or (return_path is not None and _header(message, 'Return-Path') in ('', '<>')):
        return NULL_SENDER
    sender, _name = _from(message)
    if own_address and sender == own_address.lower():
        return OWN_ADDRESS
    return None


def html_text(markup: str) -> str:
    """The text of an HTML part: scripts and styles dropped, blocks on their own lines."""
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return ''
    for node in tree.xpath('//script|//style|//head'):
        node.drop_tree()
    for node in tree.xpath('//br|//p|//div|//li|//tr|//h1|//h2|//h3|//blockquote'):
        node.tail = '\n' + (node.tail or '')
    text = tree.text_content()
    lines = [' '.join(line.split()) for line in text.splitlines()]
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip()


def _body_text(message) -> str:
    part = message.get_body(preferencelist=('plain',))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=('html',))
    return html_text(part.get_content()) if part is not None else ''


def parse(raw: bytes) -> Parsed:
    """Everything a draft or a case reply shows of the message."""
    message = _message(raw)
    sender, name = _from(message)
    try:
        text = _body_text(message)
    except (LookupError, ValueError, KeyError):  # an unknown charset or a broken part
        text = ''
    try:
        sent_at = parsedate_to_datetime(_header(message, 'Date'))
    except (TypeError, ValueError, IndexError):
        sent_at = None
    files = []
    for part in message.iter_attachments():
        try:
            content = part.get_content()
        except (LookupError, ValueError, KeyError):
            content = b''
        if isinstance(content, str):
            content = content.encode('utf-8')
        if not isinstance(content, bytes):  # an attached message (message/rfc822)
            content = bytes(part.get_payload(decode=True) or b'')
        files.append((part.get_filename() or '', content))
    return Parsed(sender, name, _header(message, 'Subject'), sent_at, text.strip()[:MAX_TEXT], files)


def radicado_in(subject: str | None) -> str | None:
    found = RADICADO.search(subject or '')
    return found.group(0).upper() if found else None


def _plain(value: str) -> str:
    value = unicodedata.normalize('NFKD', value.lower())
    value = ''.join(ch for ch in value if not unicodedata.combining(ch))
    return ' '.join(re.sub(r'[^\w\s]', ' ', value).split())


def first_line(text: str) -> str:
    """The first line the sender wrote (not quoted with `>`, not blank), lower case, without
    accents nor punctuation: what is compared with the declared answer words."""
    for line in (text or '').splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith('>'):
            return _plain(stripped)
    return ''


def answer_word(text: str, words: dict) -> str | None:
    """The decision (`accept`, `reject`) whose declared words the first line is, or None."""
    line = first_line(text)
    for decision, choices in words.items():
        if line in {_plain(c) for c in choices}:
            return decision
    return None
