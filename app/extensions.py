"""Flask extensions, bound to the app in `create_app`."""
from flask_sqlalchemy import SQLAlchemy

from .engine.models import Base

db = SQLAlchemy(model_class=Base)
