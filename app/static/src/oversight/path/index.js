// The executed path of a case, drawn on its diagrams: one tab per process the case ran, markers by
// state, taken sequence flows, run counts, who and when, and a replay of the history.
// Bundled by `npm run build` into app/static/build/path.js (an IIFE, no modules at run time). This
// module wires the parts: texts (the strings), tabs, legend, markers (the canvas), tooltips (who
// and when), replay (the slider), viewport (the first view), source (the server).
//
// Page contract (app/oversight/templates/path/show.html):
//   <div id="path-view" data-path-url=".../recorrido.json" data-diagram-url=".../diagrama/">
//     <nav id="path-tabs"></nav> <div id="path-canvas"></div>
//     <div id="replay"><input type="range" id="replay-range"><span id="replay-label"></span></div>
//     <div id="path-legend"></div>
//   </div>
// JSON (app/engine/path.py): {case_id, as_of, processes: [{process_id, version, version_id,
//   file_name, elements: [{id, state, runs, last: {actor, at, kind} | null, calls}],
//   flows: [{id, count}]}], events: [{id, at, kind, element_id, actor}]}
// Diagram: GET <data-diagram-url><version_id>.bpmn
//
// For tests: window.pqrsfPath = {viewer, data, select(processId), replayTo(eventId)}; after each
// render #path-view gets data-ready="true", data-process="<process id>" and data-as-of="<event id>"
// ("" for now).
import { el } from '../../shared/dom';
import { createViewer } from '../../shared/diagram';
import { T } from './texts';
import { createTabs } from './tabs';
import { renderLegend } from './legend';
import { createTooltips } from './tooltips';
import { createMarkers } from './markers';
import { createReplay, pathBeforeFirstEvent } from './replay';
import { fit } from './viewport';
import { createSource } from './source';

// The path view in root: what the page shows of it and window.pqrsfPath. Wiring of every part and
// the two moves (another process, another moment) in one closure, hence its length.
function start(root) {
  const canvasNode = root.querySelector('#path-canvas') || document.getElementById('path-canvas');
  const source = createSource(root.getAttribute('data-path-url'), root.getAttribute('data-diagram-url') || '');
  const viewer = createViewer(canvasNode);
  const tooltips = createTooltips(viewer, canvasNode);
  const markers = createMarkers(viewer, tooltips);
  const tabs = createTabs(root.querySelector('#path-tabs') || document.getElementById('path-tabs'),
    (processId) => api.select(processId));
  const replay = createReplay(document.getElementById('replay-range'), document.getElementById('replay-label'),
    () => (state.data && state.data.events) || [], (asOf) => api.replayTo(asOf));

  const state = {
    data: null, // the JSON as last fetched
    processId: null, // the process shown
    shownVersion: null, // version_id whose XML is in the viewer
    asOf: null // event id replayed to (null: now)
  };
  let fetchSequence = 0;
  let renderChain = Promise.resolve();

  const api = {
    viewer,
    data: null,
    select: (processId) => queue(() => select(processId)),
    replayTo: (eventId) => queue(() => replayTo(eventId === undefined ? null : eventId)),
    ready: null
  };
  window.pqrsfPath = api;

  // one render at a time, in the order asked
  function queue(step) {
    const next = renderChain.then(step, step);
    renderChain = next.catch(() => undefined);
    return next;
  }

  function setBusy(busy) {
    root.setAttribute('data-ready', busy ? 'false' : 'true');
    root.classList.toggle('is-busy', busy);
  }

  function showError(error) {
    let box = root.querySelector('.path-error');
    if (!box) {
      box = el('p', { className: 'path-error', role: 'alert' });
      canvasNode.insertAdjacentElement('beforebegin', box);
    }
    box.textContent = T.loadError + error.message;
    setBusy(false);
    return false;
  }

  function clearError() {
    const box = root.querySelector('.path-error');
    if (box) box.remove();
  }

  function processOf(processId) {
    return ((state.data && state.data.processes) || []).find((p) => p.process_id === processId) || null;
  }

  function finishRender() {
    tabs.render((state.data && state.data.processes) || [], state.processId);
    replay.render(state.asOf);
    markers.decorate(processOf(state.processId), state.data);
    api.data = state.data;
    root.setAttribute('data-process', state.processId || '');
    root.setAttribute('data-as-of', state.asOf === null ? '' : String(state.asOf));
    setBusy(false);
  }

  async function select(processId) {
    const process = processOf(processId);
    if (!process) return false;
    setBusy(true);
    try {
      if (state.shownVersion !== process.version_id) {
        markers.clear();
        await viewer.importXML(await source.diagram(process.version_id));
        state.shownVersion = process.version_id;
        fit(viewer, canvasNode, process);
      }
      state.processId = processId;
      clearError();
      tooltips.resetDetail();
      finishRender();
      return true;
    } catch (error) {
      return showError(error);
    }
  }

  async function replayTo(eventId) {
    const sequence = ++fetchSequence;
    setBusy(true);
    try {
      const before = eventId !== null && Number(eventId) === 0;
      const data = before ? pathBeforeFirstEvent(state.data) : await source.path(eventId);
      if (sequence !== fetchSequence) return false; // a later move of the slider wins
      state.data = data;
      state.asOf = eventId === null ? null : eventId;
      clearError();
      if (!processOf(state.processId) && data.processes.length) {
        return select(data.processes[0].process_id);
      }
      finishRender(); // same diagram: the viewport stays where the user left it
      return true;
    } catch (error) {
      return showError(error);
    }
  }

  viewer.on('element.click', (event) => {
    const element = event.element;
    if (!element || element.type === 'label') return;
    const process = processOf(state.processId);
    const item = process && process.elements.find((e) => e.id === element.id);
    const calls = item && item.calls;
    if (calls && calls !== state.processId && processOf(calls)) {
      api.select(calls);
      return;
    }
    tooltips.showDetail(process, element);
  });

  async function load() {
    setBusy(true);
    renderLegend(document.getElementById('path-legend'));
    try {
      state.data = await source.path(null);
      api.data = state.data;
      const processes = state.data.processes || [];
      if (!processes.length) {
        finishRender();
        return;
      }
      await select(processes[0].process_id);
    } catch (error) {
      showError(error);
    }
  }

  api.ready = queue(load);
  return api;
}

const root = document.getElementById('path-view');
if (root && root.getAttribute('data-path-url')) start(root);
