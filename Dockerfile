# One image for every platform process; docker-compose.yml picks the command per container:
#   python -m services.<membership|billing|referral|notify> [--role api|worker|all] [--port N]
#   python -m gateway | python -m devstack.sinks ... | python -m devstack.provision_topics ...
# No secret is baked in: every key, password and URL comes from the container's environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: code edits do not reinstall them. Every pinned
# requirement ships a manylinux wheel for CPython 3.11, so no compiler is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code (see .dockerignore), importable through PYTHONPATH; compiled once, as root, so the
# unprivileged user never needs to write into /app.
COPY . .
RUN python -m compileall -q contracts common services gateway devstack synthetic \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent app

USER app

# Gateway, services, mail sink inbox + SMS sink, SMTP sink.
EXPOSE 8000 8001 8002 8003 8004 8025 8026 1025

CMD ["python", "-m", "gateway"]
