FROM python:3.11-slim
WORKDIR /srv/pqrsf
COPY pyproject.toml README.md ./
COPY app ./app
COPY handlers ./handlers
RUN pip install --no-cache-dir .
RUN pybabel compile -d app/translations
COPY processes ./processes
COPY forms ./forms
ENV PQRSF_INSTANCE=/srv/pqrsf/instance \
    PQRSF_PROCESSES_DIR=/srv/pqrsf/processes \
    PQRSF_FORMS_DIRS=/srv/pqrsf/forms
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "app.wsgi:app"]
