"""Kinds the fifteenth blind round (held-out-15d: symfony/yaml, php-fig/http-factory,
League\\Container) showed, on small self-written fixtures.

- A documentation page that records what changed between versions (an upgrade or migration
  guide, release notes) was read as design documentation when one of its sections was named
  "Internals": the section tells upgraders what changed inside, not how the project is built.
- A documentation site's release data (Jekyll's ``docs/_data/releases.yml``: each release
  line's version and the date its support ends) was not read as a support policy; data whose
  support column names no end date ("Ongoing" everywhere) still sets no period.
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
