"""`.ci/run` stops before the tests when a required install fails under CI=true (issue 11).

The script runs from a copy in a temporary folder with stub `apt-get` and `make` first on PATH:
the stub `apt-get` fails to install like apt-get does for an unknown package, and records how it
was called; the stub `make` records that the tests would have started.
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or shutil.which("bash") is None,
                                reason="runs the script as root (as CI does), with stubs on PATH")


def _stub(folder: Path, name: str, body: str) -> None:
    p = folder / name
    p.write_text("#!/usr/bin/env bash\n" + body)
    p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def sandbox(tmp_path):
    (tmp_path / "repo" / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", tmp_path / "repo" / ".ci" / "run")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "calls.log"
    _stub(bin_, "apt-get", f'''
echo "apt-get $* DEBIAN_FRONTEND=${{DEBIAN_FRONTEND:-unset}}" >> "{log}"
if [ "$1" = install ] || [ "$2" = install ] || [[ " $* " == *" install "* ]]; then
  for a in "$@"; do case "$a" in -*|install) ;; *) echo "E: Unable to locate package $a" >&2; exit 100;; esac; done
fi
exit 0
''')
    _stub(bin_, "make", f'echo "make $*" >> "{log}"; exit 0\n')
    _stub(bin_, "chromium", "exit 0\n")  # present: only the data install is exercised
    return tmp_path, bin_, log


def _run(tmp_path, bin_, ci: str):
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}", "CI": ci,
           "GANAD_CI_FASHION_PKG": "no-such-package-ganad", "GANAD_CI_FASHION_DIR": str(tmp_path / "none"),
           "PYTHON": os.environ.get("PYTHON", "python3")}
    return subprocess.run(["bash", str(tmp_path / "repo" / ".ci" / "run")], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_failed_data_install_stops_ci_before_the_tests(sandbox):
    tmp_path, bin_, log = sandbox
    r = _run(tmp_path, bin_, "true")
    assert r.returncode != 0
    assert "E: Unable to locate package no-such-package-ganad" in r.stderr, "the installer's own error is shown"
    assert "Stopping before the tests" in r.stderr
    calls = log.read_text()
    assert "install -y -q no-such-package-ganad DEBIAN_FRONTEND=noninteractive" in calls, \
        "apt-get really ran, non-interactively (an assignment after $SUDO used to be taken for a command)"
    assert "make" not in calls.replace("apt-get", ""), "no test was started"
    assert not (tmp_path / "repo" / ".venv").exists()
