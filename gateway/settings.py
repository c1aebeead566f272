"""GATEWAY_* settings; GATEWAY_PORT is the contract name for the front door's port.

The door itself is HAProxy (gateway/haproxy/haproxy.cfg reads the same variables); the Python
app behind it listens on GATEWAY_APP_PORT and answers what a proxy cannot (readiness).
"""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_")

    host: str = "127.0.0.1"
    port: int = 8000  # the door (HAProxy)
    app_port: int = 8005  # the Python app behind the door, internal
    metrics_port: int = 8405  # HAProxy's Prometheus exporter, internal
    membership_url: str = "http://127.0.0.1:8001"
    billing_url: str = "http://127.0.0.1:8002"
    referral_url: str = "http://127.0.0.1:8003"
    notify_url: str = "http://127.0.0.1:8004"
    # The ops dashboard's page and figures API: routed by the edge, not probed by /readyz (the
    # dashboard being down must not take the door out of a load balancer).
    ops_url: str = "http://127.0.0.1:8006"
    max_body_bytes: int = 64 * 1024
    # Per client address, per minute, on the endpoints that guess-or-spam attacks aim at.
    # Per address, so it must allow for carrier-grade NAT and assisted kiosks: a flood guard,
    # not the abuse control (code attempts and resend limits live in membership).
    sensitive_per_minute: int = 300
    # Per second, on the partner routes: per client address (every call) and per X-cons-id
    # (calls not refused as unsigned, so a forger cannot spend a bank's share). A bank settles
    # 1,000+ payments a second, with retries, from one address or a few: a flood guard.
    partner_per_second: int = 5000
    # How long each service may take to answer (HAProxy's `timeout server`, its time format):
    # past it the door answers 504 and counts an error against the service's circuit.
    membership_timeout: str = "10s"
    billing_timeout: str = "15s"  # a bank's payment waits on the ledger
    referral_timeout: str = "10s"
    notify_timeout: str = "10s"
    ops_timeout: str = "10s"
    # Consecutive failed answers (5xx, timeouts, resets) that open a service's circuit: the
    # door then answers 503 at once until the health check sees the service well again.
    circuit_errors: int = 10
    log_level: str = "INFO"

    def upstreams(self) -> dict[str, str]:
        return {
            "membership": self.membership_url,
            "billing": self.billing_url,
            "referral": self.referral_url,
            "notify": self.notify_url,
        }
