// Decision-table editor: dmn-js Modeler on one DMN file (one decision table), validated and
// deployed through the same server endpoints as the process editor (/validar, /desplegar).
// Bundled by `npm run build` into app/static/build/dmn-editor.js (an IIFE).
//
// Page contract (app/processes/templates/processes/dmn_editor.html):
//   <meta name="csrf-token" content="...">
//   <div id="dmn-editor" data-xml-url data-validate-url data-deploy-url data-file-name>
//     #dmn-canvas, button#validate-btn, button#deploy-btn, input#upload-input[type=file],
//     section#problems, section#deploy-result
//   </div>
import DmnModeler from 'dmn-js/lib/Modeler';

import { el, clear } from '../shared/dom';
import { fetchText, messageOf, postJSON } from '../shared/http';
import { renderProblems } from './problems';
import { translateModule } from '../shared/translate';
import { DMN_ES } from './dmn-texts-es';
import { say } from './messages';

// A new table when there is none to edit yet: one input, one output, one rule.
const EMPTY_TABLE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="definitions_tabla" name="Tabla" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="tabla" name="Tabla de decisión">
    <decisionTable id="tabla_dt">
      <input id="entrada_1" label="Entrada"><inputExpression id="entrada_1_expr" typeRef="string"><text>dato</text></inputExpression></input>
      <output id="salida_1" label="Salida" name="resultado" typeRef="string" />
      <rule id="regla_1"><inputEntry id="regla_1_in"><text>-</text></inputEntry><outputEntry id="regla_1_out"><text>""</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

function start(root) {
  const problemsNode = document.getElementById('problems');
  const resultNode = document.getElementById('deploy-result');
  const buttons = ['validate-btn', 'deploy-btn'].map((id) => document.getElementById(id));
  // every view says its texts in the page's language (per view: dmn-js replaces a `common`
  // additionalModules with the view's own)
  const translated = { additionalModules: [translateModule(DMN_ES)] };
  const modeler = new DmnModeler({ container: root.querySelector('#dmn-canvas'), drd: translated,
    decisionTable: translated, literalExpression: translated, boxedExpression: translated });
  window.pqrsfDmnModeler = modeler;

  const fileName = () => root.getAttribute('data-file-name') || 'tabla.dmn';
  const setBusy = (busy) => {
    root.classList.toggle('is-busy', busy);
    buttons.forEach((button) => { if (button) button.disabled = busy; });
  };
  const show = (node, className, text) => {  // not `say`: that is the messages module's
    clear(node);
    node.appendChild(el('p', { className, role: className.endsWith('refused') ? 'alert' : 'status' }, text));
  };

  // A problem names a rule or decision id; the table has no canvas to center, so the row of
  // the rule is highlighted instead.
  function selectRule(id) {
    root.querySelectorAll('.has-problem').forEach((node) => node.classList.remove('has-problem'));
    const cell = root.querySelector(`[data-row-id="${CSS.escape(id)}"]`);
    if (cell) {
      root.querySelectorAll(`[data-row-id="${CSS.escape(id)}"]`).forEach((node) => node.classList.add('has-problem'));
      cell.scrollIntoView({ block: 'center' });
    }
  }

  async function currentXML() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  async function openTable(text) {
    await modeler.importXML(text);
    const table = modeler.getViews().find((view) => view.type === 'decisionTable');
    if (table) await modeler.open(table);
  }

  async function send(url) {
    setBusy(true);
    clear(resultNode);
    try {
      return await postJSON(url, { file_name: fileName(), xml: await currentXML() });
    } finally {
      setBusy(false);
    }
  }

  async function validate() {
    try {
      const response = await send(root.getAttribute('data-validate-url'));
      if (response.status === 200 && response.data) renderProblems(problemsNode, response.data.problems || [], selectRule);
      else show(problemsNode, 'problems-error', messageOf(response, say('validateTableFailed')));
    } catch (error) {
      show(problemsNode, 'problems-error', `${say('validateTableFailed')}: ${error.message}`);
    }
  }

  function renderDeployment(data) {
    const box = el('div', { className: 'deploy-summary', role: 'status' });
    (data.deployed || []).forEach((item) => {
      const what = item.kind === 'decision' ? say('table') : say('process');
      const text = item.created ? say('deployed', item.version) : say('unchanged', item.version);
      box.appendChild(el('p', { className: item.created ? 'deployed' : 'unchanged' },
        el('strong', {}, text), ` · ${what} ${item.process_id}`));
    });
    resultNode.appendChild(box);
  }

  async function deploy() {
    try {
      const response = await send(root.getAttribute('data-deploy-url'));
      if (response.status === 200 && response.data) {
        renderProblems(problemsNode, [], selectRule);
        renderDeployment(response.data);
      } else if (response.status === 422 && response.data && response.data.problems) {
        renderProblems(problemsNode, response.data.problems, selectRule);
        show(resultNode, 'deploy-refused', say('deployRefused'));
      } else {
        show(resultNode, 'deploy-refused', messageOf(response, say('deployFailed')));
      }
    } catch (error) {
      show(resultNode, 'deploy-refused', `${say('deployFailed')}: ${error.message}`);
    }
  }

  async function upload(file) {
    root.setAttribute('data-file-name', file.name);
    try {
      await openTable(await file.text());
      await validate();
    } catch (error) {
      show(problemsNode, 'problems-error', `${say('openTableFailed')}: ${error.message}`);
    }
  }

  async function load() {
    const url = root.getAttribute('data-xml-url');
    try {
      await openTable(url ? await fetchText(url) : EMPTY_TABLE);
      root.setAttribute('data-ready', 'true');
    } catch (error) {
      show(problemsNode, 'problems-error', `${say('openTableFailed')}: ${error.message}`);
    }
  }

  buttons[0].addEventListener('click', validate);
  buttons[1].addEventListener('click', deploy);
  const input = document.getElementById('upload-input');
  if (input) input.addEventListener('change', () => input.files[0] && upload(input.files[0]));
  load();
}

const root = document.getElementById('dmn-editor');
if (root) start(root);
