# The front-end bundles (bpmn-js editor and viewers) are built from the npm registry, never
# committed: a Node stage builds them, the Python image takes only the result.
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY app/static/src ./app/static/src
RUN npm run --silent build

FROM python:3.11-slim
WORKDIR /srv/pqrsf
COPY pyproject.toml README.md ./
COPY app ./app
COPY handlers ./handlers
# editable: the code, migrations and templates are read from /srv/pqrsf, where they were copied
RUN pip install --no-cache-dir -e . && pybabel compile -d app/translations
COPY --from=frontend /build/app/static/build ./app/static/build
COPY migrations ./migrations
COPY processes ./processes
COPY forms ./forms
ENV PQRSF_INSTANCE=/srv/pqrsf/instance
# Least privilege: the app runs as its own unprivileged account (numeric, so an orchestrator's
# runAsNonRoot can check it). The code stays owned by root and read-only to it; the only place
# it may write is instance/ (the embedded mode's files; production keeps its data in PostgreSQL).
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin pqrsf \
    && mkdir -p instance && chown pqrsf:pqrsf instance && chmod 0700 instance
EXPOSE 8000
USER 10001:10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "app.wsgi:app"]
