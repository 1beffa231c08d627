"""Make SQLite behave as one writer at a time, like the row lock does on PostgreSQL.

pysqlite opens transactions lazily and SQLite ignores `SELECT ... FOR UPDATE`, so two
processes could both read a case and both write it. Starting every transaction with
`BEGIN IMMEDIATE` takes SQLite's write lock up front; WAL keeps readers from blocking.
"""
from sqlalchemy import event


def configure_engine(engine) -> None:
    if engine.dialect.name != 'sqlite':
        return

    @event.listens_for(engine, 'connect')
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA busy_timeout=30000')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def on_begin(connection):
        connection.exec_driver_sql('BEGIN IMMEDIATE')
