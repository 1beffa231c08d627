// Progressive enhancement only: every form works without this file.
// Task forms: conditions and repeating groups are task_form.js (loaded by the task page).

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

// After a failed submit the page opens on its error summary (_error_summary.html): the focus
// goes there, so keyboard and screen-reader users hear what to fix and can follow its links.
(function () {
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
