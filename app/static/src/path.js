// The executed path of a case, drawn on its diagrams: one tab per process the case ran, markers by
// state, taken sequence flows, run counts, who and when, and a replay of the history.
// Bundled by `npm run build` into app/static/build/path.js (an IIFE, no modules at run time).
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
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

const STATES = ['completed', 'active', 'cancelled', 'failed', 'reached'];
const MARKERS = STATES.map((state) => `path-${state}`).concat(['path-taken', 'path-link', 'path-container']);

const TEXTS = {
  es: {
    tabs: 'Procesos del caso',
    states: {
      completed: 'Completado', active: 'En curso', cancelled: 'Cancelado', failed: 'Con falla',
      reached: 'Alcanzado'
    },
    stateHelp: {
      completed: 'terminó al menos una vez',
      active: 'el caso está detenido aquí',
      cancelled: 'se canceló sin terminar',
      failed: 'tiene un incidente abierto',
      reached: 'se alcanzó pero no terminó'
    },
    taken: 'Flujo recorrido',
    takenHelp: 'del elemento anterior al siguiente',
    runs: 'Veces ejecutado',
    runsHelp: 'solo si fue más de una',
    notTaken: 'Sin color',
    notTakenHelp: 'no se alcanzó o no se recorrió',
    legend: 'Convenciones',
    replay: 'Reproducir el historial',
    start: 'Inicio: antes del primer evento',
    now: 'Ahora',
    event: (n, total) => `Evento ${n} de ${total}`,
    ranTimes: (n) => `ejecutado ${n} veces`,
    flowTimes: (n) => `recorrido ${n} veces`,
    by: 'por',
    openCalled: (id) => `Clic para ver el proceso llamado (${id})`,
    loadError: 'No se pudo mostrar el recorrido: ',
    noTouch: 'Seleccione un elemento del diagrama para ver quién y cuándo.',
    kinds: {
      task_created: 'tarea creada', task_completed: 'tarea completada', task_cancelled: 'tarea cancelada',
      service_queued: 'servicio en cola', service_completed: 'servicio completado',
      timer_set: 'temporizador programado', timer_fired: 'temporizador vencido',
      message_received: 'mensaje recibido', call_started: 'subproceso iniciado',
      call_completed: 'subproceso terminado', element_completed: 'elemento completado',
      element_cancelled: 'elemento cancelado', incident_opened: 'incidente abierto',
      incident_retried: 'incidente reintentado', step_failed: 'paso fallido', job_failed: 'trabajo fallido',
      case_started: 'caso iniciado', case_completed: 'caso terminado', case_migrated: 'caso migrado'
    }
  },
  en: {
    tabs: 'Processes of the case',
    states: {
      completed: 'Completed', active: 'In progress', cancelled: 'Cancelled', failed: 'Failed',
      reached: 'Reached'
    },
    stateHelp: {
      completed: 'finished at least once',
      active: 'the case is waiting here',
      cancelled: 'cancelled before finishing',
      failed: 'has an open incident',
      reached: 'reached but not finished'
    },
    taken: 'Flow taken',
    takenHelp: 'from one element to the next',
    runs: 'Times run',
    runsHelp: 'only when more than once',
    notTaken: 'No colour',
    notTakenHelp: 'not reached or not taken',
    legend: 'Legend',
    replay: 'Replay the history',
    start: 'Start: before the first event',
    now: 'Now',
    event: (n, total) => `Event ${n} of ${total}`,
    ranTimes: (n) => `ran ${n} times`,
    flowTimes: (n) => `taken ${n} times`,
    by: 'by',
    openCalled: (id) => `Click to see the called process (${id})`,
    loadError: 'The path could not be shown: ',
    noTouch: 'Select an element of the diagram to see who and when.',
    kinds: {
      task_created: 'task created', task_completed: 'task completed', task_cancelled: 'task cancelled',
      service_queued: 'service queued', service_completed: 'service completed',
      timer_set: 'timer set', timer_fired: 'timer fired', message_received: 'message received',
      call_started: 'subprocess started', call_completed: 'subprocess finished',
      element_completed: 'element completed', element_cancelled: 'element cancelled',
      incident_opened: 'incident opened', incident_retried: 'incident retried', step_failed: 'step failed',
      job_failed: 'job failed', case_started: 'case started', case_completed: 'case finished',
      case_migrated: 'case migrated'
    }
  }
};

const LANG = (document.documentElement.getAttribute('lang') || 'es').slice(0, 2) === 'en' ? 'en' : 'es';
const T = TEXTS[LANG];
const LOCALE = LANG === 'en' ? 'en-US' : 'es-CO';
const SVG_NS = 'http://www.w3.org/2000/svg';

function kindLabel(kind) {
  return (kind && T.kinds[kind]) || kind || '';
}

function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(LOCALE, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'
  });
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  children.forEach((child) => {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

// "Who and when" of an element, one line.
function describeLast(last) {
  if (!last) return '';
  const who = last.actor ? ` ${T.by} ${last.actor}` : '';
  return `${formatTime(last.at)} · ${kindLabel(last.kind)}${who}`;
}

// Where a connection's middle lies, relative to its bounding box (overlay positions are).
function connectionMiddle(connection) {
  const points = connection.waypoints || [];
  if (!points.length) return { left: 0, top: 0 };
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  let total = 0;
  const lengths = [];
  for (let i = 1; i < points.length; i += 1) {
    const length = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    lengths.push(length);
    total += length;
  }
  let walked = 0;
  let middle = points[0];
  for (let i = 1; i < points.length; i += 1) {
    if (walked + lengths[i - 1] >= total / 2) {
      const ratio = lengths[i - 1] ? (total / 2 - walked) / lengths[i - 1] : 0;
      middle = {
        x: points[i - 1].x + (points[i].x - points[i - 1].x) * ratio,
        y: points[i - 1].y + (points[i].y - points[i - 1].y) * ratio
      };
      break;
    }
    walked += lengths[i - 1];
  }
  return { left: middle.x - minX, top: middle.y - minY };
}

function start(root) {
  const tabsNode = root.querySelector('#path-tabs') || document.getElementById('path-tabs');
  const canvasNode = root.querySelector('#path-canvas') || document.getElementById('path-canvas');
  const range = document.getElementById('replay-range');
  const label = document.getElementById('replay-label');
  const legendNode = document.getElementById('path-legend');
  const pathUrl = root.getAttribute('data-path-url');
  const diagramUrl = root.getAttribute('data-diagram-url') || '';

  const viewer = new NavigatedViewer({
    container: canvasNode,
    moddleExtensions: { camunda: camundaModdle }
  });
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const elementRegistry = viewer.get('elementRegistry');

  // a line under the canvas: who and when of the element last clicked (titles do not show on phones)
  const detail = el('p', { id: 'path-detail', className: 'path-detail', role: 'status', 'aria-live': 'polite' },
    T.noTouch);
  canvasNode.insertAdjacentElement('afterend', detail);

  const state = {
    data: null, // the JSON as last fetched
    processId: null, // the process shown
    shownVersion: null, // version_id whose XML is in the viewer
    asOf: null, // event id replayed to (null: now)
    xmlCache: {},
    decorated: [], // elements carrying our markers
    titles: [] // <title> nodes we added
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

  function showError(message) {
    let box = root.querySelector('.path-error');
    if (!box) {
      box = el('p', { className: 'path-error', role: 'alert' });
      canvasNode.insertAdjacentElement('beforebegin', box);
    }
    box.textContent = T.loadError + message;
  }

  function clearError() {
    const box = root.querySelector('.path-error');
    if (box) box.remove();
  }

  async function fetchPath(asOf) {
    const url = new URL(pathUrl, window.location.href);
    if (asOf !== null && asOf !== undefined) url.searchParams.set('as_of', String(asOf));
    const response = await fetch(url.toString(), {
      credentials: 'same-origin', headers: { Accept: 'application/json' }
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function fetchXML(versionId) {
    if (state.xmlCache[versionId]) return state.xmlCache[versionId];
    const response = await fetch(`${diagramUrl}${encodeURIComponent(versionId)}.bpmn`, {
      credentials: 'same-origin'
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state.xmlCache[versionId] = await response.text();
    return state.xmlCache[versionId];
  }

  function processOf(processId) {
    return ((state.data && state.data.processes) || []).find((p) => p.process_id === processId) || null;
  }

  // ---- tabs ----
  function renderTabs() {
    tabsNode.setAttribute('role', 'tablist');
    if (!tabsNode.hasAttribute('aria-label')) tabsNode.setAttribute('aria-label', T.tabs);
    const processes = (state.data && state.data.processes) || [];
    const existing = Array.from(tabsNode.querySelectorAll('button[data-process-id]'));
    const wanted = processes.map((p) => `${p.process_id}|${p.version}`).join(',');
    if (existing.map((b) => b.getAttribute('data-key')).join(',') !== wanted) {
      tabsNode.textContent = '';
      processes.forEach((process) => {
        const button = el('button', {
          type: 'button',
          role: 'tab',
          className: 'path-tab',
          'data-process-id': process.process_id,
          'data-key': `${process.process_id}|${process.version}`,
          title: process.file_name || undefined
        }, `${process.process_id} v${process.version}`);
        button.addEventListener('click', () => api.select(process.process_id));
        tabsNode.appendChild(button);
      });
    }
    tabsNode.querySelectorAll('button[data-process-id]').forEach((button) => {
      const selected = button.getAttribute('data-process-id') === state.processId;
      button.setAttribute('aria-selected', selected ? 'true' : 'false');
      button.setAttribute('tabindex', selected ? '0' : '-1');
      button.classList.toggle('is-selected', selected);
    });
  }

  // arrow keys move between tabs (WAI-ARIA tabs pattern)
  tabsNode.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const buttons = Array.from(tabsNode.querySelectorAll('button[data-process-id]'));
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
    next.focus();
    next.click();
  });

  // ---- legend ----
  function renderLegend() {
    if (!legendNode || legendNode.childNodes.length) return;
    const list = el('ul', { className: 'path-legend-list' });
    const item = (key, swatch, name, help) => list.appendChild(el('li', { 'data-state': key }, swatch,
      el('span', { className: 'path-legend-text' }, el('strong', {}, name),
        help ? el('span', { className: 'path-legend-help' }, help) : null)));
    ['completed', 'active', 'cancelled', 'failed', 'reached'].forEach((key) => {
      item(key, el('span', { className: `path-swatch path-swatch-${key}`, 'aria-hidden': 'true' }),
        T.states[key], T.stateHelp[key]);
    });
    item('taken', el('span', { className: 'path-swatch path-swatch-taken', 'aria-hidden': 'true' }),
      T.taken, T.takenHelp);
    item('runs', el('span', { className: 'path-badge path-badge-sample', 'aria-hidden': 'true' }, '2'),
      T.runs, T.runsHelp);
    item('none', el('span', { className: 'path-swatch path-swatch-none', 'aria-hidden': 'true' }),
      T.notTaken, T.notTakenHelp);
    legendNode.appendChild(el('h2', { className: 'path-legend-title' }, T.legend));
    legendNode.appendChild(list);
  }

  // ---- replay ----
  function events() {
    return (state.data && state.data.events) || [];
  }

  function positionOf(asOf) {
    const list = events();
    if (asOf === null || asOf === undefined) return list.length;
    if (Number(asOf) === 0) return 0;
    const index = list.findIndex((e) => String(e.id) === String(asOf));
    if (index >= 0) return index + 1;
    // an id between events: the last one at or before it
    let position = 0;
    list.forEach((e, i) => { if (Number(e.id) <= Number(asOf)) position = i + 1; });
    return position;
  }

  function renderReplay() {
    if (!range) return;
    const list = events();
    range.min = '0';
    range.max = String(list.length);
    range.step = '1';
    if (!range.labels || !range.labels.length) range.setAttribute('aria-label', T.replay);
    const position = positionOf(state.asOf);
    range.value = String(position);
    let text;
    if (position === 0) text = T.start;
    else {
      const event = list[position - 1];
      const what = `${formatTime(event.at)} · ${kindLabel(event.kind)}${event.element_id ? ` (${event.element_id})` : ''}`;
      text = position === list.length && state.asOf === null ? `${T.now} — ${what}` : `${T.event(position, list.length)}: ${what}`;
    }
    range.setAttribute('aria-valuetext', text);
    if (label) label.textContent = text;
  }

  let slideTimer = null;
  if (range) {
    range.addEventListener('input', () => {
      clearTimeout(slideTimer);
      const position = Number(range.value);
      const list = events();
      // the label follows the thumb at once; the fetch waits for the hand to rest a moment
      const event = position > 0 ? list[position - 1] : null;
      if (label) label.textContent = event ? `${T.event(position, list.length)}: ${formatTime(event.at)} · ${kindLabel(event.kind)}` : T.start;
      slideTimer = setTimeout(() => {
        const target = position >= list.length ? null : position === 0 ? 0 : list[position - 1].id;
        api.replayTo(target);
      }, 120);
    });
  }

  // ---- markers, badges, titles ----
  function clearDecorations() {
    state.decorated.forEach((element) => {
      MARKERS.forEach((marker) => canvas.removeMarker(element, marker));
    });
    state.decorated = [];
    state.titles.forEach((node) => node.remove());
    state.titles = [];
    overlays.remove({ type: 'path-runs' });
  }

  function addTitle(element, text) {
    const gfx = canvas.getGraphics(element);
    if (!gfx || !text) return;
    const title = document.createElementNS(SVG_NS, 'title');
    title.setAttribute('class', 'path-title');
    title.textContent = text;
    gfx.insertBefore(title, gfx.firstChild);
    state.titles.push(title);
  }

  function mark(element, marker) {
    canvas.addMarker(element, marker);
    if (state.decorated.indexOf(element) === -1) state.decorated.push(element);
  }

  function badge(element, count, text, position) {
    overlays.add(element, 'path-runs', {
      position,
      html: el('span', { className: 'path-badge', title: text, 'data-element-id': element.id }, String(count))
    });
  }

  function decorate() {
    clearDecorations();
    const process = processOf(state.processId);
    if (!process) return;
    const processIds = new Set(((state.data && state.data.processes) || []).map((p) => p.process_id));
    process.elements.forEach((item) => {
      const element = elementRegistry.get(item.id);
      if (!element) return;
      if (STATES.indexOf(item.state) >= 0) mark(element, `path-${item.state}`);
      if (element.children && element.children.some((child) => child.type !== 'label')) mark(element, 'path-container');
      const lines = [`${element.businessObject && element.businessObject.name ? element.businessObject.name : item.id}`,
        `${T.states[item.state] || item.state}${item.runs > 1 ? ` · ${T.ranTimes(item.runs)}` : ''}`];
      if (item.last) lines.push(describeLast(item.last));
      const calls = item.calls; // only a call that ran: an untouched one would open another call's path
      if (calls && processIds.has(calls) && calls !== state.processId) {
        mark(element, 'path-link');
        lines.push(T.openCalled(calls));
      }
      addTitle(element, lines.join('\n'));
      if (item.runs > 1) {
        badge(element, item.runs, T.ranTimes(item.runs), { top: -10, right: 10 });
      }
    });
    (process.flows || []).forEach((flow) => {
      const connection = elementRegistry.get(flow.id);
      if (!connection) return;
      mark(connection, 'path-taken');
      addTitle(connection, `${connection.businessObject && connection.businessObject.name ? connection.businessObject.name + ' · ' : ''}${T.flowTimes(flow.count)}`);
      if (flow.count > 1) {
        const middle = connectionMiddle(connection);
        badge(connection, flow.count, T.flowTimes(flow.count), { left: middle.left - 10, top: middle.top - 10 });
      }
    });
  }

  function showDetail(element) {
    const process = processOf(state.processId);
    if (!process || !element) return;
    const item = process.elements.find((e) => e.id === element.id);
    const flow = (process.flows || []).find((f) => f.id === element.id);
    const name = (element.businessObject && element.businessObject.name) || element.id;
    if (item) {
      detail.textContent = `${name}: ${T.states[item.state] || item.state}` +
        `${item.runs > 1 ? ` · ${T.ranTimes(item.runs)}` : ''}${item.last ? ` · ${describeLast(item.last)}` : ''}`;
    } else if (flow) {
      detail.textContent = `${name}: ${T.flowTimes(flow.count)}`;
    } else {
      detail.textContent = T.noTouch;
    }
  }

  function finishRender() {
    renderTabs();
    renderReplay();
    decorate();
    api.data = state.data;
    root.setAttribute('data-process', state.processId || '');
    root.setAttribute('data-as-of', state.asOf === null ? '' : String(state.asOf));
    setBusy(false);
  }

  // The whole diagram in view. On a phone a wide diagram fitted whole is too small to read: there
  // it is shown at a readable scale around where the case stands (or last was).
  const READABLE = 0.7;
  function fit(process) {
    let scale;
    try {
      scale = canvas.zoom('fit-viewport', 'auto');
    } catch (error) {
      return; // an empty diagram has nothing to fit
    }
    if (!(scale < READABLE / 2) || canvasNode.clientWidth > 600) return;
    const touched = process.elements.filter((e) => elementRegistry.get(e.id) && !elementRegistry.get(e.id).waypoints);
    const focus = touched.find((e) => e.state === 'active' || e.state === 'failed') ||
      touched.slice().sort((a, b) => String(a.last && a.last.at).localeCompare(String(b.last && b.last.at))).pop();
    const element = focus && elementRegistry.get(focus.id);
    if (!element) return;
    canvas.zoom(READABLE, { x: element.x + element.width / 2, y: element.y + element.height / 2 });
    const box = canvas.viewbox();
    canvas.viewbox({
      x: element.x + element.width / 2 - box.width / 2,
      y: element.y + element.height / 2 - box.height / 2,
      width: box.width,
      height: box.height
    });
  }

  // ---- the two moves: another process, another moment ----
  async function select(processId) {
    const process = processOf(processId);
    if (!process) return false;
    setBusy(true);
    try {
      if (state.shownVersion !== process.version_id) {
        clearDecorations();
        const xml = await fetchXML(process.version_id);
        await viewer.importXML(xml);
        state.shownVersion = process.version_id;
        fit(process);
      }
      state.processId = processId;
      clearError();
      detail.textContent = T.noTouch;
      finishRender();
      return true;
    } catch (error) {
      showError(error.message);
      setBusy(false);
      return false;
    }
  }

  async function replayTo(eventId) {
    const sequence = ++fetchSequence;
    setBusy(true);
    try {
      let data;
      if (eventId !== null && Number(eventId) === 0) {
        // before the first event: nothing happened yet (no need to ask the server)
        data = {
          ...state.data,
          as_of: 0,
          processes: state.data.processes.map((p) => ({ ...p, elements: [], flows: [] }))
        };
      } else {
        data = await fetchPath(eventId);
      }
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
      showError(error.message);
      setBusy(false);
      return false;
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
    showDetail(element);
  });

  async function load() {
    setBusy(true);
    renderLegend();
    try {
      state.data = await fetchPath(null);
      api.data = state.data;
      const processes = state.data.processes || [];
      if (!processes.length) {
        finishRender();
        return;
      }
      await select(processes[0].process_id);
    } catch (error) {
      showError(error.message);
      setBusy(false);
    }
  }

  api.ready = queue(load);
  return api;
}

const root = document.getElementById('path-view');
if (root && root.getAttribute('data-path-url')) start(root);
