"""Benchmark: does every lockfile parser run in linear time?

For each of the 21 formats a generator writes a lockfile with N packages (each depending on
three others, dev and optional packages mixed in, hashes where the format has them, and one
very long string value to catch regular expressions that restart inside strings), then the
parser reads it at N, 5N and 10N. CPU seconds are measured in this process
(``time.process_time``, best of ``--repeat``); a linear parser shows a 10N/N ratio near 10,
a quadratic one near 100. ``--huge`` also reads a 300,000-package package-lock.json.

Run: ``python bench/sbom_scaling.py [--base 2000] [--formats npm,pnpm] [--huge]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from steward.sbom.assemble import parse_all
from steward.sbom.discover import Found
from steward.sbom.ecosystems import parser_named

LONG = "x" * 200_000  # one long string value per file


def _names(n: int, prefix: str = "pkg") -> list[str]:
    return [f"{prefix}-{i:06d}" for i in range(n)]


def _deps(rng: random.Random, names: list[str], i: int) -> list[str]:
    return [names[j] for j in {rng.randrange(len(names)) for _ in range(3)} if j != i]


def npm(n: int) -> tuple[str, str]:
    rng = random.Random(1)
    names = _names(n)
    packages: dict[str, object] = {
        "": {
            "name": "app",
            "version": "1.0.0",
            "description": LONG,
            "dependencies": dict.fromkeys(names[:20], "^1"),
        }
    }
    for i, name in enumerate(names):
        packages[f"node_modules/{name}"] = {
            "version": "1.0.0",
            "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "dependencies": dict.fromkeys(_deps(rng, names, i), "^1"),
            **({"dev": True} if i % 3 == 0 else {}),
        }
    return "package-lock.json", json.dumps({"lockfileVersion": 3, "packages": packages}, indent=2)


def pnpm(n: int) -> tuple[str, str]:
    rng = random.Random(2)
    names = _names(n)
    lines = ["lockfileVersion: '9.0'", "", "importers:", "", "  .:", "    dependencies:"]
    for name in names[:20]:
        lines += [f"      {name}:", "        specifier: ^1", "        version: 1.0.0"]
    lines += ["", "packages:", ""]
    for name in names:
        lines += [f"  {name}@1.0.0:", "    resolution: {integrity: sha512-AAAA}", ""]
    lines += ["  long@1.0.0:", f"    resolution: {{tarball: 'https://x/{LONG}'}}", ""]
    lines += ["snapshots:", ""]
    for i, name in enumerate(names):
        deps = _deps(rng, names, i)
        lines.append(f"  {name}@1.0.0:" + ("" if deps else " {}"))
        if deps:
            lines += ["    dependencies:"] + [f"      {d}: 1.0.0(peer@1.0.0)" for d in deps]
    return "pnpm-lock.yaml", "\n".join(lines) + "\n"


def yarn_v1(n: int) -> tuple[str, str]:
    rng = random.Random(3)
    names = _names(n)
    out = ["# yarn lockfile v1", ""]
    for i, name in enumerate(names):
        out += [
            f'"{name}@^1.0.0":',
            '  version "1.0.0"',
            f'  resolved "https://registry.yarnpkg.com/{name}/-/{name}-1.0.0.tgz#{"a" * 40}"',
        ]
        deps = _deps(rng, names, i)
        if deps:
            out += ["  dependencies:"] + [f'    {d} "^1.0.0"' for d in deps]
        out.append("")
    return "yarn.lock", "\n".join(out)


def yarn_berry(n: int) -> tuple[str, str]:
    rng = random.Random(4)
    names = _names(n)
    out = ["__metadata:", "  version: 8", "  cacheKey: 10", ""]
    for i, name in enumerate(names):
        out += [f'"{name}@npm:^1.0.0":', "  version: 1.0.0", f'  resolution: "{name}@npm:1.0.0"']
        deps = _deps(rng, names, i)
        if deps:
            out += ["  dependencies:"] + [f'    {d}: "npm:^1.0.0"' for d in deps]
        out += ["  checksum: 10/abc", "  languageName: node", "  linkType: hard", ""]
    return "yarn.lock", "\n".join(out)


def _toml_packages(n: int, seed: int, extra: Callable[[str], list[str]]) -> list[str]:
    rng = random.Random(seed)
    names = _names(n)
    out: list[str] = []
    for i, name in enumerate(names):
        out += ["[[package]]", f'name = "{name}"', 'version = "1.0.0"', *extra(name)]
        deps = _deps(rng, names, i)
        out.append("dependencies = [" + ", ".join(f'"{d}"' for d in deps) + "]")
        out.append("")
    return out


def cargo(n: int) -> tuple[str, str]:
    lines = _toml_packages(
        n,
        5,
        lambda name: [
            'source = "registry+https://github.com/rust-lang/crates.io-index"',
            f'checksum = "{"a" * 64}"',
        ],
    )
    return "Cargo.lock", "version = 4\n\n" + "\n".join(lines) + f'\n[metadata]\nlong = "{LONG}"\n'


def poetry(n: int) -> tuple[str, str]:
    rng = random.Random(6)
    names = _names(n)
    out = []
    for i, name in enumerate(names):
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            "optional = false",
            f'files = [{{file = "{name}-1.0.0.tar.gz", hash = "sha256:{"a" * 64}"}}]',
            "",
            "[package.dependencies]",
        ]
        out += [f'{d} = ">=1"' for d in _deps(rng, names, i)] + [""]
    out += ["[metadata]", f'content-hash = "{LONG}"']
    return "poetry.lock", "\n".join(out) + "\n"


def uv(n: int) -> tuple[str, str]:
    rng = random.Random(7)
    names = _names(n)
    out = [
        "version = 1",
        "revision = 3",
        "",
        "[[package]]",
        'name = "app"',
        'version = "1.0"',
        'source = { editable = "." }',
        "dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in names[:20]) + "]",
        "",
    ]
    for i, name in enumerate(names):
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            'source = { registry = "https://pypi.org/simple" }',
            "dependencies = ["
            + ", ".join(f'{{ name = "{d}" }}' for d in _deps(rng, names, i))
            + "]",
            f'sdist = {{ url = "https://x/{name}.tar.gz", hash = "sha256:{"a" * 64}" }}',
            "",
        ]
    return "uv.lock", "\n".join(out)


def pdm(n: int) -> tuple[str, str]:
    rng = random.Random(8)
    names = _names(n)
    out = ["[metadata]", 'groups = ["default"]', ""]
    for i, name in enumerate(names):
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            'groups = ["default"]',
            "dependencies = [" + ", ".join(f'"{d}>=1"' for d in _deps(rng, names, i)) + "]",
            "",
        ]
    return "pdm.lock", "\n".join(out)


def pylock(n: int) -> tuple[str, str]:
    out = ['lock-version = "1.0"', 'created-by = "bench"', ""]
    for name in _names(n):
        out += [
            "[[packages]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            f'sdist = {{ url = "https://x/{name}.tar.gz", hashes = {{ sha256 = "{"a" * 64}" }} }}',
            "",
        ]
    return "pylock.toml", "\n".join(out)


def pipfile(n: int) -> tuple[str, str]:
    default = {name: {"version": "==1.0.0", "hashes": [f"sha256:{'a' * 64}"]} for name in _names(n)}
    return "Pipfile.lock", json.dumps({"_meta": {"note": LONG}, "default": default, "develop": {}})


def requirements(n: int) -> tuple[str, str]:
    lines = [f"{name}==1.0.0 --hash=sha256:{'a' * 64}" for name in _names(n)]
    return "requirements.txt", "\n".join(lines) + f"\n# {LONG}\n"


def composer(n: int) -> tuple[str, str]:
    rng = random.Random(9)
    names = [f"vendor/{x}" for x in _names(n)]
    packages = [
        {
            "name": name,
            "version": "v1.0.0",
            "description": LONG if i == 0 else "",
            "require": {"php": ">=8", **dict.fromkeys(_deps(rng, names, i), "^1")},
            "dist": {"type": "zip", "url": f"https://x/{name}.zip", "shasum": "a" * 40},
        }
        for i, name in enumerate(names)
    ]
    return "composer.lock", json.dumps({"packages": packages, "packages-dev": []}, indent=4)


def gemfile(n: int) -> tuple[str, str]:
    rng = random.Random(10)
    names = _names(n)
    out = ["GEM", "  remote: https://rubygems.org/", "  specs:"]
    for i, name in enumerate(names):
        out.append(f"    {name} (1.0.0)")
        out += [f"      {d} (>= 1)" for d in _deps(rng, names, i)]
    out += ["", "PLATFORMS", "  ruby", "", "DEPENDENCIES"] + [f"  {x}" for x in names[:20]]
    return "Gemfile.lock", "\n".join(out) + "\n"


def gomod(n: int) -> tuple[str, str]:
    out = ["module example.org/app", "", "go 1.22", "", "require ("]
    out += [f"\tgithub.com/org/{name} v1.0.0 // indirect" for name in _names(n)]
    return "go.mod", "\n".join(out) + "\n)\n"


def pom(n: int) -> tuple[str, str]:
    deps = "".join(
        f"<dependency><groupId>org.{name}</groupId><artifactId>{name}</artifactId>"
        f"<version>1.0.0</version></dependency>\n"
        for name in _names(n)
    )
    text = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<groupId>org.example</groupId><artifactId>app</artifactId><version>1.0</version>"
        f"<description>{LONG}</description><dependencies>\n{deps}</dependencies></project>\n"
    )
    return "pom.xml", text


def pom_real(n: int) -> tuple[str, str]:
    """A POM shaped like a large real one: dependencies with exclusions and comments,
    dependencyManagement with ``${...}`` chains, a parent, modules, build plugins with their
    own dependencies, profiles, CDATA; plus the hostile parts that made the old scan
    quadratic or worse: a property that refers to itself twice, element text with long
    whitespace and a comment, and commented-out ``<dependency>``/``<plugin>`` after the last
    closing tag."""
    chain = n // 4 or 1
    props = "".join(
        f"<v{i}.version>1.{i}.0</v{i}.version>\n"
        if i % 10 == 0
        else f"<v{i}.version>${{v{i - 1}.version}}</v{i}.version>\n"
        for i in range(chain)
    )
    props += "<loop>${loop}${loop}</loop>\n" + "".join(
        f"<d{i}>${{d{i - 1}}}${{d{i - 1}}}</d{i}>\n" for i in range(1, 40)
    )
    managed = "".join(
        f"<dependency><groupId>org.m{i}</groupId><artifactId>m{i}</artifactId>"
        f"<version>${{v{i % chain}.version}}</version><exclusions><exclusion>"
        f"<groupId>x</groupId><artifactId>y{i}</artifactId></exclusion></exclusions>"
        "</dependency>\n"
        for i in range(n)
    )
    space = " " * 200
    deps = "".join(
        f"<!-- dependency {i}: pinned for CVE-2024-0001, see the release notes -->\n"
        f"<dependency><groupId>{space}org.m{i}{'<!-- moved -->' if i % 50 == 0 else ''}"
        f"</groupId><artifactId>m{i}</artifactId>"
        f"<version>{'${loop}' if i % 97 == 0 else '${d39}' if i % 89 == 0 else ''}</version>"
        f"<scope>{'test' if i % 3 == 0 else 'compile'}</scope><exclusions><exclusion>"
        "<groupId>commons-logging</groupId><artifactId>commons-logging</artifactId>"
        "</exclusion></exclusions></dependency>\n"
        for i in range(n)
    )
    plugins = "".join(
        f"<plugin><groupId>org.plugins</groupId><artifactId>p{i}</artifactId>"
        "<configuration><![CDATA[ <dependency> in text ]]></configuration><dependencies>"
        f"<dependency><groupId>org.pd{i}</groupId><artifactId>pd{i}</artifactId>"
        "<version>2.0</version></dependency></dependencies></plugin>\n"
        for i in range(n // 10)
    )
    profiles = "".join(
        f"<profile><id>p{i}</id><activation><activeByDefault>{str(i % 2 == 1).lower()}"
        f"</activeByDefault></activation><dependencies><dependency><groupId>org.prof{i}"
        f"</groupId><artifactId>prof{i}</artifactId><version>3.0</version></dependency>"
        "</dependencies></profile>\n"
        for i in range(n // 10)
    )
    modules = "".join(f"<module>mod-{i}</module>\n" for i in range(n // 10))
    disabled = "".join(
        f"<!-- <dependency><groupId>old{i}</groupId> <plugin> -->\n" for i in range(n // 10)
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<parent><groupId>org.example</groupId><artifactId>parent</artifactId>"
        "<version>1</version><relativePath/></parent><artifactId>app</artifactId>"
        f"<properties>\n{props}</properties><modules>\n{modules}</modules>"
        f"<dependencyManagement><dependencies>\n{managed}</dependencies></dependencyManagement>"
        f"<dependencies>\n{deps}</dependencies><build><plugins>\n{plugins}</plugins></build>"
        f"<profiles>\n{profiles}</profiles>\n{disabled}</project>\n"
    )
    return "pom.xml", text


def gradle(n: int) -> tuple[str, str]:
    lines = [f"org.{name}:{name}:1.0.0=compileClasspath,runtimeClasspath" for name in _names(n)]
    return "gradle.lockfile", "\n".join(lines) + "\nempty=\n"


def nuget(n: int) -> tuple[str, str]:
    deps = {
        name: {"type": "Direct", "resolved": "1.0.0", "contentHash": "A" * 88} for name in _names(n)
    }
    return "packages.lock.json", json.dumps({"version": 1, "dependencies": {"net8.0": deps}})


def pubspec(n: int) -> tuple[str, str]:
    out = ["packages:"]
    for name in _names(n):
        out += [
            f"  {name.replace('-', '_')}:",
            "    dependency: transitive",
            "    description:",
            f"      name: {name.replace('-', '_')}",
            "      url: https://pub.dev",
            "    source: hosted",
            '    version: "1.0.0"',
        ]
    return "pubspec.lock", "\n".join(out) + "\nsdks:\n  dart: '>=3.0.0'\n"


def mix(n: int) -> tuple[str, str]:
    lines = [
        f'  "{name.replace("-", "_")}": {{:hex, :{name.replace("-", "_")}, "1.0.0", "{"a" * 64}", '
        f'[:mix], [], "hexpm", "{"b" * 64}"}},'
        for name in _names(n)
    ]
    return "mix.lock", "%{\n" + "\n".join(lines) + "\n}\n"


def conan(n: int) -> tuple[str, str]:
    requires = [f"{name}/1.0.0#{'a' * 32}%1700000000.0" for name in _names(n)]
    return "conan.lock", json.dumps({"version": "0.5", "requires": requires, "note": LONG})


def renv(n: int) -> tuple[str, str]:
    packages = {
        name: {
            "Package": name,
            "Version": "1.0.0",
            "Source": "Repository",
            "Repository": "CRAN",
            "Hash": "a" * 32,
        }
        for name in _names(n)
    }
    return "renv.lock", json.dumps({"R": {"Version": "4.3.0"}, "Packages": packages}, indent=2)


def bun(n: int) -> tuple[str, str]:
    rng = random.Random(11)
    names = _names(n)
    entries = []
    for i, name in enumerate(names):
        deps = json.dumps({"dependencies": dict.fromkeys(_deps(rng, names, i), "^1")})
        entries.append(f'    "{name}": ["{name}@1.0.0", "", {deps}, "sha512-{"A" * 86}=="]')
    root = {
        "name": "app",
        "dependencies": dict.fromkeys(names[:20], "^1"),
        "devDependencies": dict.fromkeys(names[20:30], "^1"),
    }
    packages = ",\n".join(entries)
    return (
        "bun.lock",
        f'{{\n  "lockfileVersion": 1,\n  "workspaces": {{"": {json.dumps(root)}}},\n'
        f'  "packages": {{\n{packages},\n  }},\n}}\n',
    )


GENERATORS: dict[str, tuple[str, Callable[[int], tuple[str, str]]]] = {
    "npm": ("npm-lock", npm),
    "pnpm": ("pnpm-lock", pnpm),
    "yarn-v1": ("yarn-lock", yarn_v1),
    "yarn-berry": ("yarn-lock", yarn_berry),
    "bun": ("bun-lock", bun),
    "cargo": ("cargo-lock", cargo),
    "poetry": ("poetry-lock", poetry),
    "uv": ("uv-lock", uv),
    "pdm": ("pdm-lock", pdm),
    "pylock": ("pylock", pylock),
    "pipfile": ("pipfile-lock", pipfile),
    "requirements": ("pip-requirements", requirements),
    "composer": ("composer-lock", composer),
    "gemfile": ("gemfile-lock", gemfile),
    "go": ("go-mod", gomod),
    "maven": ("maven-pom", pom),
    "maven-real": ("maven-pom", pom_real),
    "gradle": ("gradle-lockfile", gradle),
    "nuget": ("nuget-lock", nuget),
    "pubspec": ("pubspec-lock", pubspec),
    "mix": ("mix-lock", mix),
    "conan": ("conan-lock", conan),
    "renv": ("renv-lock", renv),
}


def cpu(parser_name: str, path: Path, repeat: int) -> tuple[float, int]:
    """CPU seconds of the parse as ``steward sbom`` runs it (``parse_all``), best of repeat."""
    parser = parser_named(parser_name)
    assert parser is not None, parser_name
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        results, problems = parse_all([Found(path, parser)])
        best = min(best, time.process_time() - start)
        assert results and not problems, problems[:1]
        count = len(results[0].components)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000, help="packages at 1x")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--formats", default=",".join(GENERATORS))
    parser.add_argument("--huge", action="store_true", help="also a 300,000-package lockfile")
    args = parser.parse_args()
    print(f"{'format':<14} {'1x s':>8} {'5x s':>8} {'10x s':>8} {'10x/1x':>7}  packages at 10x")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            parser_name, generate = GENERATORS[fmt]
            times = []
            count = 0
            for factor in (1, 5, 10):
                name, text = generate(args.base * factor)
                path = Path(tmp) / fmt / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                seconds, count = cpu(parser_name, path, args.repeat)
                times.append(seconds)
            ratio = times[2] / times[0] if times[0] else float("nan")
            print(
                f"{fmt:<14} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f} {ratio:7.1f}  {count}",
                flush=True,
            )
        if args.huge:
            name, text = npm(300_000)
            path = Path(tmp) / "huge" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            seconds, count = cpu("npm-lock", path, 1)
            print(f"package-lock.json with {count} packages: {seconds:.2f} s CPU", file=sys.stdout)


if __name__ == "__main__":
    main()
