"""Checks on uploaded files before anything is stored: how many, how big, a clean name, and
content that really is the type its extension declares (magic bytes, read by `filetype`), so an
executable renamed `.pdf` or an empty file is refused with a message for the form's field."""
import os
import unicodedata

import filetype
from flask_babel import gettext as _

NAME_LIMIT = 200
_STRIPPED = {'Cc', 'Cf', 'Cs', 'Zl', 'Zp'}  # controls, invisible format marks (bidi overrides), line breaks
_TEXT_CONTROLS = (set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}) | {0x7F}


def clean_name(raw: str) -> str:
    """The file's own name: no folders (a full path from old browsers, `../`), no control or
    invisible characters, no leading dots or blanks, at most NAME_LIMIT characters (extension kept)."""
    name = unicodedata.normalize('NFC', raw or '').replace('\\', '/').rsplit('/', 1)[-1]
    name = ''.join(ch for ch in name if unicodedata.category(ch) not in _STRIPPED)
    name = name.strip().lstrip('.').strip()
    stem, extension = os.path.splitext(name)
    if len(name) > NAME_LIMIT:
        name = stem[:NAME_LIMIT - len(extension)] + extension
    return name


def _is_text(content: bytes) -> bool:
    """Plain text: no known binary signature and no control bytes (UTF-8 or a legacy 8-bit code)."""
    return filetype.guess(content) is None and not _TEXT_CONTROLS.intersection(content)


def content_problem(name: str, declared: str, content: bytes) -> str | None:
    """Why `content` is not a file of the `declared` MIME type, or None when it is."""
    if not content:
        return _('%(name)s: el archivo está vacío.', name=name)
    if declared == 'text/plain':
        matches = _is_text(content)
    else:
        matches = filetype.guess_mime(content) == declared
    if matches:
        return None
    found = filetype.guess_extension(content)
    found = found.upper() if found else _('contenido sin un formato reconocible')
    return _('%(name)s: el contenido no corresponde a su extensión (parece %(found)s).', name=name, found=found)


def check_files(files, allowed: dict, max_files: int, max_bytes: int) -> tuple[list, list]:
    """(accepted [(name, MIME type, bytes)], errors) for werkzeug FileStorage uploads; `allowed`
    maps each accepted extension ('.pdf') to the MIME type its content must have."""
    files = [f for f in files if f and f.filename]
    if len(files) > max_files:
        return [], [_('Puede adjuntar como máximo %(n)s archivos.', n=max_files)]
    accepted, errors = [], []
    for upload in files:
        name = clean_name(upload.filename) or _('(sin nombre)')
        extension = os.path.splitext(name)[1].lower()
        if extension not in allowed:
            errors.append(_('%(name)s: tipo no permitido (se aceptan %(types)s).',
                            name=name, types=', '.join(sorted(allowed))))
            continue
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            errors.append(_('%(name)s: supera el máximo de %(mb)s MB.', name=name, mb=max_bytes // (1024 * 1024)))
        elif problem := content_problem(name, allowed[extension], content):
            errors.append(problem)
        else:
            accepted.append((name, allowed[extension], content))
    return accepted, errors
