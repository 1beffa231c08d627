"""What the API says of tasks: the task, the list, and the answer to a step (where the case is
and what the caller may do next in it). Cases and tasks share them."""
from marshmallow import Schema, fields, validate

from app.platform.engines import calendar
from app.platform.extensions import db
from app.cases.vocabulary import CASE_TYPE_CODES
from app.tasks.queries import DEADLINE_STATES, MAX_PAGE, SCOPES, workable_in_case

class TaskOut(Schema):
    id = fields.String()
    case_id = fields.Integer()
    radicado = fields.String(allow_none=True)
    element_id = fields.String()
    name = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    candidate_groups = fields.List(fields.String())
    assignee = fields.String(allow_none=True)
    form_key = fields.String(allow_none=True)
    state = fields.String()
    created_at = fields.DateTime()
    answer_due_at = fields.DateTime(allow_none=True, metadata={
        'description': 'Meta interna de respuesta del caso (SER-PD-01 4.7)'})
    legal_due_at = fields.DateTime(allow_none=True, metadata={
        'description': 'Término legal del caso (Ley 1755 art. 14, prorrogado si extended)'})
    extended = fields.Boolean(allow_none=True)
    on_hold = fields.Boolean(allow_none=True, metadata={
        'description': 'El plazo está detenido mientras el cliente debe información (art. 17)'})
    due_at = fields.DateTime(allow_none=True, metadata={
        'description': 'Vencimiento de la tarea (camunda:dueDate, o el plazo del caso)'})
    follow_up_at = fields.DateTime(allow_none=True, metadata={
        'description': 'Fecha de seguimiento (camunda:followUpDate)'})
    candidate_users = fields.List(fields.String(), allow_none=True)
    priority = fields.Integer(allow_none=True, metadata={
        'description': 'Prioridad (camunda:priority): la lista va de la más alta a la más baja; '
                       'las tareas sin prioridad, al final'})
    business_days_left = fields.Integer(allow_none=True)
    deadline_state = fields.String(allow_none=True)


class ThreadLine(Schema):
    label = fields.String()
    text = fields.String()


class ThreadEntry(Schema):
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    title = fields.String()
    from_client = fields.Boolean()
    lines = fields.List(fields.Nested(ThreadLine))


class TaskDetail(TaskOut):
    form = fields.Dict(metadata={'description': 'Definición del formulario (esquema form-js)'})
    values = fields.Dict(metadata={'description': 'Lo que el formulario ya trae (lo registrado la vez anterior)'})
    thread = fields.List(fields.Nested(ThreadEntry), metadata={
        'description': 'Lo que ha pasado en el caso: pasos anteriores y lo que envió el cliente, del más antiguo al más reciente'})


class TaskList(Schema):
    total = fields.Integer(metadata={'description': 'Tareas que cumplen el filtro; se deja de contar en 500 '
                                                    '(o al final de la página pedida)'})
    total_capped = fields.Boolean(metadata={'description': 'Hay más tareas que `total`'})
    page = fields.Integer()
    tasks = fields.List(fields.Nested(TaskOut))


def _choice(choices):
    return validate.OneOf(choices, error='Elija uno de: {choices}.')


INTEGER = {'invalid': 'Escriba un número entero.'}


class TaskQuery(Schema):
    scope = fields.String(load_default='all', validate=_choice(SCOPES))
    case_type = fields.String(validate=_choice(CASE_TYPE_CODES))
    branch = fields.String()
    channel = fields.String()
    deadline = fields.String(validate=_choice(list(DEADLINE_STATES)))
    page = fields.Integer(load_default=1, error_messages=INTEGER,
                          validate=validate.Range(1, MAX_PAGE, error='Debe estar entre {min} y {max}.'))

class Completed(Schema):
    case_state = fields.String()
    next_tasks = fields.List(fields.Nested(TaskOut), metadata={
        'description': 'Tareas de este caso que usted puede hacer ahora, las más antiguas primero '
                       '(para seguir con el caso sin volver a la lista)'})


def task_dict(task, info=None, days=None, state=None):
    """A task as the API shows it, with its case's radicado and deadline."""
    return {**{c: getattr(task, c) for c in ('id', 'case_id', 'element_id', 'name', 'lane', 'candidate_groups',
                                             'assignee', 'form_key', 'state', 'created_at')},
            'radicado': info.radicado if info else None,
            'answer_due_at': info.answer_due_at if info else None,
            'legal_due_at': info.legal_due_at if info else None,
            'extended': info.extended if info else None,
            'on_hold': info.paused_since is not None if info else None,
            'due_at': task.due_at or (info.answer_due_at if info else None),
            'follow_up_at': task.follow_up_at, 'candidate_users': task.candidate_users or [],
            'priority': task.priority,
            'business_days_left': days, 'deadline_state': state}


def completed(case, user, offered=None):
    """The answer to a step taken through the API: where the case is and what the caller can
    do next in it (`offered`, when the step already read it)."""
    rows = []
    if case.state == 'running':  # a finished case offers nothing: no query for it
        rows = offered if offered is not None else workable_in_case(db.session, user, case.id, calendar())
    return {'case_state': case.state,
            'next_tasks': [task_dict(r.task, r.case, r.business_days_left, r.deadline_state) for r in rows]}
