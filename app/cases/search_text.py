"""What the staff search reads of a case, kept on its PqrsfCase row: the words anyone may search
(radicado, client name, description) and, apart, the contact values (email, id document) that
only the roles of accounts.roles.CLIENT_DATA may search. Both are folded (lower case, no
accents) so that "gomez" finds "Gómez" on SQLite and PostgreSQL alike. No Flask here: the
migration that fills the columns of older cases calls it too."""
import unicodedata

SEARCHED = ('client_name', 'description')  # intake keys anyone may search
CONTACT_SEARCHED = ('client_email', 'client_id_document')  # only CLIENT_DATA roles
MAX_TEXT = 20_000


def fold(value) -> str:
    """Lower case, accents and extra spaces removed: 'José  GÓMEZ' -> 'jose gomez'."""
    decomposed = unicodedata.normalize('NFKD', str(value or ''))
    plain = ''.join(ch for ch in decomposed if not unicodedata.combining(ch))
    return ' '.join(plain.lower().split())


def _without(text: str, secrets) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, ' ')
    return text


def texts_of(radicado: str, intake: dict) -> dict:
    """The row's search columns for a case registered with `intake`. A contact value quoted in
    the description is left out of the public words, so no role finds a case by it there."""
    intake = intake or {}
    contact = [fold(intake.get(key)) for key in CONTACT_SEARCHED if intake.get(key)]
    words = ' '.join(fold(intake.get(key)) for key in SEARCHED if intake.get(key))
    name = str(intake.get('client_name') or '').strip()[:200] or None
    return {'client_name': name,
            'search_text': f'{fold(radicado)} {_without(words, contact)}'.strip()[:MAX_TEXT],
            'contact_text': ' '.join(contact)[:MAX_TEXT] or None}
