"""bench/corpus.py: a folder of diagrams is counted accepted / refused by cause, with a form and a
handler supplied for every key and topic, call targets found among the siblings, Camunda 8 files
set apart, and a file the linter cannot read refused rather than crashing the run."""
import importlib.util
import io

from tests.support.flow import ROOT

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">\n')


def _process(pid, task):
    return (HEAD + f'<bpmn:process id="{pid}" isExecutable="true">'
            '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
            f'{task}<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>'
            '<bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>\n')


SERVICE = '<bpmn:serviceTask id="t" camunda:type="external" camunda:topic="made-up-topic"/>'
USER_WITH_KEY = '<bpmn:userTask id="t" camunda:formKey="a-form-nobody-wrote"/>'
JAVA = '<bpmn:serviceTask id="t" camunda:class="org.acme.SendMail"/>'
CALL = '<bpmn:callActivity id="t" calledElement="callee"/>'
ZEEBE = HEAD.replace('id="d"', 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d"')


def _corpus_module():
    spec = importlib.util.spec_from_file_location('corpus_bench', ROOT / 'bench' / 'corpus.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _folder(tmp_path):
    (tmp_path / 'service.bpmn').write_text(_process('service', SERVICE))
    (tmp_path / 'form.bpmn').write_text(_process('form', USER_WITH_KEY))
    (tmp_path / 'java.bpmn').write_text(_process('java', JAVA))
    (tmp_path / 'broken.bpmn').write_text(HEAD + '<bpmn:process id="x">')
    (tmp_path / 'camunda8.bpmn').write_text(ZEEBE + '</bpmn:definitions>')
    calls = tmp_path / 'calls'
    calls.mkdir()
    (calls / 'caller.bpmn').write_text(_process('caller', CALL))
    (calls / 'callee.bpmn').write_text(_process('callee', JAVA))
    return tmp_path


def test_the_folder_is_counted_by_verdict_and_cause(tmp_path):
    corpus = _corpus_module()
    root = _folder(tmp_path)
    results, camunda8, _ = corpus.run(root)
    verdicts = {r.path.name: r.accepted for r in results}
    assert verdicts == {'service.bpmn': True, 'form.bpmn': True, 'java.bpmn': False,
                        'broken.bpmn': False, 'caller.bpmn': True, 'callee.bpmn': False}
    assert [p.name for p in camunda8] == ['camunda8.bpmn']
    assert not any(r.crash for r in results)
    caller = next(r for r in results if r.path.name == 'caller.bpmn')
    assert [p.name for p in caller.documents] == ['caller.bpmn', 'callee.bpmn']

    out = io.StringIO()
    corpus.report(root, results, camunda8, False, verbose=False, out=out)
    text = out.getvalue()
    assert 'files: 6 (Camunda 7 / BPMN) + 1 Camunda 8' in text
    assert 'accepted: 3' in text and 'refused: 3 (of which crashes: 0)' in text
    assert '     2     2  service task not an external task' in text


def test_causes_lose_what_differs_between_diagrams():
    corpus = _corpus_module()
    assert corpus.cause_key("La condición no se puede evaluar: '!approved': no es Python válido "
                            "(línea 1): invalid syntax") == 'JUEL not translated (! && || .equals eq ...)'
    assert corpus.cause_key("La expresión del temporizador (timeCycle) no se puede evaluar: "
                            "'0 0/5 * * * ?': no es Python válido (línea 1): invalid syntax") == 'cron timeCycle'
    assert corpus.cause_key("El script no se puede ejecutar: línea 3: el nombre 'x' no está permitido") \
        == 'El script no se puede ejecutar: línea N: el nombre ‘…’ no está permitido'


def test_an_accept_the_engine_would_not_run_as_drawn_is_flagged(tmp_path):
    """Sequence flows without ids: SpiffWorkflow builds the process without the task and end."""
    corpus = _corpus_module()
    no_ids = _process('no_ids', USER_WITH_KEY).replace(' id="f1"', '').replace(' id="f2"', '')
    (tmp_path / 'no_ids.bpmn').write_text(no_ids)
    [result], _, _ = corpus.run(tmp_path)
    assert not result.crash
    assert not result.accepted or result.lost == ['t', 'e']
