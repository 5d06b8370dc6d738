"""The cluster the tests here run on: two ``ghost-sim serve --production``
processes on one PostgreSQL behind a real nginx, sharing a secret key and a
redis rate-limit store."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..databases import migrated_schema, postgres_url
from ..servers import ServerProcess, command_env, ghost_sim_command, start
from .processes import Daemon, free_port, start_nginx, start_redis


@dataclass
class Cluster:
    port: int
    instances: list[ServerProcess]
    nginx: Daemon
    redis: Daemon
    database_url: str

    def address(self, instance: ServerProcess) -> str:
        return instance.url.removeprefix("http://")


@pytest.fixture
def cluster(tmp_path: Path, isolated_settings: Path) -> Iterator[Cluster]:
    url = postgres_url()
    assert url is not None  # the postgres mark skips without one
    redis = start_redis(tmp_path / "redis")
    instances: list[ServerProcess] = []
    nginx = None
    try:
        with migrated_schema(url) as database_url:
            port = free_port()
            env = command_env(
                isolated_settings,
                GHOST_SIM_DATABASE_URL=database_url,
                GHOST_SIM_SECRET_KEY=secrets.token_hex(32),
                GHOST_SIM_RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis.port}",
                GHOST_SIM_TRUSTED_PROXIES="1",
                GHOST_SIM_PUBLIC_URL=f"http://127.0.0.1:{port}",
            )
            try:
                for number in (1, 2):
                    data = {"GHOST_SIM_DATA_DIR": str(tmp_path / f"data{number}")}
                    instances.append(
                        start(
                            ghost_sim_command(
                                "serve", "--production", "--port", "0", "--threads", "4"
                            ),
                            {**env, **data},
                            tmp_path,
                        )
                    )
                nginx = start_nginx(
                    tmp_path / "nginx",
                    port,
                    [i.url.removeprefix("http://") for i in instances],
                )
                yield Cluster(port, instances, nginx, redis, database_url)
            finally:
                if nginx is not None:
                    nginx.stop()
                for instance in instances:
                    instance.stop()
    finally:
        redis.stop()
