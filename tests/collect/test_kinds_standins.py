"""Key material of stand-ins is test material, not a committed secret (a false level-1 fail
of ``no_secrets_in_tree``): the certificates of a dummy or fake server's directory
(``dummyserver/certs/server.key``, as an HTTP client's test server keeps them) and a
credential file whose own name says it is a fake, a sample or a test one
(``gcs-fake-service-account.json`` beside a storage backend's tests). A key of the
project's own, or a credential file with a plain name, is still one."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
ACCOUNT = '{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "x"\n}\n'


def _outcome(root: Path) -> tuple[str, list[str]]:
    out = run_probe("no_secrets_in_tree", collect_facts(root))
    return out.status.value, [e.source for e in out.evidence]


@pytest.mark.parametrize("path", [
    "dummyserver/certs/server.key", "fake-gcs/ca.key", "mock_server/tls/key.pem",
    "storage/gcs-fake-service-account.json", "conf/example.key", "ssl/test-key.pem",
    "ssl/snakeoil.key",
])  # fmt: skip
def test_stand_in_key_material_is_not_a_secret(tmp_path: Path, path: str) -> None:
    write(tmp_path, {path: ACCOUNT if path.endswith(".json") else KEY, "src/app.py": "x = 1\n"})
    assert _outcome(tmp_path)[0] == "pass"


@pytest.mark.parametrize("path", [
    "deploy/server.key", "storage/service-account.json", "mockito/server.key",
    "config/contest.key",
])  # fmt: skip
def test_a_plainly_named_key_is_still_a_secret(tmp_path: Path, path: str) -> None:
    write(tmp_path, {path: ACCOUNT if path.endswith(".json") else KEY, "src/app.py": "x = 1\n"})
    assert _outcome(tmp_path) == ("fail", [path])
