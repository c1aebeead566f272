"""What the door's /readyz says about the services behind it (pure: the probes are the app's).

The door bends instead of breaking: a service that is down costs only its own routes (HAProxy
answers them 503), so the door stays in a load balancer while it can serve anything, and says
which services are down. It is out only when nothing behind it is ready.
"""

from __future__ import annotations

from typing import Any


def readiness(services: dict[str, bool]) -> tuple[int, dict[str, Any]]:
    """The status code and body of /readyz, from each service's own readiness."""
    ready = [name for name, ok in services.items() if ok]
    if len(ready) == len(services):
        status = "ready"
    elif ready:
        status = "degraded"
    else:
        status = "not_ready"
    body = {
        "status": status,
        "services": {name: "ready" if ok else "down" for name, ok in services.items()},
        "checks": {"gateway": True, **services},
    }
    return (200 if ready else 503), body
