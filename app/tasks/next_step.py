"""The engine's rehearsal of a completion (`Engine.check_completion`) in words for the person
filling the form: which field the next step needs, or which decision leads nowhere, so the form
is shown again with what they typed and nothing changes in the case."""
from flask_babel import gettext as _

from app.platform.i18n import localized
from app.task_forms.schema import INPUT_TYPES


def _fields(components):
    return {c.get('key'): c for c in components or [] if isinstance(c, dict) and c.get('type') in INPUT_TYPES}


def problem_errors(definition: dict, problems) -> dict:
    """{field path or '_form': [messages]} for the problems of a rehearsed completion."""
    fields, errors = _fields(definition.get('components')), {}
    for problem in problems:
        step = localized(problem.element_name, problem.element_names) or problem.element_id or _('el paso siguiente')
        field = fields.get(problem.missing)
        if problem.refusal:
            errors.setdefault('_form', []).append(problem.refusal)
        elif field is not None:
            errors.setdefault(problem.missing, []).append(
                _('Complete este campo: el paso siguiente («%(step)s») lo necesita.', step=step))
        elif problem.missing:
            errors.setdefault('_form', []).append(
                _('No se puede completar: el paso «%(step)s» necesita el dato «%(name)s», que ni este '
                  'formulario ni el caso tienen. Avise al responsable del proceso.', step=step, name=problem.missing))
        elif problem.no_path:
            errors.setdefault('_form', []).append(
                _('Con estas respuestas el caso no puede seguir por ningún camino después de «%(step)s»: '
                  'revise las decisiones del formulario.', step=step))
        else:
            errors.setdefault('_form', []).append(
                _('Con estas respuestas el paso «%(step)s» fallaría; revise el formulario o avise al '
                  'responsable del proceso.', step=step))
    return errors
