"""Analysers named in the configuration of a CI system that Steward names but does not read
(Travis CI, Jenkins, Drone...; see ``steward.collect.ci.OTHER_CI``).

Such files are often left from services no longer used, so what they run is not taken as
done; but when one names a static analyser (Travis CI's ``coverity_scan`` addon, a
``cppcheck`` step) or a dependency scanner (``cargo audit``), the tree cannot show that the
analysis is absent either: the probes say "unknown" and point at the line, instead of a
guessed fail (issue 9: a verdict that cannot be established is unknown with the reason).

Only the words are matched, line by line, outside ``#`` comments; nothing is parsed or run.
"""

from __future__ import annotations

import re

from steward.collect.facts import Finding, Source

__all__ = ["named_analysers"]

# static analysers, as a CI file names them (an addon key, a program)
_SAST = re.compile(
    r"\b(coverity[_-]scan|cov-build|codeql|semgrep|sonar-scanner|sonarcloud|cppcheck|"
    r"clang-tidy|scan-build|flawfinder|gosec|bandit|spotbugs|golangci-lint|cargo clippy|"
    r"staticcheck|phpstan|psalm|pmd|infer run)\b",
    re.I,
)
# dependency vulnerability scanners
_SCA = re.compile(
    r"\b(pip-audit|safety check|npm audit|yarn audit|cargo audit|cargo deny|osv-scanner|"
    r"trivy|grype|govulncheck|snyk test|dependency-check|bundle[- ]audit|bundler-audit|"
    r"composer audit)\b",
    re.I,
)
_COMMENT = re.compile(r"(?:^|\s)#.*$")
MAX_LINES = 5000


def named_analysers(path: str, system: str, text: str) -> tuple[list[Finding], list[Finding]]:
    """(static analysers, dependency scanners) that the ``system`` CI file at ``path`` names,
    each tool once, at the first line naming it."""
    sast: dict[str, Finding] = {}
    sca: dict[str, Finding] = {}
    for lineno, line in enumerate(text.splitlines()[:MAX_LINES], start=1):
        line = _COMMENT.sub("", line)
        for pattern, found in ((_SAST, sast), (_SCA, sca)):
            for m in pattern.finditer(line):
                tool = m.group(1).lower().replace("_", "-")
                if tool not in found:
                    found[tool] = Finding(
                        Source(path=path, line=lineno),
                        f"{system} configuration names {m.group(1)} (not analysed)",
                    )
    return list(sast.values()), list(sca.values())
