"""Kinds the fifteenth blind round (held-out-15d: symfony/yaml, php-fig/http-factory,
League\\Container) showed, on small self-written fixtures.

- A documentation page that records what changed between versions (an upgrade or migration
  guide, release notes) was read as design documentation when one of its sections was named
  "Internals": the section tells upgraders what changed inside, not how the project is built.
- A documentation site's release data (Jekyll's ``docs/_data/releases.yml``: each release
  line's version and the date its support ends) was not read as a support policy; data whose
  support column names no end date ("Ongoing" everywhere) still sets no period.
- A CI step resolving Composer dependencies with roave/security-advisories required (a package
  conflicting with every version that has a known advisory) was not read as dependency
  scanning; an install from a committed lock, ``--no-dev`` and ``require --no-update`` are not.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.collect.versionpages import records_version_changes
from tests.collect.gitrepo import write

README = "# Widget\n\nA dependency injection container.\n"
INTERNALS = (
    "#### Internals\n\n"
    "Sub-type definition classes `CallableWidget` and `ClassWidget` have been removed and are now "
    "just `Widget\\Definition`, this will only require action if you build definitions manually or "
    "have created your own definition classes that extend these ones in your application code.\n"
)
UPGRADE_GUIDE = (
    "---\nlayout: post\ntitle: Upgrade Guide\n---\n## Introduction\n\n"
    "How to upgrade to the latest version.\n\n## 3.x to 4.x\n\n### API Changes\n\n" + INTERNALS
)


def _design(root: Path) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in collect_facts(root).docs.design]


def test_an_internals_section_of_an_upgrade_guide_is_no_design(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": README, "docs/4.x/upgrade-guide.md": UPGRADE_GUIDE})
    assert _design(tmp_path) == []


def test_a_migration_page_titled_by_its_first_heading_is_no_design(tmp_path: Path) -> None:
    page = "# Migrating from 1.x\n\nWhat to change.\n\n## Widgets\n\n" + INTERNALS
    write(tmp_path, {"README.md": README, "docs/moving-on.md": page})
    assert _design(tmp_path) == []


def test_the_same_internals_section_of_a_guide_page_stays_design(tmp_path: Path) -> None:
    page = "---\ntitle: Definitions\n---\n## Definitions\n\nHow definitions work.\n\n" + INTERNALS
    write(tmp_path, {"README.md": README, "docs/4.x/definitions.md": page})
    assert _design(tmp_path) == ["docs/4.x/definitions.md:8"]


def test_pages_recording_version_changes_by_name_or_title() -> None:
    assert records_version_changes("docs/UPGRADING.rst", "")
    assert records_version_changes("docs/release-notes.md", "")
    assert records_version_changes("docs/whats_new.md", "")
    assert records_version_changes("docs/a.md", "---\ntitle: 'Migration guide'\n---\n# Intro\n")
    assert records_version_changes("docs/a.md", "# What's New in 2.0\n")
    # a database tool's page on its migrations feature, and a page without such a title
    assert not records_version_changes("docs/migrations.md", "# Migrations\n")
    assert not records_version_changes("docs/a.md", "---\nlayout: post\n---\n# Usage\n")
    assert not records_version_changes("docs/a.md", "---\ntitle: Definitions\n---\n# Upgrade\n")


RELEASES = """-
  version: unstable
  support: Own Risk
-
  version: 4.x
  type: Current
  support: Ongoing
-
  version: 3.x
  type: Old
  support: 2022-02
"""


def _support(root: Path) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in collect_facts(root).docs.support_policy]


def test_a_sites_release_data_with_support_end_dates_is_a_support_policy(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": README, "docs/_data/releases.yml": RELEASES})
    assert _support(tmp_path) == ["docs/_data/releases.yml:11"]


def test_release_data_without_an_end_date_sets_no_support_period(tmp_path: Path) -> None:
    ongoing = RELEASES.replace("support: 2022-02", "support: Ongoing")
    write(tmp_path, {"README.md": README, "docs/_data/releases.yml": ongoing})
    assert _support(tmp_path) == []


def test_dated_data_that_names_no_release_version_is_no_support_policy(tmp_path: Path) -> None:
    events = "- name: Meetup\n  support: 2022-02\n"
    write(tmp_path, {"README.md": README, "docs/_data/events.yml": events})
    assert _support(tmp_path) == []


COMPOSER_JSON = """{
    "name": "acme/widget",
    "require": {
        "php": "^8.1",
        "psr/container": "^2.0"
    },
    "require-dev": {
        "phpunit/phpunit": "^10.5",
        "roave/security-advisories": "dev-latest"
    }
}
"""
WORKFLOW = """name: Tests
on: [push, pull_request]
permissions:
  contents: read
jobs:
  phpunit:
    runs-on: ubuntu-latest
    steps:
      - run: {command}
      - run: vendor/bin/phpunit
"""


def _sca(root: Path) -> list[str]:
    facts = collect_facts(root)
    return [f"{f.source.path}:{f.source.line}" for w in facts.workflows for f in w.sca]


def _php_project(root: Path, command: str, manifest: str = COMPOSER_JSON) -> None:
    write(root, {
        "README.md": README, "composer.json": manifest, "src/Widget.php": "<?php\n",
        ".github/workflows/tests.yml": WORKFLOW.format(command=command),
    })  # fmt: skip


def test_composer_update_with_an_advisory_gate_package_scans_dependencies(tmp_path: Path) -> None:
    _php_project(tmp_path, "composer update --no-progress")
    assert _sca(tmp_path) == [".github/workflows/tests.yml:9"]


def test_an_install_without_a_lock_file_resolves_and_scans_too(tmp_path: Path) -> None:
    _php_project(tmp_path, "composer install --prefer-dist")
    assert _sca(tmp_path) == [".github/workflows/tests.yml:9"]


def test_what_resolves_nothing_or_leaves_the_gate_out_scans_nothing(tmp_path: Path) -> None:
    for command in ("composer update --no-dev", "composer require --no-update --dev x/y:^1"):
        _php_project(tmp_path, command)
        assert _sca(tmp_path) == [], command
    _php_project(tmp_path, "composer install")
    write(tmp_path, {"composer.lock": "{}\n"})
    assert _sca(tmp_path) == []


def test_composer_update_without_an_advisory_gate_package_scans_nothing(tmp_path: Path) -> None:
    manifest = COMPOSER_JSON.replace(',\n        "roave/security-advisories": "dev-latest"', "")
    _php_project(tmp_path, "composer update", manifest)
    assert _sca(tmp_path) == []
