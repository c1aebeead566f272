"""`make up` sends mail and SMS to a real relay / provider when the shell names one, to the
local sinks otherwise; the banner says which, without credentials."""

from __future__ import annotations

from devstack.platform import Ports, process_specs, providers, real_providers

PORTS = Ports()
RELAY = {"SMTP_HOST": "smtp.example.org", "SMTP_PORT": "587", "SMTP_TLS": "starttls",
         "SMTP_USERNAME": "jkn", "SMTP_PASSWORD": "relay-secret", "KAFKA_PORT": "9092"}
SMS = {"SMS_PROVIDER_URL": "https://user:pw@sms.example.org:8443/v1/send?key=k",
       "SMS_PROVIDER_TOKEN": "sms-secret"}


def _specs(environ: dict[str, str]) -> dict:
    return {s.name: s for s in process_specs(PORTS, {"X": "1", **real_providers(environ)})}


def test_nothing_set_means_both_sinks() -> None:
    specs = _specs({})
    assert "--no-mail" not in specs["sinks"].argv and "--no-sms" not in specs["sinks"].argv
    notify = specs["notify"].env
    assert (notify["SMTP_HOST"], notify["SMTP_PORT"], notify["SMTP_TLS"]) == (
        "127.0.0.1", "1025", "none")
    assert notify["SMS_PROVIDER_URL"] == "http://127.0.0.1:8026/v1/messages"
    assert providers(PORTS, real_providers({})) == [("Mail inbox (codes)", "http://127.0.0.1:8025/"),
                                        ("SMS inbox (codes)", "http://127.0.0.1:8026/")]


def test_a_relay_replaces_the_mail_sink_only() -> None:
    specs = _specs({**RELAY, "SMTP_PORT": "2525"})
    assert "--no-mail" in specs["sinks"].argv and "--no-sms" not in specs["sinks"].argv
    assert specs["sinks"].ready_url == "http://127.0.0.1:8026/healthz"
    notify = specs["notify"].env
    assert {k: notify[k] for k in RELAY if k != "KAFKA_PORT"} == {
        **{k: v for k, v in RELAY.items() if k != "KAFKA_PORT"}, "SMTP_PORT": "2525"}
    assert "KAFKA_PORT" not in notify  # only the provider settings are taken from the shell
    assert notify["SMS_PROVIDER_URL"] == "http://127.0.0.1:8026/v1/messages"
    banner = providers(PORTS, real_providers({**RELAY, "SMTP_PORT": "2525"}))
    assert banner[0] == ("Mail relay", "smtp.example.org:2525 (TLS: starttls)")
    assert "relay-secret" not in str(banner)


def test_a_relay_without_a_port_gets_the_submission_port() -> None:
    env = real_providers({"SMTP_HOST": "smtp.example.org"})
    assert env["SMTP_PORT"] == "587"
    assert real_providers({"SMTP_HOST": "h", "SMTP_TLS": "smtps"})["SMTP_PORT"] == "465"


def test_both_real_means_no_sinks_process() -> None:
    specs = _specs({**RELAY, **SMS})
    assert "sinks" not in specs
    notify = specs["notify"].env
    assert notify["SMS_PROVIDER_URL"] == SMS["SMS_PROVIDER_URL"]
    assert notify["SMS_PROVIDER_TOKEN"] == "sms-secret"
    banner = providers(PORTS, real_providers({**RELAY, **SMS}))
    assert banner[1] == ("SMS provider", "https://sms.example.org:8443/v1/send")
    for secret in ("pw", "key=k", "sms-secret", "relay-secret"):
        assert secret not in str(banner)
