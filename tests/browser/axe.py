"""axe-core (npm devDependency, node_modules/axe-core) run inside a Playwright page: the
page's accessibility problems that a machine can find (WCAG 2.x A and AA rules).

The pages' Content-Security-Policy allows scripts from our own origin only, so the page's
context must be made with `bypass_csp=True` (fixture `axe_context` of the tests that use it)
for the injected script to run."""
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / 'node_modules' / 'axe-core' / 'axe.min.js'
TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']


def require_axe():
    if not AXE.exists():
        pytest.skip(f'axe-core no instalado ({AXE}): ejecute npm ci')


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now: [{id, impact, help, nodes: [target, ...]}]."""
    require_axe()
    if not page.evaluate('() => !!window.axe'):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate('''async tags => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(' '))}));
    }''', TAGS)
    return found


def assert_no_violations(page):
    found = violations(page)
    assert not found, f'{page.url}:\n' + '\n'.join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> {v['nodes'][:5]}" for v in found)
