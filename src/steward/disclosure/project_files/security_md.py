"""SECURITY.md from a project's answers (our own template text, rendered with Jinja2)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from steward.disclosure.project_files.answers import SecurityAnswers

_env = Environment(
    loader=PackageLoader("steward.disclosure.project_files", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # Markdown, not HTML  # noqa: S701
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_security_md(answers: SecurityAnswers) -> str:
    """The SECURITY.md text."""
    return _env.get_template("SECURITY.md.j2").render(a=answers).rstrip() + "\n"
