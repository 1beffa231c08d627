"""The executed path of a case, drawn on its diagrams in the browser (app/static/src/oversight/path/
on /casos/<radicado>/recorrido): a queja whose improvement opportunity looped once (not effective,
back to analysis) and whose client rejected the decision (escalated). An auditor sees, tab by tab,
the states, the flows taken and not taken, the run counts, and replays the history back to before
the second analysis. Screenshots of every step land in test-output/screenshots/.

Selectors relied upon:
  #path-view[data-ready=true][data-process=ID]      a render of process ID is on screen
  #path-canvas g.djs-element[data-element-id=ID]    an element; markers are classes on it
  .path-badge[data-element-id=ID]                   its run-count badge (a diagram-js overlay)
  #path-tabs button[data-process-id=ID]             the tab of a process
  #replay-range / #replay-label                     the replay slider and the moment shown
"""

from tests.support import flow
from tests.support.pqrsf import looped_and_escalated_case
from tests.support.web import browser_login



def _looped_and_escalated_case(app):
    case_id, radicado = looped_and_escalated_case(app)
    flow.read(lambda s: None)  # nothing left open while the browser reads
    return case_id, radicado


def _login(page, site, username='auditor'):
    browser_login(page, site, username)


def _element(page, element_id):
    return page.locator(f'#path-canvas g.djs-element[data-element-id="{element_id}"]')


def _classes(page, element_id):
    return set((_element(page, element_id).get_attribute('class') or '').split())


def _badge(page, element_id):
    return page.locator(f'#path-canvas .path-badge[data-element-id="{element_id}"]')


def _wait_shown(page, process_id):
    page.wait_for_selector(f'#path-view[data-ready=true][data-process="{process_id}"]')
    _element(page, _first_shape(process_id)).wait_for(state='attached')


def _first_shape(process_id):
    return {'pqrsf': 'attention', 'pqrsf_attention': 'classify', 'improvement_opportunity': 'analyse_causes',
            'escalation': 'level_1_review'}[process_id]


def _title(page, element_id):
    return _element(page, element_id).locator(':scope > title').text_content()


def _viewbox(page):
    return page.evaluate("""() => { const v = window.pqrsfPath.viewer.get('canvas').viewbox();
                                    return [v.x, v.y, v.width, v.height, v.scale]; }""")


def test_auditor_sees_the_loop_and_the_escalation_and_replays_them(app, site, page, phone_page, shot):
    case_id, radicado = _looped_and_escalated_case(app)

    _login(page, site)
    page.goto(f'{site}/casos/{radicado}/recorrido')
    _wait_shown(page, 'pqrsf')
    tabs = page.locator('#path-tabs button').all_inner_texts()
    assert tabs[0] == 'pqrsf v1' and sorted(tabs[1:]) == [
        'client_communication v1', 'escalation v1', 'improvement_opportunity v1', 'nonconformity_treatment v1',
        'pqrsf_attention v1'], tabs
    assert page.get_attribute('#path-tabs button[data-process-id=pqrsf]', 'aria-selected') == 'true'

    # main process: waiting in the rejection escalation; only the branches taken are green
    assert 'path-active' in _classes(page, 'rejection_escalation')
    assert 'path-link' in _classes(page, 'rejection_escalation')  # a click opens its process
    assert 'path-completed' in _classes(page, 'attention') and 'path-link' in _classes(page, 'attention')
    assert 'path-cancelled' in _classes(page, 'overdue_5_days')
    assert 'path-taken' in _classes(page, 'f_rejected')
    assert 'path-taken' in _classes(page, 'f_is_pqrs')
    for untaken in ('f_accepted', 'f_is_felicitacion'):
        classes = _classes(page, untaken)
        assert not any(c.startswith('path-') for c in classes), (untaken, classes)
    assert not any(c.startswith('path-') for c in _classes(page, 'close_case'))  # not reached
    assert _badge(page, 'attention').count() == 0  # ran once: no badge
    assert 'pqrsf_attention' in _title(page, 'attention')
    assert 'escalation' in _title(page, 'rejection_escalation')
    assert 'path-link' not in _classes(page, 'overdue_escalation')  # never called: no link
    # the legend explains the colours; the slider stands at "now"
    legend = page.locator('#path-legend').inner_text()
    for word in ('Completado', 'En curso', 'Cancelado', 'Con falla', 'Flujo recorrido'):
        assert word in legend, legend
    events = page.evaluate('() => window.pqrsfPath.data.events')
    assert page.get_attribute('#replay-range', 'max') == str(len(events))
    assert page.input_value('#replay-range') == str(len(events))
    assert page.locator('#replay-label').inner_text().startswith('Ahora')
    shot(page, '01-proceso-principal')
    # a click on the attention opens the process it called: classification, then the improvement
    _element(page, 'attention').click()
    _wait_shown(page, 'pqrsf_attention')
    # who and when, on hovering (SVG <title>)
    title = _title(page, 'classify')
    assert 'lider1' in title and 'tarea completada' in title and '/' in title, title
    # a click (or a tap, where titles do not show) writes who and when under the diagram
    _element(page, 'classify').click()
    detail = page.locator('#path-detail').inner_text()
    assert 'Completado' in detail and 'lider1' in detail and 'tarea completada' in detail, detail
    assert page.get_attribute('#path-view', 'data-process') == 'pqrsf_attention'  # not a call: no switch

    # a click on the improvement call activity opens the called process
    _element(page, 'improvement').click()
    _wait_shown(page, 'improvement_opportunity')
    assert page.get_attribute('#path-tabs button[data-process-id=improvement_opportunity]',
                              'aria-selected') == 'true'
    assert _badge(page, 'analyse_causes').inner_text() == '2'
    assert _badge(page, 'verify_effectiveness').inner_text() == '2'
    assert _badge(page, 'do_action').inner_text() == '4'  # two actions, twice
    assert 'path-taken' in _classes(page, 'f_not_effective')
    assert 'path-taken' in _classes(page, 'f_effective')
    assert _badge(page, 'f_om_planned').inner_text() == '2'  # a flow taken twice
    assert _badge(page, 'f_not_effective').count() == 0  # taken once
    assert 'path-completed' in _classes(page, 'analyse_causes')
    shot(page, '02-oportunidad-de-mejora')

    # the escalation, by its tab: waiting for the manager's review
    page.click('#path-tabs button[data-process-id=escalation]')
    _wait_shown(page, 'escalation')
    assert 'path-active' in _classes(page, 'level_1_review')
    assert 'tarea creada' in _title(page, 'level_1_review')
    assert not any(c.startswith('path-') for c in _classes(page, 'level_2_decision'))
    shot(page, '03-escalamiento')

    # replay: back to the first verification (before the second analysis), with the slider
    page.click('#path-tabs button[data-process-id=improvement_opportunity]')
    _wait_shown(page, 'improvement_opportunity')
    page.evaluate("() => { const c = window.pqrsfPath.viewer.get('canvas'); c.zoom(c.zoom() * 1.4, 'auto'); }")
    viewbox = _viewbox(page)
    first_verify = next(i for i, e in enumerate(events) if e['kind'] == 'task_completed'
                        and e['element_id'] == 'verify_effectiveness')
    page.fill('#replay-range', str(first_verify + 1))
    page.wait_for_selector(f'#path-view[data-ready=true][data-as-of="{events[first_verify]["id"]}"]')
    assert _badge(page, 'analyse_causes').count() == 0
    assert 'path-completed' in _classes(page, 'analyse_causes')
    assert 'path-completed' in _classes(page, 'verify_effectiveness')
    assert _badge(page, 'do_action').inner_text() == '2'
    assert 'path-taken' not in _classes(page, 'f_effective')
    label = page.locator('#replay-label').inner_text()
    assert f'Evento {first_verify + 1} de {len(events)}' in label and 'tarea completada' in label, label
    assert page.evaluate('() => window.pqrsfPath.data.as_of') == events[first_verify]['id']
    assert _viewbox(page) == viewbox  # the viewport stays where the user left it
    shot(page, '04-repeticion-antes-del-segundo-analisis')

    # ... and back in the main process at that moment: still in the attention, not yet escalated
    page.click('#path-tabs button[data-process-id=pqrsf]')
    _wait_shown(page, 'pqrsf')
    assert 'path-active' in _classes(page, 'attention')
    assert not any(c.startswith('path-') for c in _classes(page, 'rejection_escalation'))
    assert 'path-taken' not in _classes(page, 'f_rejected')
    shot(page, '05-repeticion-proceso-principal')

    # replayTo(null) (the API the slider uses) comes back to now
    page.evaluate('() => window.pqrsfPath.replayTo(null)')
    page.wait_for_selector('#path-view[data-ready=true][data-as-of=""]')
    assert 'path-active' in _classes(page, 'rejection_escalation')
    assert page.input_value('#replay-range') == str(len(events))

    # on a phone the controls stack under the diagram
    _login(phone_page, site)
    phone_page.goto(f'{site}/casos/{radicado}/recorrido')
    _wait_shown(phone_page, 'pqrsf')
    canvas = phone_page.locator('#path-canvas').bounding_box()
    slider = phone_page.locator('#replay-range').bounding_box()
    legend_box = phone_page.locator('#path-legend').bounding_box()
    assert canvas['width'] <= 390 and slider['y'] > canvas['y'] + canvas['height'] - 1
    assert legend_box['y'] > slider['y'] and slider['width'] > 250
    assert phone_page.evaluate('() => document.documentElement.scrollWidth') <= 390
    # a wide diagram is not shrunk to illegible: shown readable around where the case stands
    assert phone_page.evaluate("() => window.pqrsfPath.viewer.get('canvas').zoom()") >= 0.6
    active = _element(phone_page, 'rejection_escalation').bounding_box()
    assert canvas['x'] <= active['x'] and active['x'] + active['width'] <= canvas['x'] + canvas['width']
    assert canvas['y'] <= active['y'] and active['y'] + active['height'] <= canvas['y'] + canvas['height']
    for tab in phone_page.locator('#path-tabs button').all():
        box = tab.bounding_box()
        assert box['x'] + box['width'] <= 390 and box['height'] >= 36  # all in view, finger-sized
    shot(phone_page, '06-telefono')
