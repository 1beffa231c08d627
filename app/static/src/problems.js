// The problems list shared by the editor: <ul class="problems"> of
// <li><button type="button" class="problem" data-element-id="..."> (element id, message, line).

export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (key === 'className') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  children.forEach((child) => {
    if (child === undefined || child === null || child === '') return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

export function clear(node) {
  while (node && node.firstChild) node.removeChild(node.firstChild);
}

// A readable message from a failed JSON response ({error}, {message} or {errors}).
export function messageOf(response, fallback) {
  const data = response.data || {};
  const detail = data.error || data.message || (data.errors && JSON.stringify(data.errors));
  return `${fallback} (HTTP ${response.status})${detail ? ': ' + detail : ''}`;
}

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
      disabled: id ? undefined : true
    },
    el('span', { className: 'problem-element' }, id || problem.file || 'diagrama'),
    el('span', { className: 'problem-message' }, problem.message || ''),
    problem.line ? el('span', { className: 'problem-line' }, `línea ${problem.line}`) : null);
    if (id) button.addEventListener('click', () => onSelect(id));
    list.appendChild(el('li', {}, button));
  });
  container.appendChild(list);
}
