"""Diagram text runs here and nowhere else: an allow-list of syntax (`rules`), a child process
with only documented names (`functions`), CPU-time and memory limits (`child`), kept warm by
`pool`. See the README's security section for what is allowed."""
from .pool import Limits, Sandbox, SandboxError, default
from .rules import Refused, problems

__all__ = ['Limits', 'Sandbox', 'SandboxError', 'Refused', 'default', 'problems']
