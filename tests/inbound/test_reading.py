"""Reading received messages without a server: broken or unusual messages give what they can
and never raise; the answer words match the first line the sender wrote, whatever its case,
accents or punctuation."""
from app.inbound import mime

WORDS = {'accept': ['acepto', 'sí acepto'], 'reject': ['no acepto']}


def test_a_message_that_is_not_mime_gives_what_it_can():
    parsed = mime.parse(b'\xff\xfe garbage without headers \x00\x01')
    assert parsed.sender == '' and parsed.attachments == []
    head = mime.envelope_of(b'\xff\xfe garbage')
    assert head.dedup_key.startswith('sha:') and head.message_id is None


def test_a_legacy_charset_and_an_unknown_one_are_read_or_left_empty():
    latin = (b'From: =?iso-8859-1?q?Jos=E9?= <jose@example.com>\r\nSubject: Queja\r\n'
             b'Content-Type: text/plain; charset=iso-8859-1\r\n\r\nLleg\xf3 tarde.\r\n')
    parsed = mime.parse(latin)
    assert (parsed.sender_name, parsed.text) == ('José', 'Llegó tarde.')
    unknown = b'From: a@example.com\r\nContent-Type: text/plain; charset=x-nada\r\n\r\nhola\r\n'
    assert mime.parse(unknown).sender == 'a@example.com'


def test_the_same_message_id_gives_the_same_key_and_no_id_the_hash_of_the_bytes():
    one = b'Message-ID: <a@b>\r\nSubject: x\r\n\r\nuno'
    assert mime.envelope_of(one).dedup_key == mime.envelope_of(one.replace(b'uno', b'dos')).dedup_key
    assert mime.envelope_of(b'Subject: x\r\n\r\nuno').dedup_key != mime.envelope_of(b'Subject: x\r\n\r\ndos').dedup_key


def test_the_answer_word_is_the_first_line_not_quoted():
    assert mime.answer_word('\n  ¡SI ACEPTO!  \n> No acepto', WORDS) == 'accept'
    assert mime.answer_word('> acepto\nNo acepto.', WORDS) == 'reject'
    assert mime.answer_word('Acepto, pero quiero más.', WORDS) is None
    assert mime.answer_word('', WORDS) is None


def test_the_radicado_is_found_in_any_case_and_html_loses_its_scripts():
    assert mime.radicado_in('RE: rv: caso pqrsf-2027-000042 pendiente') == 'PQRSF-2027-000042'
    assert mime.radicado_in('Re: PQRSF-27-42') is None
    assert mime.html_text('<p>Hola<script>x()</script></p><p>mundo</p>') == 'Hola\nmundo'
    assert mime.html_text('') == ''
