"""Kinds the fifteenth blind round (held-out-15g: Apache and Eclipse projects not written in
Java) showed. Self-written fixtures; each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from steward.collect.scan import secrets
from steward.collect.tree import walk
from tests.collect.gitrepo import write

KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"


# ------------------------------------------------------------------ sample key material


def test_keys_of_a_sample_certificate_directory_are_not_secrets(tmp_path: Path) -> None:
    # the keys of an example's sample CA (cmd/ssl/samplecerts/client-key.pem,
    # example-keys/, demo_certs/) are sample material, as test-CA/ is test material;
    # a deploy key beside them, and a directory only containing the letters, are not
    write(tmp_path, {"cmd/ssl/samplecerts/client-key.pem": KEY,
                     "example-keys/server.key": KEY, "demo_certs/ca.pem": KEY,
                     "deploy/prod.key": KEY, "resamplecerts/k.pem": KEY})  # fmt: skip
    found = secrets(walk(tmp_path))
    assert sorted(f.source.path for f in found) == ["deploy/prod.key", "resamplecerts/k.pem"]
