"""Diagrams with a DTD (entity bombs, external entities, external DTDs) are refused before any
entity is read, naming the file and the line: by the parser, `pqrsf validate` and deploy."""
import pytest
from lxml import etree

from app.engine.lint import Linter
from app.engine.parser import read_xml
from tests.support.cli import pqrsf
from tests.support.files import DOCTYPE_LINE, DTD_FILES as FILES, DTD_FOLDER as DTD



def test_there_are_bomb_and_external_entity_files():
    assert {f.name for f in FILES} >= {'billion_laughs.bpmn', 'external_entity.bpmn', 'external_dtd.bpmn'}


@pytest.mark.parametrize('path', FILES, ids=lambda p: p.name)
def test_the_parser_refuses_a_doctype_naming_file_and_line(path):
    with pytest.raises(etree.XMLSyntaxError) as refused:
        read_xml(path.read_bytes(), path.name)
    assert refused.value.lineno == DOCTYPE_LINE
    assert path.name in refused.value.msg and 'DOCTYPE' in refused.value.msg


def test_a_doctype_the_byte_search_cannot_see_is_refused_after_parsing():
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE a>\n<a/>'
    with pytest.raises(etree.XMLSyntaxError, match='DOCTYPE'):
        read_xml(text.encode('utf-16'))
    assert read_xml('<a>&amp;</a>').getroot().text == '&'  # predefined entities still work


@pytest.mark.parametrize('path', FILES, ids=lambda p: p.name)
def test_the_linter_reports_it_as_one_problem_at_that_line(path):
    [problem] = Linter().lint({path.name: path.read_bytes()})
    assert (problem.file, problem.line) == (path.name, DOCTYPE_LINE) and 'DOCTYPE' in problem.message
    assert 'root:' not in problem.message  # /etc/passwd was never read


def test_pqrsf_validate_and_deploy_refuse_them(app):
    names = [str(p.relative_to(DTD.parent.parent.parent)) for p in FILES]
    validated = pqrsf('validate', *names)
    assert validated.returncode == 1
    for path in FILES:
        assert f'{path.name}:{DOCTYPE_LINE}:' in validated.stdout and 'DOCTYPE' in validated.stdout
    deployed = pqrsf('deploy', *names)
    assert deployed.returncode == 1 and 'no se desplegó nada' in deployed.stderr
