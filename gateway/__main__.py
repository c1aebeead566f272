"""`python -m gateway`: the app behind the edge, on GATEWAY_APP_PORT (default 8005)."""

import uvicorn

from common import logs, tracing
from gateway.app import create_app
from gateway.settings import Settings

settings = Settings()
logs.configure("gateway", settings.log_level)
tracing.setup("gateway")  # its upstream calls then carry the request's traceparent
uvicorn.run(
    create_app(settings),
    host=settings.host,
    port=settings.app_port,
    access_log=False,
    log_config=None,
    loop="uvloop",
    http="httptools",
    timeout_graceful_shutdown=10,
)
