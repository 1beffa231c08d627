"""Real files of each attachment type, made by the libraries that write them (fpdf2, Pillow, zipfile)."""
import io
import zipfile
from pathlib import Path

from fpdf import FPDF
from PIL import Image

DTD_FOLDER = Path(__file__).resolve().parents[1] / 'diagrams' / 'dtd'
DTD_FILES = sorted(DTD_FOLDER.glob('*.bpmn'))
DOCTYPE_LINE = 2  # every diagram there declares its DTD right after the XML declaration


def pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font('helvetica', size=12)
    document.cell(text='Factura del flete')
    return bytes(document.output())


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new('RGB', (8, 8), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def docx() -> bytes:
    """The parts Word needs first in the archive: content types, relationships, the document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types/>')
        archive.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships/>')
        archive.writestr('word/document.xml', '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('nota.txt', 'hola')
    return buffer.getvalue()


EXECUTABLE = b'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff' + b'\x00' * 48 + b'PE\x00\x00'
