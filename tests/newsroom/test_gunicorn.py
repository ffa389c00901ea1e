"""gunicorn.conf.py: what production runs, chosen by the environment."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def configuration(monkeypatch, **env):
    for name in [
        "NEWSROOM_BIND",
        "WEB_CONCURRENCY",
        "NEWSROOM_WORKER_TIMEOUT",
        "NEWSROOM_CONTROL_SOCKET",
    ]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_accepts_the_configuration_and_loads_the_site():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [GUNICORN, "--check-config", "-c", "gunicorn.conf.py", "newsroom.wsgi:application"],
        cwd=ROOT, env=environment | {"DJANGO_SECRET_KEY": "x"}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_by_default_it_listens_on_this_machine_with_workers_from_the_cpu_count(monkeypatch):
    settings = configuration(monkeypatch)
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert settings["worker_class"] == "sync"


def test_the_address_and_the_number_of_workers_come_from_the_environment(monkeypatch):
    settings = configuration(
        monkeypatch, NEWSROOM_BIND="unix:/run/newsroom.sock", WEB_CONCURRENCY="3"
    )
    assert settings["bind"] == ["unix:/run/newsroom.sock"]
    assert settings["workers"] == 3


def test_an_empty_worker_count_means_the_default(monkeypatch):
    assert configuration(monkeypatch, WEB_CONCURRENCY="")["workers"] >= 3


@pytest.mark.parametrize("value", ["many", "2.5"])
def test_a_worker_count_that_is_not_a_number_stops_gunicorn(monkeypatch, value):
    with pytest.raises(ValueError):
        configuration(monkeypatch, WEB_CONCURRENCY=value)


def test_workers_are_recycled_at_different_moments_and_never_wait_for_ever(monkeypatch):
    settings = configuration(monkeypatch)
    assert settings["max_requests"] > 0 and 0 < settings["max_requests_jitter"]
    assert settings["timeout"] == 30 and settings["graceful_timeout"] == 30
    assert configuration(monkeypatch, NEWSROOM_WORKER_TIMEOUT="120")["timeout"] == 120


def test_both_logs_go_to_the_standard_streams(monkeypatch):
    settings = configuration(monkeypatch)
    assert settings["accesslog"] == "-" and settings["errorlog"] == "-"


def test_the_control_socket_is_off_unless_given_a_path_of_its_own(monkeypatch):
    # Its default path is one per user: two sites of one user would share it.
    assert configuration(monkeypatch)["control_socket_disable"] is True
    settings = configuration(monkeypatch, NEWSROOM_CONTROL_SOCKET="/run/newsroom/gunicorn.ctl")
    assert settings["control_socket"] == "/run/newsroom/gunicorn.ctl"
    assert "control_socket_disable" not in settings


@pytest.mark.parametrize("script", ["postgres_restart.py", "soak.py"])
def test_the_fault_scripts_explain_themselves_without_touching_anything(script):
    result = subprocess.run(
        [sys.executable, ROOT / "faults" / script, "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "127.0.0.1" in result.stdout


@pytest.mark.parametrize(
    ("script", "arguments"),
    [
        ("postgres_restart.py", ["--down", "0"]),
        ("postgres_restart.py", ["--port", "80"]),
        ("postgres_restart.py", ["--rehearse", "--database", "production"]),
        ("soak.py", ["--seconds", "0"]),
        ("soak.py", ["--connections", "5000"]),
    ],
)
def test_the_fault_scripts_refuse_arguments_out_of_bounds(script, arguments):
    result = subprocess.run(
        [sys.executable, ROOT / "faults" / script, *arguments], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stdout + result.stderr
