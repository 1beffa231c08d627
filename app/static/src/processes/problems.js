// The problems list shared by the editor: <ul class="problems"> of
// <li><button type="button" class="problem" data-element-id="..."> (element id, message, line).
import { el, clear } from '../shared/dom';
import { say } from './messages';

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
      message: say('imported', message)
    };
  });
}

export function renderProblems(container, problems, onSelect) {
  clear(container);
  if (!problems.length) {
    container.appendChild(el('p', { className: 'no-problems', role: 'status' }, say('noProblems')));
    return;
  }
  container.appendChild(el('p', { className: 'problems-count', role: 'status' },
    say('problems', problems.length)));
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
    el('span', { className: 'problem-element' }, id || problem.file || say('diagram')),
    el('span', { className: 'problem-message' }, problem.message || ''),
    problem.line ? el('span', { className: 'problem-line' }, say('line', problem.line)) : null);
    list.appendChild(el('li', {}, button));
  });
  container.appendChild(list);
}
