// Progressive enhancement of task forms (app/task_forms/rendering.py); every form works without
// this file, the server doing the same on each post. Two jobs:
// - `data-hide`: the component's condition, parsed by the server (conditions.py) into a small
//   tree, evaluated here as there, live as the user types;
// - repeating groups: "add row" copies the row template, "remove row" drops its row, and the
//   rows' names are numbered again so the server reads them in order.
(function () {
  'use strict';

  function read(form, name) {
    var found = null;
    form.querySelectorAll('[name]').forEach(function (input) {
      if (input.name !== name || input.closest('template')) return;
      if (input.type === 'checkbox') { found = input.checked; return; }
      if (input.type === 'radio' && !input.checked) return;
      var text = input.value;
      if (text === '') return;
      if (input.type === 'number') found = Number(text);
      else if ((input.type === 'radio' || input.tagName === 'SELECT') && (text === 'true' || text === 'false')) found = text === 'true';
      else found = text;
    });
    return found;
  }

  function truthy(v) { return !(v === null || v === undefined || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)); }

  function compare(op, a, b) {
    if (op === '=') return a === b || (a == null && b == null);
    if (op === '!=') return !(a === b || (a == null && b == null));
    var numbers = typeof a === 'number' && typeof b === 'number', texts = typeof a === 'string' && typeof b === 'string';
    if (!numbers && !texts) return null;
    return { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[op];
  }

  function evaluate(tree, form) {
    switch (tree[0]) {
      case 'lit': return tree[1];
      case 'name': return tree[1].length === 1 ? read(form, tree[1][0]) : null;
      case 'not': return !truthy(evaluate(tree[1], form));
      case 'and': return truthy(evaluate(tree[1], form)) && truthy(evaluate(tree[2], form));
      case 'or': return truthy(evaluate(tree[1], form)) || truthy(evaluate(tree[2], form));
      case 'empty': var v = evaluate(tree[1], form); return v === null || v === '';
      default: return compare(tree[1], evaluate(tree[2], form), evaluate(tree[3], form));
    }
  }

  function updateConditions(form) {
    form.querySelectorAll('[data-hide]').forEach(function (part) {
      try { part.hidden = truthy(evaluate(JSON.parse(part.getAttribute('data-hide')), form)); } catch (e) { /* the server decides */ }
    });
  }

  function renumber(list) {
    var name = list.getAttribute('data-name'), path = list.getAttribute('data-path');
    var rows = list.querySelectorAll(':scope > .rows > .dynamiclist-row');
    var min = Number(list.getAttribute('data-min') || 0), max = Number(list.getAttribute('data-max') || 0);
    var esc = function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); };
    var pattern = new RegExp('(^|\\s|field-)' + esc(name) + '-(\\d+|__i__)-', 'g');
    rows.forEach(function (row, k) {
      row.setAttribute('data-index', k);
      var legend = row.querySelector(':scope > legend');
      if (legend) legend.textContent = list.getAttribute('data-legend').replace('__n__', k + 1);
      row.querySelectorAll('*').forEach(function (el) {
        ['name', 'id', 'for', 'aria-describedby'].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(pattern, '$1' + name + '-' + k + '-'));
        });
      });
      var remove = row.querySelector(':scope > .remove-row');
      if (remove) {
        remove.value = path + '-' + k;
        remove.textContent = list.getAttribute('data-remove').replace('__n__', k + 1);
        remove.hidden = rows.length <= min;
      }
    });
    var add = list.querySelector(':scope > .add-row');
    if (add) add.hidden = max > 0 && rows.length >= max;
  }

  function enhanceList(list) {
    var template = list.querySelector(':scope > template.row-template');
    if (!template) return;
    var sample = template.content.querySelector('.dynamiclist-row');
    list.setAttribute('data-legend', sample.querySelector('legend').textContent);
    var removeText = sample.querySelector('.remove-row');
    list.setAttribute('data-remove', removeText ? removeText.textContent : '');
    list.addEventListener('click', function (event) {
      var button = event.target.closest('button');
      if (!button || button.closest('.dynamiclist') !== list) return;
      if (button.classList.contains('add-row')) {
        event.preventDefault();
        var row = template.content.firstElementChild.cloneNode(true);
        list.querySelector(':scope > .rows').appendChild(row);
        renumber(list);
        var first = row.querySelector('input, select, textarea');
        if (first) first.focus();
      } else if (button.classList.contains('remove-row')) {
        event.preventDefault();
        button.closest('.dynamiclist-row').remove();
        renumber(list);
        list.querySelector(':scope > .add-row').focus();
      }
    });
    renumber(list);
  }

  document.querySelectorAll('form.task-form').forEach(function (form) {
    form.querySelectorAll('fieldset.dynamiclist').forEach(enhanceList);
    form.addEventListener('input', function () { updateConditions(form); });
    form.addEventListener('change', function () { updateConditions(form); });
    updateConditions(form);
  });
})();
