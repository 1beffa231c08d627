"""Masking of client contact data for roles that do not handle clients (no Flask: the report
module uses it too)."""


def mask(value) -> str:
    """`marta@example.com` -> `m***@example.com`; other values keep their last 3 characters."""
    value = str(value)
    if '@' in value:
        name, _, domain = value.partition('@')
        return f'{name[:1]}***@{domain}'
    return '*' * max(0, len(value) - 3) + value[-3:]
