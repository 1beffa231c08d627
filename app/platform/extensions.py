"""Flask extensions, bound to the app in `create_app`."""
from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.engine.models import Base

# Objects stay readable after commit without a new query (and, on SQLite, without taking the
# write lock again): the engine commits once per step and hands back what it saved.
db = SQLAlchemy(model_class=Base, session_options={'expire_on_commit': False})
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
