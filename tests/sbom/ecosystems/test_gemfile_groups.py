"""Gemfile.lock scope from the Gemfile's Bundler groups: `--exclude-dev` drops what only the
development and test groups (or a gemspec's development dependencies) reach, and nothing
else (issue 17: dependency scope decided from the project's own files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from steward.sbom.component import Scope
from steward.sbom.ecosystems.gemfile_lock import GemfileLockParser

GEMFILE = """\
source "https://rubygems.org"
gemspec

gem "rails", "~> 7.1"  # the application
gem 'pg', group: :production
gem "debug", platforms: %i[mri windows], groups: [:development, :test]

group :development, :test do
  gem "rspec-rails"
  platforms :mri do
    gem "byebug"
  end
end

group :tools do
  gem "rake"
end

group :test do
  if ENV["CI"]
    gem "minitest"
  end
  gem "rspec-rails"  # still in :test after the if ... end
end
"""

GEMSPEC = """\
Gem::Specification.new do |spec|
  spec.name = "widget"
  spec.add_dependency "rack", ">= 2"
  spec.add_development_dependency "minitest"
end
"""

LOCK = """\
PATH
  remote: .
  specs:
    widget (1.0.0)
      rack (>= 2)

GEM
  remote: https://rubygems.org/
  specs:
    byebug (11.1.3)
    debug (1.9.1)
      irb (~> 1.10)
    irb (1.11.0)
    minitest (5.20.0)
    pg (1.5.4)
    rack (3.0.8)
    rails (7.1.2)
      rack (>= 2.2)
    rake (13.1.0)
    rspec-core (3.12.2)
    rspec-rails (6.1.0)
      rack (>= 2)
      rspec-core (~> 3.12)

PLATFORMS
  ruby

DEPENDENCIES
  byebug
  debug
  minitest
  pg
  rails (~> 7.1)
  rake
  rspec-rails
  widget!

BUNDLED WITH
   2.4.10
"""


def _scopes(tmp_path: Path, gemfile: str | None) -> dict[str, Scope | None]:
    (tmp_path / "Gemfile.lock").write_text(LOCK)
    (tmp_path / "widget.gemspec").write_text(GEMSPEC)
    if gemfile is not None:
        (tmp_path / "Gemfile").write_text(gemfile)
    result = GemfileLockParser().parse(tmp_path / "Gemfile.lock")
    return {c.name: c.scope for c in result.components}


def test_groups_decide_scope_by_reachability(tmp_path: Path) -> None:
    scopes = _scopes(tmp_path, GEMFILE)
    dev = {n for n, s in scopes.items() if s is Scope.DEV}
    # development/test gems and what only they reach; a gemspec development dependency
    assert dev == {"byebug", "debug", "irb", "rspec-rails", "rspec-core", "minitest"}
    # rack is reached by rails and the gemspec as well as by rspec-rails: runtime;
    # :production and any other named group (:tools) are installed in production
    assert {n for n, s in scopes.items() if s is not Scope.DEV} == {
        "pg",
        "rack",
        "rails",
        "rake",
        "widget",
    }


def test_without_a_gemfile_nothing_is_called_dev(tmp_path: Path) -> None:
    assert Scope.DEV not in set(_scopes(tmp_path, None).values())


def test_a_hostile_long_line_is_skipped(tmp_path: Path) -> None:
    scopes = _scopes(tmp_path, "group " + " " * 500_000 + "\n" + GEMFILE)
    assert scopes["rspec-rails"] is Scope.DEV


def test_exclude_dev_on_the_command_line(cli: Any, tmp_path: Path) -> None:
    _scopes(tmp_path, GEMFILE)
    out = tmp_path / "bom.json"
    done = cli("sbom", str(tmp_path), "--exclude-dev", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    names = {c["name"] for c in json.loads(out.read_text())["components"]}
    assert names == {"pg", "rack", "rails", "rake", "widget"}
