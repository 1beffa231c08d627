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
