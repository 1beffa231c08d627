"""Upload checks (app/uploads.py) against the types the intake declares: real files of each type
pass, content that is not what its extension says, empty files and unclean names do not."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from app.cases.attachments import ALLOWED_TYPES, MAX_BYTES, MAX_FILES
from app.cases.uploads import NAME_LIMIT, check_files, clean_name
from tests.support import files


def _check(*uploads):
    return check_files([FileStorage(io.BytesIO(content), filename=name) for name, content in uploads],
                       ALLOWED_TYPES, MAX_FILES, MAX_BYTES)


@pytest.mark.parametrize(('name', 'content', 'mime'), [
    ('factura.pdf', files.pdf(), 'application/pdf'),
    ('foto.PNG', files.image('PNG'), 'image/png'),
    ('foto.jpg', files.image('JPEG'), 'image/jpeg'),
    ('foto.jpeg', files.image('JPEG'), 'image/jpeg'),
    ('carta.docx', files.docx(), ALLOWED_TYPES['.docx']),
    ('nota.txt', 'Señores: el envío llegó tarde.\r\n\tGracias.'.encode(), 'text/plain'),
    ('nota-latin1.txt', 'Señores, año 2026'.encode('latin-1'), 'text/plain'),
])
def test_real_files_of_each_declared_type_are_accepted(name, content, mime):
    accepted, errors = _check((name, content))
    assert errors == [] and accepted == [(name, mime, content)]


@pytest.mark.parametrize(('name', 'content', 'looks_like'), [
    ('factura.pdf', files.EXECUTABLE, 'EXE'),  # a program renamed
    ('foto.jpg', files.image('PNG'), 'PNG'),  # another image type
    ('foto.png', files.pdf(), 'PDF'),
    ('carta.docx', files.zip_archive(), 'ZIP'),  # a zip that is no Word document
    ('nota.txt', files.image('PNG'), 'PNG'),  # binary content as text
    ('nota.txt', b'hola\x00\x01\x02mundo', 'contenido sin un formato reconocible'),
    ('factura.pdf', b'esto no es un PDF', 'contenido sin un formato reconocible'),
])
def test_content_that_is_not_the_declared_type_is_refused(name, content, looks_like):
    accepted, errors = _check((name, content))
    assert accepted == []
    assert errors == [f'{name}: el contenido no corresponde a su extensión (parece {looks_like}).']


def test_empty_files_are_refused_and_the_others_still_checked():
    accepted, errors = _check(('vacio.pdf', b''), ('foto.png', files.image('PNG')))
    assert errors == ['vacio.pdf: el archivo está vacío.']
    assert [name for name, _type, _content in accepted] == ['foto.png']


def test_type_count_and_size_limits_still_hold():
    assert _check(('virus.exe', files.EXECUTABLE))[1] == [
        'virus.exe: tipo no permitido (se aceptan .docx, .jpeg, .jpg, .pdf, .png, .txt).']
    assert _check(*[(f'{n}.txt', b'hola') for n in range(MAX_FILES + 1)]) == (
        [], [f'Puede adjuntar como máximo {MAX_FILES} archivos.'])
    assert _check(('grande.txt', b'a' * (MAX_BYTES + 1)))[1] == ['grande.txt: supera el máximo de 5 MB.']


@pytest.mark.parametrize(('raw', 'clean'), [
    ('fac\x00tu\x07ra\x1b[31m.pdf', 'factura[31m.pdf'),  # NUL, bell, escape
    ('foto\u202egnp.exe.png', 'fotognp.exe.png'),  # a right-to-left override hides the real end
    ('linea\r\nnueva\u2028.txt', 'lineanueva.txt'),
    ('sin\u200bver.pdf', 'sinver.pdf'),  # zero-width space
    ('../../etc/passwd.txt', 'passwd.txt'),
    ('C:\\Users\\marta\\Escritorio\\factura.pdf', 'factura.pdf'),  # a full path from an old browser
    ('..oculto.pdf', 'oculto.pdf'),
    ('  espacios .pdf ', 'espacios .pdf'),
    ('Cafe\u0301.pdf', 'Café.pdf'),  # composed (NFC)
])
def test_names_lose_folders_and_control_characters(raw, clean):
    assert clean_name(raw) == clean


def test_long_names_keep_their_extension():
    name = clean_name('x' * 500 + '.pdf')
    assert len(name) == NAME_LIMIT and name.endswith('x.pdf')


def test_a_name_that_is_only_control_characters_is_refused_by_its_missing_type():
    assert _check(('\x00\x01', files.pdf()))[1][0].startswith('(sin nombre): tipo no permitido')
