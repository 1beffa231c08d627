// Progressive enhancement only: every form works without this file.
// Hides fields whose form definition says `conditional.hide` when it is a simple test on one field.
document.querySelectorAll('[data-hide-if]').forEach(function (field) {
  var rule = field.getAttribute('data-hide-if').replace(/^=/, '').trim();
  var m = rule.match(/^not\((\w+)\)$/) || rule.match(/^(\w+)\s*!=\s*"([^"]*)"$/);
  if (!m) return;
  var form = field.closest('form'); if (!form) return;
  function value() {
    var inputs = form.querySelectorAll('[name="' + m[1] + '"]'); var v = null;
    inputs.forEach(function (i) { if ((i.type === 'checkbox' || i.type === 'radio') ? i.checked : true) v = i.type === 'checkbox' ? 'true' : i.value; });
    return v;
  }
  function update() {
    var v = value(); var hide = m[2] === undefined ? !(v === 'true' || v === 'on') : v !== m[2];
    field.hidden = hide;
  }
  form.addEventListener('change', update); update();
});

// Live preview of a form definition being edited: the server renders it exactly as staff see it.
(function () {
  var form = document.getElementById('form-definition');
  if (!form) return;
  var timer = null, target = document.getElementById('form-preview');
  form.querySelector('textarea').addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var body = new FormData(form);
      fetch(form.getAttribute('data-preview-url'), { method: 'POST', body: body, credentials: 'same-origin' })
        .then(function (r) { return r.text(); }).then(function (html) { target.innerHTML = html; });
    }, 400);
  });
})();

// Print buttons (the report page): no inline handlers, the Content-Security-Policy forbids them.
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.addEventListener('click', function () { window.print(); });
});
