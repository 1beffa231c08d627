// The problems list shared by the editor: <ul class="problems"> of
// <li><button type="button" class="problem" data-element-id="..."> (element id, message, line).
import { el, clear } from '../shared/dom';

// bpmn-js import warnings/errors -> problems in the server's shape.
export function problemsFromImport(warnings, file) {
  return (warnings || []).map((warning) => {
    const element = warning.element || (warning.context && warning.context.element);
    const message = (warning.message || String(warning)).split('\n')[0];
    const line = (message.match(/line:\s*(\d+)/i) || [])[1];
    return {
      file,
      line: line ? Number(line) : null,
      element_id: element && element.id ? element.id : null,
      message: `Importación: ${message}`
    };
  });
}

export function renderProblems(container, problems, onSelect) {
  clear(container);
  if (!problems.length) {
    container.appendChild(el('p', { className: 'no-problems', role: 'status' }, 'Sin problemas'));
    return;
  }
  container.appendChild(el('p', { className: 'problems-count', role: 'status' },
    problems.length === 1 ? '1 problema' : `${problems.length} problemas`));
  const list = el('ul', { className: 'problems' });
  problems.forEach((problem) => {
    const id = problem.element_id || '';
    const button = el('button', {
      type: 'button',
      className: 'problem',
      'data-element-id': id,
      disabled: id ? undefined : true,
      onClick: id ? () => onSelect(id) : undefined
    },
    el('span', { className: 'problem-element' }, id || problem.file || 'diagrama'),
    el('span', { className: 'problem-message' }, problem.message || ''),
    problem.line ? el('span', { className: 'problem-line' }, `línea ${problem.line}`) : null);
    list.appendChild(el('li', {}, button));
  });
  container.appendChild(list);
}
