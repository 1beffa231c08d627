// Process editor: bpmn-js Modeler with the Camunda 7 properties panel, validation and deployment
// through the server, upload/download of .bpmn files and pick lists of the known topics/forms.
// Bundled by `npm run build` into app/static/build/editor.js (an IIFE, no modules at run time).
//
// Page contract (app/processes/templates/processes/editor.html):
//   <meta name="csrf-token" content="...">
//   <div id="editor" data-xml-url data-validate-url data-deploy-url data-catalog-url data-file-name>
//     #canvas, #properties, button#validate-btn, button#deploy-btn, input#upload-input[type=file],
//     a#download-link, section#problems, section#deploy-result
//   </div>
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';

import { el, clear } from '../shared/dom';
import { fetchJSON, fetchText, messageOf, postJSON } from '../shared/http';
import { MODDLE_EXTENSIONS, fitViewport } from '../shared/diagram';
import { renderProblems, problemsFromImport } from './problems';
import { translateModule } from '../shared/translate';
import { BPMN_ES } from './texts-es';
import { say } from './messages';

// Properties panel inputs that get a pick list (<input name="..."> of @bpmn-io/properties-panel).
const PICK_LISTS = {
  externalTopic: 'pqrsf-topics', // Implementation: External -> Topic (camunda:topic)
  formKey: 'pqrsf-forms' // Form: Embedded or External Task Forms -> Form key (camunda:formKey)
};

function start(root) {
  const canvasNode = root.querySelector('#canvas');
  const problemsNode = root.querySelector('#problems') || document.getElementById('problems');
  const resultNode = root.querySelector('#deploy-result') || document.getElementById('deploy-result');
  const validateButton = document.getElementById('validate-btn');
  const deployButton = document.getElementById('deploy-btn');
  const uploadInput = document.getElementById('upload-input');
  const downloadLink = document.getElementById('download-link');

  const modeler = new BpmnModeler({
    container: canvasNode,
    propertiesPanel: { parent: '#properties' },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      translateModule(BPMN_ES) // the palette, menus and panel in the page's language
    ],
    moddleExtensions: MODDLE_EXTENSIONS
  });
  window.pqrsfModeler = modeler;

  const canvas = modeler.get('canvas');
  const elementRegistry = modeler.get('elementRegistry');
  const selection = modeler.get('selection');
  let marked = [];

  function fileName() {
    return root.getAttribute('data-file-name') || 'proceso.bpmn';
  }

  function setBusy(busy) {
    root.classList.toggle('is-busy', busy);
    [validateButton, deployButton].forEach((button) => {
      if (button) button.disabled = busy;
    });
  }

  function clearMarkers() {
    marked.forEach((element) => {
      if (elementRegistry.get(element.id)) canvas.removeMarker(element, 'has-problem');
    });
    marked = [];
  }

  // Center the element, zoomed in to at least 100 % so that it can be read.
  function centerOn(element) {
    const points = element.waypoints || [
      { x: element.x, y: element.y },
      { x: element.x + element.width, y: element.y + element.height }
    ];
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const viewbox = canvas.viewbox();
    const scale = Math.max(viewbox.scale || 1, 1);
    const width = viewbox.outer.width / scale;
    const height = viewbox.outer.height / scale;
    canvas.viewbox({ x: cx - width / 2, y: cy - height / 2, width, height });
  }

  function selectElement(id) {
    const element = id && elementRegistry.get(id);
    if (!element) return false;
    selection.select(element);
    if (element.waypoints || element.x !== undefined) {
      try {
        canvas.scrollToElement(element);
        centerOn(element);
      } catch (error) {
        // the root element or a hidden element: nothing to scroll to
      }
    }
    const panel = document.getElementById('properties');
    if (panel && panel.scrollIntoView && window.matchMedia('(max-width: 800px)').matches) {
      panel.scrollIntoView({ block: 'nearest' });
    }
    return true;
  }

  function showProblems(problems) {
    clearMarkers();
    (problems || []).forEach((problem) => {
      const element = problem.element_id && elementRegistry.get(problem.element_id);
      if (element && marked.indexOf(element) === -1) {
        canvas.addMarker(element, 'has-problem');
        marked.push(element);
      }
    });
    renderProblems(problemsNode, problems || [], selectElement);
  }

  function showError(message) {
    clear(problemsNode);
    problemsNode.appendChild(el('p', { className: 'problems-error', role: 'alert' }, message));
  }

  async function currentXML() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  async function validate(xml, extraProblems) {
    const url = root.getAttribute('data-validate-url');
    setBusy(true);
    try {
      const text = xml === undefined ? await currentXML() : xml;
      const response = await postJSON(url, { file_name: fileName(), xml: text });
      if (response.status === 200 && response.data) {
        showProblems((extraProblems || []).concat(response.data.problems || []));
      } else {
        showError(messageOf(response, say('validateFailed')));
      }
    } catch (error) {
      showError(`${say('validateFailed')}: ${error.message}`);
    } finally {
      setBusy(false);
    }
  }

  function renderDeployment(data) {
    clear(resultNode);
    const box = el('div', { className: 'deploy-summary', role: 'status' });
    (data.deployed || []).forEach((item) => {
      const text = item.created ? say('deployed', item.version) : say('unchanged', item.version);
      box.appendChild(el('p', { className: item.created ? 'deployed' : 'unchanged' },
        el('strong', {}, text), ` · ${item.process_id}`));
    });
    const diff = data.diff || {};
    const titles = { added: say('added'), removed: say('removed'), changed: say('changed') };
    Object.keys(titles).forEach((key) => {
      const items = diff[key] || [];
      if (!items.length) return;
      const list = el('ul', { className: `diff diff-${key}` });
      items.forEach((item) => list.appendChild(el('li', {}, describe(item))));
      box.appendChild(el('div', { className: 'diff-group' }, el('h3', {}, titles[key]), list));
    });
    resultNode.appendChild(box);
  }

  async function deploy() {
    const url = root.getAttribute('data-deploy-url');
    setBusy(true);
    clear(resultNode);
    try {
      const response = await postJSON(url, { file_name: fileName(), xml: await currentXML() });
      if (response.status === 200 && response.data) {
        showProblems([]);
        renderDeployment(response.data);
      } else if (response.status === 422 && response.data && response.data.problems) {
        showProblems(response.data.problems);
        resultNode.appendChild(el('p', { className: 'deploy-refused', role: 'alert' },
          say('deployRefused')));
      } else {
        resultNode.appendChild(el('p', { className: 'deploy-refused', role: 'alert' },
          messageOf(response, say('deployFailed'))));
      }
    } catch (error) {
      resultNode.appendChild(el('p', { className: 'deploy-refused', role: 'alert' },
        `${say('deployFailed')}: ${error.message}`));
    } finally {
      setBusy(false);
    }
  }

  async function importText(text) {
    try {
      const result = await modeler.importXML(text);
      const warnings = problemsFromImport(result.warnings, fileName());
      fitViewport(canvas);
      return { ok: true, warnings };
    } catch (error) {
      return { ok: false, warnings: problemsFromImport([error].concat(error.warnings || []), fileName()) };
    }
  }

  async function upload(file) {
    const text = await file.text();
    root.setAttribute('data-file-name', file.name);
    clear(resultNode);
    const imported = await importText(text);
    if (imported.warnings.length) showProblems(imported.warnings);
    else {
      clear(problemsNode);
      problemsNode.appendChild(el('p', { className: 'problems-pending', role: 'status' }, 'Validando…'));
    }
    // the server reports problems with their lines: the modeler's XML when it could read the
    // file, the file as it is when it could not
    await validate(imported.ok ? undefined : text, imported.warnings);
  }

  async function download(event) {
    event.preventDefault();
    const xml = await currentXML();
    const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    const anchor = el('a', { href: url, download: fileName() });
    anchor.style.display = 'none';
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // Pick lists of the catalogue on the properties panel's inputs, as the panel re-renders.
  function ensureDatalist(id, values) {
    let list = document.getElementById(id);
    if (!list) {
      list = el('datalist', { id });
      document.body.appendChild(list);
    }
    clear(list);
    values.forEach((value) => list.appendChild(el('option', { value: String(value) })));
  }

  function attachPickLists(scope) {
    Object.keys(PICK_LISTS).forEach((name) => {
      scope.querySelectorAll(`input[name="${name}"]`).forEach((input) => {
        if (input.getAttribute('list') !== PICK_LISTS[name]) {
          input.setAttribute('list', PICK_LISTS[name]);
          input.setAttribute('autocomplete', 'off');
        }
      });
    });
  }

  async function loadCatalog() {
    const url = root.getAttribute('data-catalog-url');
    if (!url) return;
    try {
      const catalog = await fetchJSON(url);
      ensureDatalist(PICK_LISTS.externalTopic, catalog.topics || []);
      ensureDatalist(PICK_LISTS.formKey, catalog.forms || []);
    } catch (error) {
      // pick lists are a help: the inputs stay free text
    }
  }

  const panel = document.getElementById('properties');
  if (panel) {
    new MutationObserver(() => attachPickLists(panel)).observe(panel, { childList: true, subtree: true });
    attachPickLists(panel);
  }

  async function load() {
    const url = root.getAttribute('data-xml-url');
    if (!url) {
      await modeler.createDiagram();
      root.setAttribute('data-ready', 'true');
      return;
    }
    try {
      const imported = await importText(await fetchText(url));
      if (!imported.ok || imported.warnings.length) showProblems(imported.warnings);
    } catch (error) {
      showError(`${say('loadFailed')}: ${error.message}`);
    }
    root.setAttribute('data-ready', 'true');
  }

  if (validateButton) validateButton.addEventListener('click', () => validate());
  if (deployButton) deployButton.addEventListener('click', () => deploy());
  if (downloadLink) downloadLink.addEventListener('click', download);
  if (uploadInput) {
    uploadInput.addEventListener('change', () => {
      const file = uploadInput.files && uploadInput.files[0];
      if (file) upload(file);
    });
  }

  loadCatalog();
  load();
  return modeler;
}

function describe(item) {
  if (item === null || item === undefined) return '';
  if (typeof item !== 'object') return String(item);
  const id = item.element_id || item.id || '';
  const name = item.name ? ` (${item.name})` : '';
  const detail = item.message || item.change || item.changes || item.type || '';
  const text = Array.isArray(detail) ? detail.join(', ') : detail;
  return `${id}${name}${text ? ': ' + text : ''}` || JSON.stringify(item);
}

const root = document.getElementById('editor');
if (root) start(root);
