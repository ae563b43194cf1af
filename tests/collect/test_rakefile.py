"""The Rakefile's default task, in the declaration forms Rake accepts."""

from __future__ import annotations

import pytest

from steward.collect.rakefile import default_runs_tests


@pytest.mark.parametrize(
    ("text", "verdict", "line"),
    [
        ("task default: :test\n", "test", 1),
        ("\n\ntask :default => [:spec, :rubocop]\n", "test", 3),
        ("task(default: %i[features])\n", "test", 1),
        ('task "default" => "test:all"\n', "test", 1),
        ("task default: %w(compile)\ntask compile: :check\n", "test", 1),
        # declaring default again adds prerequisites
        ("task default: :build\ntask default: :spec\n", "test", 1),
        ("task default: :build\ntask :build\n", "no", 1),
        ("task default: :build\ntask :build do\n  sh 'x'\nend\n", "unknown", 1),
        ("Rake::TestTask.new\n", "unknown", None),
        # a cycle ends
        ("task default: :a\ntask a: :b\ntask b: :a\n", "no", 1),
        # Minitest::TestTask.create defines test; the default names it
        ("Minitest::TestTask.create\ntask default: :test\n", "test", 2),
        ("Rake::TestTask.new(:suite)\ntask default: :suite\n", "test", 2),
    ],
)
def test_default_task(text: str, verdict: str, line: int | None) -> None:
    found = default_runs_tests([("Rakefile", text)])
    assert (found.verdict, found.line) == (verdict, line)
