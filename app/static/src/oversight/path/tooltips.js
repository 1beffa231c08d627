// Who and when, by element: an SVG <title> on each decorated element and flow (the hover text of
// a desktop), and a line under the canvas for the element last clicked (titles do not show on
// phones).
import { el } from '../../shared/dom';
import { LANG, T, describeLast } from './texts';

const SVG_NS = 'http://www.w3.org/2000/svg';

// The element's name declared in `language` (a `name_<language>` extension property, as
// app/engine/facts.py reads it), or ''.
function declaredName(businessObject, language) {
  const extensions = (businessObject.extensionElements && businessObject.extensionElements.values) || [];
  for (const extension of extensions) {
    const found = (extension.values || []).find((p) => p.name === `name_${language}` && p.value);
    if (found) return found.value;
  }
  return '';
}

// The element's name in the page's language: its declared one, else its (Spanish) name, else its id.
function nameOf(element) {
  const businessObject = element.businessObject || {};
  return (LANG !== 'es' && declaredName(businessObject, LANG)) || businessObject.name || element.id;
}

// "Completed · ran 3 times": the state of an element of the path.
function stateLine(item) {
  return `${T.states[item.state] || item.state}${item.runs > 1 ? ` · ${T.ranTimes(item.runs)}` : ''}`;
}

// The title of an element of the path; linked: a click opens the process it called.
export function elementTitle(element, item, linked) {
  const lines = [nameOf(element), stateLine(item)];
  if (item.last) lines.push(describeLast(item.last));
  if (linked) lines.push(T.openCalled(item.calls));
  return lines.join('\n');
}

// The title of a sequence flow taken.
export function flowTitle(connection, flow) {
  const name = connection.businessObject && connection.businessObject.name;
  return `${name ? name + ' · ' : ''}${T.flowTimes(flow.count)}`;
}

// The titles on the canvas of viewer and the detail line after canvasNode.
export function createTooltips(viewer, canvasNode) {
  const canvas = viewer.get('canvas');
  const detail = el('p', { id: 'path-detail', className: 'path-detail', role: 'status', 'aria-live': 'polite' },
    T.noTouch);
  canvasNode.insertAdjacentElement('afterend', detail);
  let titles = []; // <title> nodes we added

  function add(element, text) {
    const gfx = canvas.getGraphics(element);
    if (!gfx || !text) return;
    const title = document.createElementNS(SVG_NS, 'title');
    title.setAttribute('class', 'path-title');
    title.textContent = text;
    gfx.insertBefore(title, gfx.firstChild);
    titles.push(title);
  }

  function clear() {
    titles.forEach((node) => node.remove());
    titles = [];
  }

  // The detail line says what the path holds about element of process.
  function showDetail(process, element) {
    if (!process || !element) return;
    const item = process.elements.find((e) => e.id === element.id);
    const flow = (process.flows || []).find((f) => f.id === element.id);
    if (item) {
      detail.textContent = `${nameOf(element)}: ${stateLine(item)}${item.last ? ` · ${describeLast(item.last)}` : ''}`;
    } else if (flow) {
      detail.textContent = `${nameOf(element)}: ${T.flowTimes(flow.count)}`;
    } else {
      resetDetail();
    }
  }

  function resetDetail() {
    detail.textContent = T.noTouch;
  }

  return { add, clear, showDetail, resetDetail };
}
