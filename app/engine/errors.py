"""What the engine raises to its callers: a code and its parameters, which the web words in the
person's language (`app.platform.i18n.describe`) and the CLI and logs show in Spanish."""


def N_(message: str) -> str:
    """Marks a sentence for `pybabel extract` (a default keyword); it is translated where shown."""
    return message


# code -> the Spanish sentence, with a %(name)s slot for each parameter it shows; the sentence is
# also the msgid of its English entry in app/translations/en/LC_MESSAGES/messages.po
MESSAGES = {
    'case_not_found': N_('El caso %(case_id)s no existe.'),
    'task_not_found': N_('La tarea %(task_id)s no existe.'),
    'task_not_active': N_('La tarea ya fue completada o ya no está activa.'),
    'task_not_open': N_('La tarea ya no está pendiente.'),
    'task_assigned_to': N_('La tarea ya está asignada a %(assignee)s.'),
    'task_not_assigned': N_('La tarea ya no está asignada.'),
    'message_not_awaited': N_("El caso no está esperando el mensaje '%(name)s'."),
    'service_not_running': N_('La tarea de servicio ya no está en curso.'),
    'incident_not_found': N_('El incidente %(incident_id)s no existe.'),
    'incident_resolved': N_('El incidente ya fue resuelto.'),
    'process_not_deployed': N_("No hay ningún proceso desplegado con id '%(process_id)s'."),
    'intake_not_declared': N_('Ningún proceso desplegado se declara como el de radicación (propiedad '
                              'intake = true en el proceso).'),
    'start_failed': N_('No se pudo iniciar el proceso %(process_id)s: %(error)s'),
    'start_failed_at': N_('No se pudo iniciar el proceso %(process_id)s (en %(element_id)s): '
                          '%(error)s'),
    'step_failed': N_('No se pudo avanzar el caso %(case_id)s: %(error)s'),
    'migration_target_missing': N_('El caso o la versión no existen.'),
    'migration_not_running': N_('Solo se migran casos en curso a otra versión de su mismo proceso.'),
    'called_process_gone': N_("El proceso llamado '%(process_id)s' ya no existe en la versión "
                              "nueva."),
    'migration_unsafe': N_('No es seguro migrar: cambiaron elementos que el caso ya completó o en '
                           'los que está detenido: %(elements)s.'),
    'completion_refused': N_('Con estos datos el caso no puede seguir.'),
    'deploy_refused': N_('%(count)s problema(s) en el diagrama; no se desplegó nada.'),
}


class EngineError(Exception):
    """Base class. `code` says what went wrong (stable: callers may test it), `params` the values
    its sentence shows and any detail a caller may want (e.g. `element_id`), `template` the
    Spanish sentence (MESSAGES[code], or the one a caller outside the engine brings for a code
    of its own) and `message` that sentence filled in, safe to show a user."""

    def __init__(self, code: str, template: str | None = None, **params):
        self.code, self.params = code, params
        self.template = MESSAGES[code] if template is None else template
        self.message = self.template % params if params else self.template
        super().__init__(self.message)


class NotFound(EngineError):
    pass


class Conflict(EngineError):
    """A stale or repeated action: the task is no longer waiting for it (HTTP 409)."""


class StepFailed(EngineError):
    """The workflow could not move (a condition or script failed); nothing was saved."""


class CompletionRefused(EngineError):
    """The answers a user task was completed with make the step fail (a gateway condition, a
    script, a next service task's inputs): nothing was saved and no incident opened, since the
    person can fix them on the form. `problems` says what went wrong (rehearsal.CompletionProblem)."""

    def __init__(self, problems):
        super().__init__('completion_refused')
        self.problems = problems


class DeployRefused(EngineError):
    def __init__(self, problems):
        super().__init__('deploy_refused', count=len(problems))
        self.problems = problems
