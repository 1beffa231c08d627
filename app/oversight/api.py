"""The executed path of a case through the API (the auditors' view, as data)."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.accounts.login import authenticated
from app.cases.lookup import case_or_404
from app.engine.models import MAX_ID
from app.engine.path import case_path
from app.platform.api import blp
from app.platform.extensions import db
from app.tasks.schemas import INTEGER


class PathElement(Schema):
    id = fields.String()
    state = fields.String(metadata={'enum': ['completed', 'active', 'cancelled', 'failed', 'reached']})
    runs = fields.Integer()
    last = fields.Dict(allow_none=True)
    calls = fields.String(allow_none=True)


class PathFlow(Schema):
    id = fields.String()
    count = fields.Integer()


class PathProcess(Schema):
    process_id = fields.String()
    version = fields.Integer()
    version_id = fields.Integer()
    file_name = fields.String()
    elements = fields.List(fields.Nested(PathElement))
    flows = fields.List(fields.Nested(PathFlow))


class PathOut(Schema):
    case_id = fields.Integer()
    as_of = fields.Integer(allow_none=True)
    processes = fields.List(fields.Nested(PathProcess))
    events = fields.List(fields.Dict())


class PathQuery(Schema):
    as_of = fields.Integer(validate=validate.Range(0, MAX_ID, error='Debe estar entre {min} y {max}.'),
                           error_messages=INTEGER,
                           metadata={'description': 'Reproducir el recorrido hasta este evento'})

@blp.route('/cases/<radicado>/path')
class CasePath(MethodView):
    decorators = [authenticated]

    @blp.arguments(PathQuery, location='query')
    @blp.response(200, PathOut)
    @blp.errors(400, 404, 422)
    def get(self, query, radicado):
        """El recorrido ejecutado: por diagrama, estado y ejecuciones de cada elemento y flujos tomados."""
        info = case_or_404(radicado)
        return case_path(db.session, info.case_id, query.get('as_of'))
