// The legend under the canvas: what each colour and badge means.
import { el } from '../../shared/dom';
import { T } from './texts';
import { STATES } from './markers';

function item(key, swatch, name, help) {
  return el('li', { 'data-state': key }, swatch,
    el('span', { className: 'path-legend-text' }, el('strong', {}, name),
      help ? el('span', { className: 'path-legend-help' }, help) : null));
}

function swatch(key) {
  return el('span', { className: `path-swatch path-swatch-${key}`, 'aria-hidden': 'true' });
}

// The legend in legendNode, once (nothing when the page has no legend or it is there already).
export function renderLegend(legendNode) {
  if (!legendNode || legendNode.childNodes.length) return;
  const list = el('ul', { className: 'path-legend-list' },
    STATES.map((key) => item(key, swatch(key), T.states[key], T.stateHelp[key])),
    item('taken', swatch('taken'), T.taken, T.takenHelp),
    item('runs', el('span', { className: 'path-badge path-badge-sample', 'aria-hidden': 'true' }, '2'),
      T.runs, T.runsHelp),
    item('none', swatch('none'), T.notTaken, T.notTakenHelp));
  legendNode.appendChild(el('h2', { className: 'path-legend-title' }, T.legend));
  legendNode.appendChild(list);
}
