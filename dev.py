#!/usr/bin/env python3
"""
The README's two commands. Needs only Python 3.11+ and its venv module.

    python3 dev.py run     set up, migrate, load the demo newsroom, serve on 127.0.0.1:8000
                           with one worker for background tasks next to the server
    python3 dev.py test    set up and run the whole test suite (extra arguments go to pytest)

Both create .venv/ on first use and reinstall only when a requirements file changes.
Everything the site writes at run time (database, uploads, secrets) lives in var/.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import threading
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VAR = ROOT / "var"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def main(argv):
    if sys.version_info < (3, 11):  # noqa: UP036 (a newcomer may run an older python3)
        sys.exit(f"Newsroom needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    command, *rest = argv or ["help"]
    if command == "run":
        return run(rest)
    if command == "test":
        return test(rest)
    print(__doc__.strip())
    return 0 if command in {"help", "-h", "--help"} else 2


def run(args):
    install("requirements.txt")
    env = site_environment()
    manage = [str(PYTHON), "manage.py"]
    step(manage + ["migrate", "--noinput", "-v", "0"], env)
    step(manage + ["collectstatic", "--noinput", "-v", "0"], env)
    address = args[0] if args else "127.0.0.1:8000"
    step(manage + ["load_demo", "--address", address], env)
    print(f"\nThe newsroom is at http://{address}/ (Ctrl+C stops it).\n", flush=True)
    # One worker for the background tasks (a new photo's renditions, …), its lines
    # marked "worker |". Without reloading: after changing a task, run this again.
    worker = subprocess.Popen(
        manage + ["worker", "--no-reload", "--interval", "2"],
        cwd=ROOT,
        env=env | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    threading.Thread(target=prefix_lines, args=(worker.stdout, "worker | "), daemon=True).start()
    interrupted = False
    try:
        return subprocess.call(manage + ["runserver", address], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        interrupted = True
        return 0
    finally:
        stop(worker, interrupted)


def prefix_lines(stream, prefix):
    for line in stream:
        print(prefix + line, end="", flush=True)


def stop(worker, interrupted):
    """Let the worker finish its task (Ctrl+C reached it too), then make sure it is gone."""
    if not interrupted:
        worker.terminate()  # asks it to stop after its current task
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        # Its task runs again later (NEWSROOM_TASK_TIMEOUT_SECONDS): nothing is lost.
        worker.kill()
        worker.wait()


def test(pytest_args):
    install("requirements-dev.txt")
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject.toml names tests.settings
    database = (
        "PostgreSQL" if env.get("DATABASE_URL") else "SQLite (set DATABASE_URL for PostgreSQL)"
    )
    print(f"Testing on {database}.", flush=True)
    checks = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["python", "manage.py", "makemigrations", "--check", "--dry-run"],
    ]
    failed = []
    for check in checks:
        executable = str(VENV / "bin" / check[0]) if check[0] == "ruff" else str(PYTHON)
        check_env = env | {"DJANGO_SETTINGS_MODULE": "tests.settings"}
        if subprocess.call([executable, *check[1:]], cwd=ROOT, env=check_env) != 0:
            failed.append(" ".join(check))
    # Django's deployment checks, silent under production settings: no debugging,
    # HTTPS on, a real secret key (one made for this run; nothing is served).
    deploy = ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    deploy_env = {k: v for k, v in env.items() if not k.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": "news.example.kz",
    }
    if subprocess.call([str(PYTHON), *deploy[1:]], cwd=ROOT, env=deploy_env) != 0:
        failed.append(" ".join(deploy))
    install_validators()
    status = subprocess.call([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    if failed:
        print("Failed checks: " + "; ".join(failed), file=sys.stderr)
        return status or 1
    return status


def install(requirements):
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as error:  # Debian's python3 without python3-venv, for one
            sys.exit(f"Could not create a virtual environment ({error}). "
                     "On Debian or Ubuntu: apt-get install python3-venv")  # fmt: skip
    stamp = VENV / f".installed-{requirements}"
    digest = fingerprint(requirements)
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements} …", flush=True)
    step([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    step([str(PYTHON), "-m", "pip", "install", "--quiet", "-r", requirements])
    stamp.write_text(digest)


def install_validators():
    """The Nu Html Checker and axe-core, from package.json, where npm is at hand."""
    stamp = ROOT / "node_modules" / ".installed-package.json"
    digest = hashlib.sha256((ROOT / "package.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("No npm here: the HTML and accessibility validators will skip.", flush=True)
        return
    print("Installing the validators (package.json) …", flush=True)
    step([npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"])
    stamp.write_text(digest)


def fingerprint(requirements):
    """A hash of the requirements file and every file it includes with -r."""
    digest = hashlib.sha256()
    pending = [ROOT / requirements]
    while pending:
        path = pending.pop()
        text = path.read_text()
        digest.update(text.encode())
        for line in text.splitlines():
            if line.startswith("-r "):
                pending.append(path.parent / line[3:].strip())
    return digest.hexdigest()


def site_environment():
    """The environment for a local run: a secret key of this machine's own."""
    VAR.mkdir(exist_ok=True)
    key_file = VAR / "secret-key.txt"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", key_file.read_text().strip())
    env.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # The demo editor signs in with the printed password alone; a real site keeps
    # the default, under which editors set up an authenticator at their first sign-in.
    env.setdefault("NEWSROOM_EDITORS_NEED_2FA", "0")
    return env


def step(command, env=None):
    result = subprocess.call(command, cwd=ROOT, env=env)
    if result != 0:
        sys.exit(f"Failed ({result}): {' '.join(command)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
