"""Lint: every problem of a set of diagrams before deploy (see linter.py)."""
from .documents import read_documents
from .linter import Linter, local
from .problems import ERROR, WARNING, Problem, errors

__all__ = ['ERROR', 'WARNING', 'Linter', 'Problem', 'errors', 'local', 'read_documents']
