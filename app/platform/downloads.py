"""Files staff download (reports, CSV lists): never kept by a cache, since they may hold a
client's data."""
from flask import Response


def private(response: Response) -> Response:
    response.headers['Cache-Control'] = 'private, no-store'
    return response


def download(body: bytes, content_type: str, filename: str) -> Response:
    """A file to save, never kept by a cache (it may hold a client's data)."""
    response = Response(body, content_type=content_type)
    response.headers.set('Content-Disposition', 'attachment', filename=filename)
    return private(response)


def csv_download(text: str, filename: str) -> Response:
    return download(text.encode('utf-8'), 'text/csv; charset=utf-8', filename)
