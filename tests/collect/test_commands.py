"""Command classification: unpinned installs (Scorecard's Pinned-Dependencies patterns, with an
exact version accepted as pinned) and test runs (runners and build-tool test targets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect import commands as c
from steward.collect.cisteps import Context, StepScanner
from steward.collect.dockerfiles import dockerfile_installs
from steward.collect.shell import commands, line_of_offset


def _argv(line: str) -> list[str]:
    return c.normalise(commands(line)[0])


@pytest.mark.parametrize(
    ("line", "unpinned"),
    [
        ("pip install requests", True),
        ("python3 -m pip install --upgrade pip", True),
        ("pip install 'requests==2.32.3'", False),
        ("pip install -r requirements.txt", False),
        ("pip install --require-hashes -r requirements.txt", False),
        ("pip install -e .[test]", False),
        ("python -m pip install -e . --group typecheck", False),
        ("pip install .", False),
        ("pip install dist/pkg-1.0-py3-none-any.whl", False),
        ("pip install git+https://github.com/o/r.git@v1.0", True),
        ("pip install git+https://github.com/o/r.git@" + "a" * 40, False),
        ("pip install nox", True),
        ("uv pip install ruff", True),
        ("pipx install poetry==1.8.3", False),
        ("npm install -g typescript", True),
        ("npm install -g typescript@5.4.5", False),
        ("npm i -g @scope/tool@1.2.3", False),
        ("npm install", False),
        ("npm ci", False),
        ("go install golang.org/x/tools/cmd/stringer@latest", True),
        ("go install golang.org/x/tools/cmd/stringer@v0.21.0", False),
        ("go install ./...", False),
        ("go get example.com/mod", True),
        ("choco install nodejs", True),
        ("choco install nodejs --require-checksums", False),
        ("dotnet add package Newtonsoft.Json", True),
        ("dotnet add package Newtonsoft.Json --version 13.0.3", False),
        ("sudo -E pip install black", True),
        # pip wheel / pip download fetch from the index as install does (held-out-7g's
        # Dockerfile: RUN pip wheel "psutil<=5.9.5" -w /tmp/dist/)
        ('pip wheel "psutil<=5.9.5" -w /tmp/dist/', True),
        ("python -m pip download -d wheels requests", True),
        ("pip wheel --no-deps -w dist .", False),
        ("pip download -d wheels 'requests==2.32.3'", False),
        ("pip wheel -r requirements.txt -w wheels", False),
    ],
)
def test_unpinned_install(line: str, unpinned: bool) -> None:
    assert (c.unpinned_install(_argv(line)) is not None) is unpinned


@pytest.mark.parametrize(
    ("script", "flagged"),
    [
        ("curl -fsSL https://sh.rustup.rs | sh -s -- -y", True),
        ("wget -qO- https://x.example/i.sh | sudo bash", True),
        ('sh -c "$(curl -fsSL https://x.example/i.sh)"', True),
        ("bash <(curl -s https://x.example/i.sh)", True),
        ("curl -o i.sh https://x.example/i.sh && bash i.sh", True),
        ("curl -o i.sh https://x.example/i.sh\nsha256sum -c i.sh.sha256\nbash i.sh", False),
        ("curl -s https://raw.githubusercontent.com/o/r/" + "b" * 40 + "/i.sh | bash", False),
        ("curl -s https://example.org/data.json | jq .", False),
    ],
)
def test_download_then_run(script: str, flagged: bool) -> None:
    scan = StepScanner(None)
    scan.script(script, "ci.sh", lambda o: line_of_offset(script, o), Context(job="j"))
    assert bool(scan.found["installs"]) is flagged


def test_scorecard_shell_fixture_lines(shared_data: Path) -> None:
    text = (shared_data / "scorecard-testdata/raw/shell-download-lines.sh").read_text()
    scan = StepScanner(None)
    scan.script(text, "s.sh", lambda o: line_of_offset(text, o), Context(job="j"))
    lines = {f.source.line for f in scan.found["installs"]}
    # curl > /tmp/file && bash /tmp/file; curl bla | bash (continued line); bash <(wget ...);
    # choco without checksums; an unpinned pip VCS install
    assert {6, 11, 14, 18, 20, 28, 30, 31, 41} <= lines
    assert not {32, 33, 34, 36, 37, 45} & lines  # checksums required, local or SHA-pinned


def test_scorecard_dockerfile_fixture_lines(shared_data: Path) -> None:
    text = (shared_data / "scorecard-testdata/raw/Dockerfile-curl-sh").read_text()
    found = {f.source.line: f.detail for f in dockerfile_installs("Dockerfile", text)}
    assert set(found) == {18, 19, 20, 24}  # line 27 downloads from a fixed commit
    text = (shared_data / "scorecard-testdata/raw/Dockerfile-pkg-managers").read_text()
    found = {f.source.line: f.detail for f in dockerfile_installs("Dockerfile", text)}
    assert "go install" in found[16] and "@some_tag" in found[16]
    assert 24 not in found and 61 not in found  # @v1.2.3 and somepkg==1.2.3 are pinned
    assert "npm install typescript" in found[110] and 117 not in found  # npm ci


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("pytest -q", "test"),
        ("python -m pytest tests", "test"),
        ("uv run --locked --no-default-groups --group dev tox run", "test"),
        ("tox -e py312,lint", "test"),
        ("tox -e lint,docs", "no"),
        ("nox -s tests-3.12", "test"),
        ("nox -s lint", "no"),
        ("pip install nox", "no"),
        ("cargo test --workspace", "test"),
        ("cargo +nightly nextest run", "test"),
        ("cross test --target x", "test"),
        ("cargo build --release", "no"),
        ("go test ./...", "test"),
        ("npm test", "test"),
        ("npm run test:unit", "test"),
        ("npm run build", "npm"),
        ("yarn test", "test"),
        ("pnpm -r test", "test"),
        ("mvn -B verify", "test"),
        ("./mvnw -B package -DskipTests", "no"),
        ("mvn -B -Dmaven.test.skip=true install", "no"),
        ("mvn --batch-mode", "mvn"),
        # option values are no goals (held-out-9c: ./mvnw -V --file pom.xml ... -Pdocker)
        ("./mvnw -V --file pom.xml -Dx=1 -Pdocker", "mvn"),
        ("mvn -s .mvn/settings.xml -P docker -T 1C", "mvn"),
        ("mvn -f sub/pom.xml -pl core verify", "test"),
        ("mvn -f pom.xml dependency:tree", "no"),
        ("./gradlew build", "test"),
        ("./gradlew build -x test", "no"),
        ("gradle assemble", "no"),
        ("make check", "test"),
        ("make -C sub unittest", "test"),
        ("make ci", "make"),
        ("just test", "test"),
        ("composer test", "test"),
        ("vendor/bin/phpunit", "test"),
        ("vendor/bin/phpunit.bat", "test"),
        ("bash ci/run.bash", "script"),
        ("./scripts/build.sh", "script"),
        ("ctest --output-on-failure", "test"),
        ("dotnet test", "test"),
        ("richgo test ./...", "test"),
        ("echo test", "no"),
        # an interpreter running a known tool's own executable is that tool (held-out-6:
        # ruby/rake's CI runs its tests as ``ruby -Ilib exe/rake``, the default task, which
        # is followed into the Rakefile like a bare ``rake``)
        ("ruby -Ilib exe/rake", "rake"),
        ("rake", "rake"),
        ("bundle exec rake", "rake"),
        ("rake -f tasks/ci.rake", "rake"),
        ("rake TESTOPTS=-v", "rake"),
        ("rake test[unit]", "test"),
        ("rake build", "no"),
        ("ruby -Ilib exe/rake rdoc", "no"),
        ("php vendor/bin/phpunit --testdox", "test"),
        ("node node_modules/jest/bin/jest.js --ci", "test"),
        ("sh gradlew test", "test"),
        # ... but a shell runs shell scripts, and a script with an extension is the project's
        ("bash ci/make", "script"),
        ("python tools/cargo.py", "script"),
        ("node scripts/test.js", "script"),
        # held-out-6: a release session, a session only installed, a benchmark target
        ("nox --install-only -s release_build", "no"),
        ("nox --no-install -R -s release_build", "no"),
        ("nox -s docs-live", "no"),
        ("tox -e build-tests", "test"),
        ("nox -s property_tests", "test"),
        ("make test-benchmark-compare REF=main", "make"),
        ("rake test:bench", "no"),
        # held-out-7c (composer/semver): Symfony's PHPUnit bridge runs the tests; siblings in
        # PHP, .NET and Xcode
        ("vendor/bin/simple-phpunit --verbose", "test"),
        ("./vendor/bin/kahlan", "test"),
        ("vendor/bin/phpspec run --format=dot", "test"),
        ("vendor/bin/phpspec describe Foo", "no"),
        ("vstest.console.exe Tests.dll", "test"),
        ("xcodebuild -scheme Lib -destination 'platform=macOS' test", "test"),
        ("xcodebuild -scheme Lib build", "no"),
        # siblings in the systems family: CMake's test target, Erlang, Gleam, D, Nim, xmake
        ("cmake --build build --target test", "test"),
        # the project's own target: followed into its add_custom_target (cisteps)
        ("cmake --build . --config Release -t check", "cmake"),
        ("cmake --build build --target=RUN_TESTS", "test"),
        ("cmake --build build --target docs", "no"),
        ("cmake --build build --parallel", "no"),
        ("rebar3 ct --suite=foo", "test"),
        ("rebar3 compile", "no"),
        ("gleam test", "test"),
        ("dub test", "test"),
        ("nimble test", "test"),
        ("xmake build", "no"),
        # held-out-7b: tool runners before the command (prettytable's
        # ``uvx --python X --with tox-uv tox -e py``) and a test runner's binary run through
        # the package manager (ufo's ``pnpm vitest --coverage``)
        ("uvx --python 3.14 --with tox-uv tox -e py", "test"),
        ("uvx --with tox-uv tox -e lint", "no"),
        ("uv tool run --from tox tox -e py312", "test"),
        ("pipx run nox -s tests", "test"),
        ("npm exec -- vitest run", "test"),
        ("pnpm vitest --coverage", "test"),
        ("yarn jest --ci", "test"),
        ("pnpm exec vitest", "test"),
        ("pnpm c8 report", "no"),
        ("pnpm build", "no"),
        ("pnpm test:unit", "test"),
        ("pnpm typecheck", "npm"),
        ("pnpm install --frozen-lockfile", "no"),
        # held-out-7e (simonw/shot-scraper): ``python -m playwright install-deps`` installs
        # the browsers' system libraries; a test runner's housekeeping runs no test
        ("python -m playwright install-deps", "no"),
        ("npx playwright install --with-deps chromium", "no"),
        ("npx playwright test --project=chromium", "test"),
        ("pnpm exec playwright install", "no"),
        ("npx cypress verify", "no"),
        ("npx cypress run", "test"),
        ("pytest --version", "no"),
        ("python -m pytest --collect-only -q", "no"),
        ("npx jest --listTests", "no"),
        ("pytest -v", "test"),
        # siblings: a test command that builds or lists the tests runs none
        ("cargo test --no-run --locked", "no"),
        ("cross test --no-run --target aarch64-unknown-linux-gnu", "no"),
        ("cargo nextest list", "no"),
        ("cargo nextest archive --archive-file a.tar.zst", "no"),
        ("cargo nextest run", "test"),
        ("dotnet test --list-tests", "no"),
        ("ctest -N", "no"),
        ("ctest --show-only=json-v1", "no"),
        ("go test -list . ./...", "no"),
        ("go test -run=^$ -bench=. ./...", "no"),
        ("go test -run '^$' -fuzz=FuzzX -fuzztime=10s", "no"),
        ("go test -run TestX ./...", "test"),
        ("bun test --help", "no"),
        # held-out-8d (Seldaek/monolog): a package manager's command that runs an installed
        # binary is that binary, not a script of that name
        ("composer exec phpunit -- --exclude-group Elasticsearch", "test"),
        ("composer exec --verbose phpunit", "test"),
        ("php composer.phar exec phpunit", "test"),
        ("composer.phar exec -- phpunit --group X", "test"),
        ("composer exec php-cs-fixer fix --dry-run", "no"),
        ("composer exec -l", "no"),
        ("composer run-script phpstan", "composer"),
        ("npm x vitest run", "test"),
        ("npm x eslint .", "no"),
        # a package's installed binary is a tool (named by its program), not a script to follow
        ("php vendor/bin/phpstan analyse", "no"),
        ("vendor/bin/phpstan analyse --no-progress", "no"),
        ("node node_modules/.bin/eslint .", "no"),
        ("vendor/bin/paratest -p4", "test"),
        ("php tests/run.php", "script"),
    ],
)
def test_test_run(line: str, kind: str) -> None:
    assert c.test_run(_argv(line)).kind == kind


def test_variables_resolve_from_env() -> None:
    argv = c.normalise(commands("${{ env.CARGO }} test --workspace")[0], {"CARGO": "cross"})
    assert argv[:2] == ["cross", "test"] and c.test_run(argv).kind == "test"
    unresolved = c.normalise(commands("$CARGO test")[0], {})
    assert c.test_run(unresolved).kind == "test"


def test_uv_option_values_are_not_packages() -> None:
    """held-out-7b: ``--python-preference only-managed`` is an option and its value, not a
    package ``only-managed``; the package left unpinned is tox."""
    line = "uv tool install --python-preference only-managed --python 3.14 tox --with tox-uv"
    found = c.unpinned_install(c.normalise(commands(line)[0]))
    assert found is not None and "tox" in found and "only-managed" not in found


def test_shell_given_a_script_with_c_runs_its_commands() -> None:
    """held-out-7b (filelock's Termux image): ``RUN ["/entrypoint.sh", "bash", "-lc",
    "... pip install -q tox ..."]`` installs tox unpinned; so do ``RUN bash -c`` and a
    workflow's ``bash -c``; an argument ``sh`` further on is no shell."""
    dockerfile = (
        "FROM x:1\n"
        'RUN ["/entrypoint.sh", "bash", "-lc", "apt-get update && pip install -q tox"]\n'
        "RUN bash -c 'pip install tox'\n"
        'RUN ["sh", "-c", "curl -sL https://get.example/x.sh | sh"]\n'
        "RUN echo run it with sh -c later\n"
    )
    found = [(f.source.line, f.detail) for f in dockerfile_installs("Dockerfile", dockerfile)]
    assert [line for line, _ in found] == [2, 3, 4]
    assert "pip install tox" in found[0][1] and "piped into sh" in found[2][1]
    assert c.inline_script(["echo", "run", "it", "with", "sh", "-c", "x"]) is None
    scanner = StepScanner(None)
    scanner.script("bash -c 'pip install tox && pytest -q'\n", "ci.yml", lambda _o: 7,
                   Context(job="t"))  # fmt: skip
    assert [f.source.line for f in scanner.found["installs"]] == [7]
    assert [f.source.line for f in scanner.found["tests"]] == [7]


def test_pip_direct_references_follow_the_requirement_rule() -> None:
    """``pip install "pkg @ file:."`` installs the tree itself; a direct reference to a URL
    is pinned only by a commit SHA or a hash (the rule requirements files follow too)."""
    from steward.collect.commands import unpinned_install

    sha = "0123456789abcdef0123456789abcdef01234567"
    assert unpinned_install(["pip", "install", "widget @ file:."]) is None
    assert (
        unpinned_install(["pip", "install", f"tool @ git+https://example.org/t.git@{sha}"]) is None
    )
    why = unpinned_install(["pip", "install", "tool @ git+https://example.org/t.git@v1"])
    assert why is not None and "tool @ git+https://example.org/t.git@v1" in why
    assert unpinned_install(["pip", "install", "-e", "."]) is None
    assert unpinned_install(["pip", "install", "-e", "git+https://example.org/t.git@main"])
