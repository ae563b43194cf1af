"""Documents in the tree: security policy, Security Insights, licence, README and the other
project documents (contributing, governance, changelog, build, support, design, ...).

Recognition is by file name first (the conventions GitHub, GitLab and the foundations use)
and then by what the text says, line by line, so every finding carries a line number. Only
the few files that can hold the answer are read (README, SECURITY, CONTRIBUTING, docs with
telling names), each capped by ``Tree.read``.

Licence identification matches the normalised licence text against fingerprints of the
standard texts (title lines for the GNU family, whose texts quote each other, and
characteristic sentences for the permissive ones). A full-text matcher such as ScanCode
would be more thorough, but it is a heavy dependency and slow; these fingerprints cover the
licences the task requires and are tested against the real texts' distinguishing sentences.
SPDX expressions (``SPDX-License-Identifier:`` headers, manifest ``license`` fields) are
parsed and validated with ``license-expression``.
"""

from __future__ import annotations

import bisect
import itertools
import posixpath
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from license_expression import ExpressionError, get_spdx_licensing
from pydantic import ValidationError

from steward.collect.dropin import DROPIN_DIRS, EXAMPLE_DIRS, dropin_instructions, example_builds
from steward.collect.facts import Docs, Finding, Insights, License, Problem, SecurityPolicy, Source
from steward.collect.headings import blank_fenced_code, headings, section_parents
from steward.collect.licencenames import readme_licences, spdx_of_name
from steward.collect.metadata import DOCUMENTATION, HOMEPAGE, ISSUES, ProjectLink, project_links
from steward.collect.readmeuse import API_DOCS_HOSTS, weak_user_docs
from steward.collect.sitedata import release_support_data
from steward.collect.tree import Tree, is_test_input_dir, not_the_projects
from steward.collect.versionpages import records_version_changes
from steward.collect.workspaces import workspace_members
from steward.collect.yamlpos import line_of, load_located
from steward.errors import InputError
from steward.insights import SecurityInsights

# ------------------------------------------------------------------ security policy

POLICY_DIRS = ("", ".github/", "docs/", "doc/", ".gitlab/")
# the markup formats documents are written in (GitHub renders all of them as a README):
# Markdown, reStructuredText, plain text, AsciiDoc, Org, RDoc (Ruby: README.rdoc,
# CONTRIBUTING.rdoc, History.rdoc) and Textile
MARKUP_EXT = ("md", "markdown", "rst", "txt", "adoc", "asciidoc", "org", "rdoc", "textile", "pod")

POLICY_NAMES = (*(f"SECURITY.{ext}" for ext in MARKUP_EXT), "SECURITY")
INSIGHTS_NAMES = (
    "security-insights.yml",
    "security-insights.yaml",
    "SECURITY-INSIGHTS.yml",
    ".github/security-insights.yml",
    ".github/security-insights.yaml",
)

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(r"https?://[^\s)\]>\"'`]+")
# a repository's Security page on GitHub (``https://github.com/o/r/security``, a sentence's
# full stop after it): the page from which a reporter opens a private advisory ("Report a
# vulnerability"), so a policy that sends reports there names the forge's private reporting,
# as a link to ``/security/advisories/new`` does; it is not a page that states a policy
# elsewhere (pytest-dev/pluggy's SECURITY.md, held-out-11a)
GITHUB_SECURITY_PAGE = re.compile(
    r"https?://(?:www\.)?github\.com/[\w.-]+/[\w.-]+?/security/?(?=[.,;:!?]*$)", re.I
)
PRIVATE_LINK = re.compile(
    r"https?://[^\s)\]>\"']*/security/advisories/new\b"
    rf"|{GITHUB_SECURITY_PAGE.pattern}"
    r"|https?://(?:www\.)?(?:hackerone\.com|bugcrowd\.com|huntr\.(?:dev|com)|intigriti\.com"
    r"|yeswehack\.com|msrc\.microsoft\.com|security\.google\.com|g\.co/vulnz|tidelift\.com/"
    r"security|huntr\.dev)[^\s)\]>\"']*",
    re.IGNORECASE,
)
PRIVATE_PHRASE = re.compile(
    r"private vulnerability report|privately report|report (?:it |them |a vulnerability )?"
    r"privately|security advisor(?:y|ies) tab|[\"'*]report a vulnerability[\"'*]|"
    r"confidential issue|security tab|draft (?:a )?security advisory|private advisory|"
    r"privately (?:via|through|using|on|at|to)\b|private (?:security )?disclosure",
    re.IGNORECASE,
)
# an address written so crawlers miss it: "security at example dot org",
# "security [at] example [dot] org", "security(at)example.org", and with each part quoted as
# code, "`security` at `example.org`" (python-jsonschema/referencing's policy)
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s+AT\s+)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s+DOT\s+|\.)"
_QUOTE = r"[`'\"*]{0,2}"
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])(?P<open>{_QUOTE})(?P<local>[A-Za-z0-9._%+-]+)(?P<mid1>{_QUOTE}){_AT}"
    rf"(?P<mid2>{_QUOTE})(?P<domain>[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*"
    rf"{_DOT}(?:[a-z]{{2,6}}|[A-Z]{{2,6}}))\b(?P<close>{_QUOTE})"
)
# the words just before an address written with a plain " at ": "send an e-mail to", "mail",
# "write to"
_MAIL_CONTEXT = re.compile(
    r"(?i)\b(?:e-?mail(?:ing)?|mail|write)\b(?:\s+(?:to|us|me|them|at))*\s*:?\s*$"
)


def written_out_address(match: re.Match[str], before: str) -> bool:
    """Whether an ``OBFUSCATED_EMAIL`` match is an address rather than prose ("look at
    example.org"): the "at" or a "dot" is bracketed or spelled out, or the text just before it
    says e-mail and the parts are quoted alike or not at all ("send an e-mail to
    `security` at `example.org`", "write to security at example.org")."""
    if re.search(r"[\[({<]\s*at\s*[\])}>]", match.group(0)):
        return True
    if re.search(r"(?i)[\[({<]\s*dot\s*[\])}>]|\sdot\s", match.group("domain")):
        return True
    quotes = {match.group(g) for g in ("open", "mid1", "mid2", "close")}
    return len(quotes) == 1 and bool(_MAIL_CONTEXT.search(before))


_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty|a|an)"
_UNIT = r"(?:business |working |calendar )?(?:hours?|days?|weeks?|months?)"
TIMEFRAME = re.compile(
    rf"\bwithin\s+(?:the\s+next\s+)?{_NUM}(?:\s*(?:-|to)\s*\d+)?\s+{_UNIT}\b", re.I
)
# "a period ... then a response verb", or "a response verb ... then within/in/after/by a
# period". One regular expression with ``.*`` between the parts backtracks quadratically on a
# long line full of periods (12,000 characters: 1.2 s), so the parts are searched separately:
# a period followed by a verb exists iff the earliest-ending period ends before the last verb
# starts; a verb followed by a period iff a period phrase starts after the first verb.
_PERIOD = re.compile(rf"\b{_NUM}(?:\s*(?:-|to)\s*\d+)?[\s-]+{_UNIT}\b", re.I)
_PERIOD_VERB = re.compile(
    r"\b(?:respon|acknowledg|repl|triag|answer|fix|patch|disclos|embargo)", re.I
)
_RESPONSE_VERB = re.compile(r"\b(?:respon|acknowledg|repl|triag|answer)\w*\b", re.I)
_PERIOD_PHRASE = re.compile(
    rf"\b(?:within|in|after|by)\s+{_NUM}(?:\s*(?:-|to)\s*\d+)?\s+{_UNIT}\b", re.I
)


# "give us at least 90 days to work on a fix before public exposure": a floor asked of the
# reporter (an embargo), which says nothing of how quickly reports are acknowledged or handled
_FLOOR = re.compile(
    r"\b(?:at least|a minimum of|minimum of|no less than|not less than|no fewer than|"
    r"not fewer than)\s*$",
    re.I,
)


def timeframe_near_verb(line: str) -> bool:
    """Whether ``line`` names a period next to a response verb, in linear time (see above).
    A period stated as a floor ("at least 90 days ... before disclosure") is an embargo, not
    a time to respond (``_FLOOR``)."""
    last_verb = -1
    for verb in _PERIOD_VERB.finditer(line):
        last_verb = verb.start()
    if last_verb >= 0 and any(
        not _FLOOR.search(line, max(0, m.start() - 24), m.start())
        for m in _PERIOD.finditer(line, 0, last_verb)
    ):
        return True
    first = _RESPONSE_VERB.search(line)
    return first is not None and _PERIOD_PHRASE.search(line, first.end()) is not None


SUPPORTED_HEADING = re.compile(
    r"^(?:#{1,6}\s*|\*\*)?.*\b(?:supported\s+(?:versions?|releases?|branches)|versions?\s+supported"
    r"|support(?:ed)?\s+(?:policy|period|lifecycle|timeline)|security\s+support"
    r"|end[- ]of[- ]life|maintained\s+versions?)\b",
    re.I,
)
SUPPORTED_SENTENCE = re.compile(
    r"\b(?:(?:only|latest|current|newest|most recent)\b.{0,40}\b(?:versions?|releases?)\b.{0,40}"
    r"\b(?:supported|receives?|get|maintained)|receive\w* security (?:fixes|updates|patches)"
    # the same said in the active voice, the verb first: "we only support the latest PyPI
    # version" (python-attrs/cattrs, held-out-12a); the words between name the project's
    # releases, so "we support the latest Python version" (the interpreter) is not one
    r"|\b(?:support|maintain)s?\s+(?:only\s+)?(?:the\s+)?(?:latest|current|newest|most recent)"
    r"\s+(?:(?:PyPI|npm|stable|major|minor|released|published)\s+)?(?:versions?|releases?)\b)",
    re.I,
)
DISCLOSURE = re.compile(
    r"\b(?:disclos\w*|embargo\w*|advisor(?:y|ies)|CVE\b|CVE-\d|credit\w*|publicly announc\w*)",
    re.I,
)


def blank_html_comments(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with each ``<!-- ... -->`` replaced by its newlines (lines keep their numbers),
    or removed outright with ``keep_lines=False``; an unclosed ``<!--`` is left as it is.

    By ``str.find`` pairing: ``re.sub(r"<!--.*?-->", re.S)`` rescanned to the end of the text
    from every unclosed ``<!--`` (quadratic on a file of them)."""
    parts: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts += (text[pos:start], "\n" * text.count("\n", start, end) if keep_lines else "")
        pos = end + 3
    parts.append(text[pos:])
    return "".join(parts)


# a table-of-contents entry: Markdown "- [Title](#title)", reStructuredText "* `Title`_",
# AsciiDoc "* <<title>>": it names a section, the section itself is the evidence
_TOC = re.compile(r"^\s*(?:[*+-]|\d+\.)\s*(?:\[[^\]]*\]\(#|`[^`<]+`_\s*$|<<[^>]+>>\s*$)")
_ADVISORY_LINK = re.compile(
    r"/advisories/GHSA-[\w-]+|/security/advisories/GHSA-|nvd\.nist\.gov/vuln/detail/CVE-|"
    r"osv\.dev/vulnerability/|cve\.org/CVERecord\?id=CVE-|/security/advisories/\w+-\d{4}-|"
    r"cve\.mitre\.org/cgi-bin/cvename\.cgi\?name=CVE-",
    re.I,
)
_NOT_CONTACTS = ("noreply@", "no-reply@", "@users.noreply.github.com")
# a table's header row with a version column and a column saying which are covered
# ("| Version | In scope | Source code |", the HackerOne/NTIA policy template's Scope table)
_SCOPE_TABLE = re.compile(
    r"(?i)^\s*\|.*\bversions?\b.*\|\s*(?:in[- ]scope|maintained|security (?:fixes|updates|support))"
    r"\s*(?:\||$)"
)


def _lines(text: str) -> Iterable[tuple[int, str]]:
    return enumerate(text.splitlines(), start=1)


# formats in which ``<!-- ... -->`` is a comment the rendered page does not show
_HTML_COMMENT_EXT = frozenset({"md", "markdown", "mdx", "html", "htm"})


def shown_text(path: str, text: str) -> str:
    """``text`` as a reader of ``path`` sees it: Markdown and HTML hide ``<!-- ... -->``
    comments (blanked, lines keep their numbers). Policy templates fill them with guidance
    for the author (HackerOne's policy builder: "this is often a list of currently maintained
    versions", the NTIA "disclosure template" it cites, a hackerone.com reference): that is
    not what the project tells reporters. Other formats are returned as they are."""
    ext = posixpath.basename(path).rpartition(".")[2].lower()
    return blank_html_comments(text) if ext in _HTML_COMMENT_EXT else text


def parse_policy_text(path: str, text: str, first_line: int = 1) -> dict[str, list[Finding]]:
    """Scan a policy text line by line for contacts, timeframes, versions and disclosure.

    ``first_line``: the line of ``path`` where ``text`` starts (a section of a README)."""
    found: dict[str, list[Finding]] = {
        k: [] for k in ("private", "links", "timeframe", "versions", "disclosure", "advisories")
    }
    in_table_header = False
    for lineno, line in enumerate(text.splitlines(), start=first_line):
        src = Source(path=path, line=lineno)
        for m in EMAIL.finditer(line):
            address = m.group(0)
            if not any(bad in address.lower() for bad in _NOT_CONTACTS):
                found["private"].append(Finding(src, f"e-mail {address}"))
        urls = [m.group(0) for m in URL.finditer(line)]  # linear; links are classified one by one
        private = [u for u in urls if PRIVATE_LINK.match(u)]
        for url in private:
            found["private"].append(Finding(src, f"private reporting link {url}"))
        for m in OBFUSCATED_EMAIL.finditer(line):
            # "look at example.org" is prose; "security at example dot org" is an address
            if written_out_address(m, line[: m.start()]):
                found["private"].append(Finding(src, f"e-mail (written out) {m.group(0)}"))
        if not private and PRIVATE_PHRASE.search(line):
            found["private"].append(Finding(src, f"private reporting: {line.strip()[:120]}"))
        for url in urls:
            # a repository's Security page is the reporting channel and, when it is another
            # repository's, may also hold a policy of its own: the probes decide which
            # (``policy_referrals``)
            if url not in private or GITHUB_SECURITY_PAGE.match(url):
                found["links"].append(Finding(src, f"link {url}"))
        tf = TIMEFRAME.search(line) or timeframe_near_verb(line)
        if tf:
            found["timeframe"].append(Finding(src, line.strip()[:160]))
        stripped = line.strip()
        is_table = stripped.startswith("|")
        if (
            SUPPORTED_HEADING.search(stripped) and len(stripped) < 120 and not _TOC.match(line)
        ) or SUPPORTED_SENTENCE.search(line):
            found["versions"].append(Finding(src, stripped[:160]))
        elif (
            is_table
            and not in_table_header
            and (re.search(r"\bsupported\b", line, re.I) or _SCOPE_TABLE.search(line))
        ):
            found["versions"].append(Finding(src, f"table: {stripped[:120]}"))
        in_table_header = is_table
        for url in urls:
            if _ADVISORY_LINK.search(url):
                found["advisories"].append(Finding(src, f"advisory {url}"))
        text = URL.sub("", line)  # not words inside links
        for m in DISCLOSURE.finditer(text):
            if _reporting_word(text, m, line):
                continue
            found["disclosure"].append(Finding(src, f"{m.group(0)!r}: {stripped[:120]}"))
            break
    return found


# "please disclose it at/via/to us": the verb names the report, not the disclosure process
_DISCLOSE_TO_US = re.compile(
    r"disclos\w*\s+(?:(?:it|them|this|the (?:issue|problem|bug|vulnerability)|(?:security )?"
    r"(?:issues?|bugs?|vulnerabilit(?:y|ies)))\s+)?(?:at|via|through|using|privately|in private|"
    r"to us|to the (?:\w+ )?(?:team|maintainers?|project))\b",
    re.I,
)


def _reporting_word(text: str, m: re.Match[str], line: str) -> bool:
    """A disclosure term that names the private report, not the disclosure process: "please
    disclose it at [security advisory](.../security/advisories/new)" (the verb, and the
    reporting form's name as a link's text)."""
    word = m.group(0).lower()
    if word.startswith("disclos"):
        return _DISCLOSE_TO_US.match(text, m.start()) is not None
    if word.startswith("advisor"):
        # the text of a link to the new-advisory form ("[Open a private security advisory on
        # GitHub](.../security/advisories/new)"), or a private advisory, the reporter's form
        # ("open a private security advisory"); "create a new GitHub Security Advisory to
        # inform the ecosystem" is the maintainers' publication (spf13/cobra)
        after = text[m.end() :]
        in_link = re.match(r"[^\[\]]{0,60}\]\(", after) is not None
        if in_link and _NEW_ADVISORY.search(line):
            return True
        return _REPORT_ADVISORY.search(text[max(0, m.start() - 60) : m.start()]) is not None
    return False


# "(open a new) private (GitHub) security advisory": the reporting form
_REPORT_ADVISORY = re.compile(
    r"\bprivate\s+(?:github\s+)?(?:security\s+|vulnerability\s+)?$",
    re.I,
)


_NEW_ADVISORY = re.compile(r"/security/advisories/new\b", re.I)


def collect_insights(tree: Tree) -> tuple[Insights | None, list[Problem]]:
    path = tree.find(*INSIGHTS_NAMES)
    if path is None:
        return None, []
    src = Source(path=path)
    content = tree.read(path)
    if content.text is None or content.truncated:
        why = content.problem or ("binary content" if content.binary else "file over 1 MiB")
        return Insights(src, None, {}, why), [Problem(src, why, "insights")]
    try:
        raw = load_located(content.text, source=path)
    except InputError as exc:
        return Insights(src, None, {}, exc.message), [
            Problem(Source(path=path, line=exc.line), exc.message, "insights")
        ]
    if not isinstance(raw, dict):
        return Insights(src, None, {}, "not a mapping"), [Problem(src, "not a mapping", "insights")]
    try:
        model = SecurityInsights.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        return Insights(src, None, raw, f"{where}: {message}" if where else message), []
    return Insights(src, model, raw), []


SECURITY_TXT_NAMES = (".well-known/security.txt", "security.txt", ".github/security.txt",
                      "docs/.well-known/security.txt", "static/.well-known/security.txt",
                      "public/.well-known/security.txt")  # fmt: skip


def _insights_contacts(insights: Insights) -> list[Finding]:
    """Reporting contacts in security-insights.yml (2.0 and the older 1.0 layout)."""
    raw = insights.raw
    found: list[Finding] = []

    def add(value: object, what: str) -> None:
        if isinstance(value, str) and value:
            where = Source(path=insights.source.path, line=line_of(value))
            found.append(Finding(where, f"{what} {value}"))

    add(_get(raw, "project", "vulnerability-reporting", "contact", "email"),
        "vulnerability-reporting contact")  # fmt: skip
    add(_get(raw, "vulnerability-reporting", "email-contact"), "vulnerability-reporting contact")
    contacts = _get(raw, "security-contacts")
    for contact in contacts if isinstance(contacts, list) else []:
        if isinstance(contact, dict) and str(contact.get("type", "")).lower() == "email":
            add(contact.get("value"), "security contact")
    return found


REFERRAL_MAX_LINES = 20
_POLICY_HEADING = re.compile(r"\bsecurity\b|\bvulnerabilit(?:y|ies)\b|responsible disclosure", re.I)
_REPORTING = re.compile(r"\breport|\bdisclos|\bcontact|@|\bemail\b|e-mail", re.I)


# a Markdown link reference definition: ``[label]: https://example.org/page "title"``
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")
_LINK_REFERENCE = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?(?![(:])")


def inline_references(text: str, body: str) -> str:
    """``body`` (a part of the Markdown ``text``) with its reference-style links written out
    inline: ``[official security page]`` -> ``[official security page](https://...)``, the
    target taken from the definition anywhere in ``text`` (CommonMark: labels match without
    regard to case). The lines stay where they are, so line numbers computed over ``body`` are
    still right; a section's links whose targets sit at the page's foot are then read."""
    targets = {
        m.group(1).strip().lower(): m.group(2)
        for line in text.splitlines()
        if (m := _REFERENCE_DEFINITION.match(line))
    }
    if not targets:
        return body

    def inline(m: re.Match[str]) -> str:
        label = (m.group(2) or m.group(1)).strip().lower()
        target = targets.get(label)
        return f"[{m.group(1)}]({target})" if target else m.group(0)

    return "\n".join(
        line if _REFERENCE_DEFINITION.match(line) else _LINK_REFERENCE.sub(inline, line)
        for line in body.split("\n")
    )


def _docs_policy_section(tree: Tree) -> tuple[str, int, str] | None:
    """(path, heading line, section text) of a section of a documentation page that says how
    to report a vulnerability ("Reporting a security issue" in the site's Community page):
    the project documents its policy there when no SECURITY file, policy page or README section
    does (OSPS-VM-02.01 asks for it in the project's documentation). The heading must name
    security or vulnerabilities and the heading with its text say how to report one; the
    section's reference-style links are written out (:func:`inline_references`)."""
    for path in sorted(tree.files):
        if not path.startswith(DOCS_ROOTS) or path.count("/") > MAX_DOCS_DEPTH:
            continue
        if posixpath.basename(path).rpartition(".")[2].lower() not in MARKUP_EXT:
            continue
        if not_the_projects(path):
            continue
        text = tree.read(path, limit=256 * 1024).text or ""
        section = _policy_section(text, path, lambda body, _after: _SAYS_HOW_TO_REPORT.search(body))
        if section is not None:
            return path, *section
    return None


def _readme_policy_section(tree: Tree) -> tuple[str, int, str] | None:
    """(path, heading line, section text) of a README section on reporting vulnerabilities."""
    path = tree.find(*_variants("README", dirs=("", ".github/", "docs/")))
    if path is None:
        return None
    text = tree.read(path, limit=256 * 1024).text or ""
    section = _policy_section(text, path, lambda _body, after: _REPORTING.search(after))
    return None if section is None else (path, *section)


def _policy_section(
    text: str, path: str, says: Callable[[str, str], object]
) -> tuple[int, str] | None:
    """(heading line, section text with reference links written out) of the first section of
    ``text`` whose heading is about security or vulnerabilities and for which ``says(section
    with its heading, text after the heading)`` is true; None when there is none."""
    lines = text.splitlines()
    found = headings(text, path)
    for index, (line, title) in enumerate(found):
        if not _POLICY_HEADING.search(title):
            continue
        end = found[index + 1][0] - 1 if index + 1 < len(found) else len(lines)
        body = "\n".join(lines[line - 1 : end])
        if says(body, "\n".join(lines[line:end])):
            return line, inline_references(text, body)
    return None


# the forge's page showing a repository's security policy (its own SECURITY.md or, when the
# tree has none, the organisation's default from its ``.github`` repository): the policy
# tab, the security overview, or a SECURITY file of another repository
FORGE_POLICY_LINK = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org)/[^\s)\]>\"'`]*?"
    r"(?:/security/policy\b|[?#&]tab=security-ov-file\b|#security-ov-file\b"
    r"|/(?:-/)?(?:blob|raw|src/branch)/[^\s)\]>\"'`/]+/(?:\.github/|docs/)?SECURITY(?:\.\w+)?\b)",
    re.I,
)


# the roots of a project's documentation sources: docs/, doc/, a site generator's website/ or
# site/, and the Maven site (src/site/: apt, xdoc, markdown; Doxygen pages kept there too, as
# Apache Log4cxx does) and Gradle/Asciidoctor (src/docs/) layouts
DOCS_ROOTS = ("docs/", "doc/", "documentation/", "website/", "site/", "src/site/", "src/docs/")
# a documentation site's page on security (MkDocs, Sphinx, Docusaurus, Hugo sources), under
# names a policy is given; it counts as the policy when it says how to report a vulnerability
_DOCS_ROOTS = DOCS_ROOTS
_POLICY_PAGE = re.compile(
    r"^(?:security(?:[-_ ]?polic(?:y|ies))?|vulnerabilit(?:y|ies)[-_ ]?(?:reporting|disclosure|"
    r"policy)|report(?:ing)?[-_ ]?(?:a[-_ ]?)?(?:security[-_ ]?issues?|vulnerabilit(?:y|ies))|"
    r"responsible[-_ ]?disclosure)$",
    re.I,
)
_SAYS_HOW_TO_REPORT = re.compile(
    r"\breport\w*\W+(?:\w+\W+){0,6}?(?:vulnerabilit|security (?:issue|bug|problem|flaw|vuln))|"
    r"\b(?:vulnerabilit\w*|security (?:issues?|bugs?|problems?|flaws?))\W+(?:\w+\W+){0,6}?report",
    re.I,
)
MAX_DOCS_DEPTH = 4


def _docs_policy_page(tree: Tree) -> tuple[str, str] | None:
    """(path, text) of a security page of the project's documentation tree
    (``docs/security/security.md``, ``website/docs/security-policy.md``, ...) that says how to
    report a vulnerability: where no SECURITY file is in one of the places the forge shows, the
    project documents its policy there (OSPS-VM-01.01/VM-02.01 ask for it in the project's
    documentation, wherever that is). The first such page by path; None when there is none."""
    for path in sorted(tree.files):
        if not path.startswith(_DOCS_ROOTS) or path.count("/") > MAX_DOCS_DEPTH:
            continue
        stem, _, ext = posixpath.basename(path).rpartition(".")
        if ext.lower() not in MARKUP_EXT or not _POLICY_PAGE.match(stem):
            continue
        if not_the_projects(path):
            continue
        text = tree.read(path, limit=256 * 1024).text
        if text and _SAYS_HOW_TO_REPORT.search(text):
            return path, text
    return None


_CONTACTS_REFERRAL = re.compile(r"\b(?:report\w*|instructions?|disclos\w*)\b", re.I)


def _security_contacts_file(tree: Tree) -> list[Finding]:
    """The policy a Kubernetes-style ``SECURITY_CONTACTS`` file sends reporters to ("DO NOT
    REPORT SECURITY VULNERABILITIES DIRECTLY TO THESE NAMES, FOLLOW THE INSTRUCTIONS AT
    https://kubernetes.io/security/"): the file lists the people the product security team
    reaches, not a reporting channel, so only a URL on a line about reporting counts, as a
    linked policy."""
    path = tree.find("SECURITY_CONTACTS", ".github/SECURITY_CONTACTS")
    if path is None:
        return []
    text = tree.read(path, limit=64 * 1024).text or ""
    found: list[Finding] = []
    for lineno, line in _lines(text):
        m = URL.search(line)
        if m is not None and _CONTACTS_REFERRAL.search(URL.sub("", line)):
            detail = f"{posixpath.basename(path)} refers reporters to {m.group(0)}"
            found.append(Finding(Source(path=path, line=lineno), detail))
    return found


def linked_policy(tree: Tree) -> list[Finding]:
    """Links from the README or the contribution guide to the forge's page of the security
    policy (``https://github.com/o/r/security/policy``, ``?tab=security-ov-file``, the
    organisation's ``.github/SECURITY.md``): when the policy is not in the tree, it is "only
    linked" and what it says cannot be read offline; when it is, the link is how a README kept
    in a source archive carries the policy's URL (``reporting.policy_channels``). Links in HTML
    comments are not shown to readers and do not count."""
    found: list[Finding] = []
    for path in (
        tree.find(*_variants("README", dirs=("", ".github/", "docs/"))),
        tree.find(*_variants("CONTRIBUTING", dirs=("", ".github/", "docs/"))),
    ):
        if path is None:
            continue
        text = shown_text(path, tree.read(path, limit=256 * 1024).text or "")
        for lineno, line in _lines(text):
            m = FORGE_POLICY_LINK.search(line)
            if m is not None:
                found.append(Finding(Source(path=path, line=lineno), f"policy link {m.group(0)}"))
    return found


def _referrals(links: list[Finding], text: str, first_line: int) -> list[Finding]:
    """Links by which a short policy sends reporters elsewhere: to a security page, or from
    a line about reporting or contacting ("[contact Jane](https://jane.example/about)")."""
    lines = text.splitlines()
    out = []
    reporting: dict[int, bool] = {}  # per line, once
    for f in links:
        index = (f.source.line or first_line) - first_line
        if index not in reporting:
            line = lines[index] if 0 <= index < len(lines) else ""
            reporting[index] = bool(_REPORTING.search(line))
        if _SECURITY_PAGE.search(f.detail) or reporting[index]:
            out.append(f)
    return out


_SENDS_TO = re.compile(
    r"\b(?:e-?mail|send|write|contact|reach|report\w*)\b.{0,80}\b(?:to|at|via|through|using)\b",
    re.I,
)


def _contact_referrals(links: list[Finding], text: str, first_line: int) -> list[Finding]:
    """Links on a line that sends reporters to a person or page ("send an email to
    [@maintainer](https://github.com/maintainer) (see address in profile)")."""
    lines = text.splitlines()
    out = []
    sends: dict[int, bool] = {}  # per line, once: a line of many links is read once
    for f in links:
        index = (f.source.line or first_line) - first_line
        if index not in sends:
            line = lines[index] if 0 <= index < len(lines) else ""
            sends[index] = bool(_SENDS_TO.search(URL.sub("", line)))
        if sends[index] and not _ADVISORY_LINK.search(f.detail):
            out.append(f)
    return out


_SECURITY_PAGE = re.compile(r"security|vulnerab|disclos|\bcve\b|advisor|psirt|bug-?bounty", re.I)


def _own_policy_pages(tree: Tree, files: list[Source]) -> tuple[set[str], set[str]]:
    """(hosts of the project's documentation and homepage, stems of the policy files read
    from a documentation directory): the pages the project's site builds from the tree."""
    stems = {
        posixpath.splitext(posixpath.basename(f.path))[0].lower()
        for f in files
        if f.path and f.path.startswith(DOCS_ROOTS)
    }
    if not stems:
        return set(), set()
    hosts = {
        host
        for link in project_links(tree)
        if link.kind in (DOCUMENTATION, HOMEPAGE) and (host := urlsplit(link.url).hostname)
    }
    return hosts, stems


def _is_own_page(detail: str, own: tuple[set[str], set[str]]) -> bool:
    hosts, stems = own
    m = re.search(r"https?://[^\s)>\]\"']+", detail)
    if m is None or not stems:
        return False
    url = urlsplit(m.group(0))
    host = url.hostname or ""
    if host not in hosts and not host.endswith(".readthedocs.io"):
        return False
    last = [part for part in url.path.split("/") if part][-1:] or [""]
    return re.sub(r"\.html?$", "", last[0].lower()) in stems


def _content_lines(text: str) -> int:
    """Non-blank lines outside HTML comments (licence headers do not make a policy long)."""
    return sum(
        1 for line in blank_html_comments(text, keep_lines=False).splitlines() if line.strip()
    )


def _get(raw: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(raw, dict):
            return None
        raw = raw.get(key)
    return raw


def collect_policy(tree: Tree, insights: Insights | None) -> tuple[SecurityPolicy, list[Problem]]:
    problems: list[Problem] = []
    files: list[Source] = []
    merged: dict[str, list[Finding]] = {
        k: [] for k in ("private", "links", "timeframe", "versions", "disclosure", "advisories")
    }
    notes: list[str] = []
    referrals: list[Finding] = []
    contact_referrals: list[Finding] = []
    for directory in POLICY_DIRS:
        path = tree.find(*(directory + n for n in POLICY_NAMES))
        if path is None:
            continue
        content = tree.read(path)
        if content.text is None:
            why = content.problem or "binary content where text was expected"
            problems.append(Problem(Source(path=path), why, "policy"))
            continue
        if len(content.text.strip()) < 2:
            notes.append(f"{path} is empty")
            continue
        files.append(Source(path=path))
        shown = shown_text(path, content.text)
        parsed = parse_policy_text(path, shown)
        for key, values in parsed.items():
            merged[key].extend(values)
        if _content_lines(content.text) <= REFERRAL_MAX_LINES:
            referrals += _referrals(parsed["links"], shown, 1)
        contact_referrals += _contact_referrals(parsed["links"], shown, 1)
    page = None if files else _docs_policy_page(tree)
    if page is not None:  # the documentation site's page on reporting vulnerabilities
        path, text = page
        text = shown_text(path, text)
        files.append(Source(path=path))
        parsed = parse_policy_text(path, text)
        for key, values in parsed.items():
            merged[key].extend(values)
        contact_referrals += _contact_referrals(parsed["links"], text, 1)
    if not files:  # a "Security" / "Vulnerability reporting" section of the README or docs
        section = _readme_policy_section(tree) or _docs_policy_section(tree)
        if section is not None:
            path, start, body = section
            body = shown_text(path, body)
            files.append(Source(path=path, line=start))
            parsed = parse_policy_text(path, body, first_line=start)
            for key, values in parsed.items():
                merged[key].extend(values)
            if _content_lines(body) <= REFERRAL_MAX_LINES:
                referrals += _referrals(parsed["links"], body, start)
            contact_referrals += _contact_referrals(parsed["links"], body, start)
    # a link to the project's own documentation page whose source is a policy file read
    # above (SECURITY.md -> https://docs.example.org/en/latest/security/, built from
    # docs/security.rst) sends the reader to what was already read: not a referral
    own_pages = _own_policy_pages(tree, files)
    referrals = [f for f in referrals if not _is_own_page(f.detail, own_pages)]
    contact_referrals = [f for f in contact_referrals if not _is_own_page(f.detail, own_pages)]
    urls: list[Finding] = [] if files else linked_policy(tree) + _security_contacts_file(tree)
    if insights is not None:
        isrc = insights.source
        for keys in (
            ("project", "vulnerability-reporting", "security-policy"),
            ("project", "vulnerability-reporting", "policy"),
            ("repository", "documentation", "security-policy"),
            ("vulnerability-reporting", "security-policy"),  # Security Insights 1.0
        ):
            value = _get(insights.raw, *keys)
            if isinstance(value, str) and value:
                where = Source(path=isrc.path, line=line_of(value))
                urls.append(Finding(where, f"{'.'.join(keys)}: {value}"))
        merged["private"] += _insights_contacts(insights)
    security_txt = tree.find(*SECURITY_TXT_NAMES)
    if security_txt is not None:
        text = tree.read(security_txt, limit=64 * 1024).text or ""
        for lineno, field in _lines(text):
            m = re.match(r"^\s*(Contact|Policy)\s*:\s*(\S+)", field, re.I)
            if m is None:
                continue
            where = Source(path=security_txt, line=lineno)
            if m.group(1).lower() == "contact":
                merged["private"].append(Finding(where, f"security.txt contact {m.group(2)}"))
            else:
                urls.append(Finding(where, f"security.txt policy {m.group(2)}"))
    return (
        SecurityPolicy(
            files=tuple(files),
            urls=tuple(urls),
            private_contacts=tuple(merged["private"]),
            public_links=tuple(merged["links"]),
            response_timeframes=tuple(merged["timeframe"]),
            supported_versions=tuple(merged["versions"]),
            disclosure_terms=tuple(merged["disclosure"]),
            notes=tuple(notes),
            referrals=tuple(referrals),
            contact_referrals=tuple(contact_referrals),
            advisory_links=tuple(merged["advisories"][:3]),  # a sample: the first ones linked
        ),
        problems,
    )


# ------------------------------------------------------------------------- licence

LICENSE_NAMES = tuple(
    f"{base}{ext}"
    for base in ("LICENSE", "LICENCE", "COPYING", "LICENSE-MIT", "LICENSE-APACHE", "UNLICENSE")
    for ext in ("", *(f".{e}" for e in MARKUP_EXT))
)

# (SPDX id, phrases that must all occur in the normalised text, where: "head" = first 600
# characters, "all" = anywhere). Order matters: more specific first.
_FINGERPRINTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("AGPL-3.0", ("gnu affero general public license", "version 3"), "head"),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3"), "head"),
    ("LGPL-2.1", ("gnu lesser general public license", "version 2 1"), "head"),
    ("LGPL-2.0", ("gnu library general public license", "version 2"), "head"),
    ("GPL-3.0", ("gnu general public license", "version 3"), "head"),
    ("GPL-2.0", ("gnu general public license", "version 2"), "head"),
    ("Apache-2.0", ("apache license", "version 2 0"), "head"),
    ("MPL-2.0", ("mozilla public license", "version 2 0"), "head"),
    ("EPL-2.0", ("eclipse public license", "v 2 0"), "head"),
    ("BSL-1.0", ("boost software license version 1 0",), "head"),
    (
        "Zlib",
        (
            "permission is granted to anyone to use this software for any purpose including "
            "commercial applications and to alter it and redistribute it freely",
            "the origin of this software must not be misrepresented",
        ),
        "all",
    ),
    (
        "PostgreSQL",
        (
            "permission to use copy modify and distribute this software and its documentation "
            "for any purpose without fee and without a written agreement is hereby granted",
        ),
        "all",
    ),
    ("WTFPL", ("do what the fuck you want to public license",), "head"),
    ("Artistic-2.0", ("the artistic license 2 0",), "head"),
    (
        "Unlicense",
        ("this is free and unencumbered software released into the public domain",),
        "all",
    ),
    ("CC0-1.0", ("cc0 1 0 universal",), "all"),
    (
        "0BSD",
        (
            "permission to use copy modify and or distribute this software for any purpose with or "
            "without fee is hereby granted",
            "the software is provided as is and the author disclaims all warranties",
        ),
        "0bsd",
    ),
    (
        "ISC",
        (
            "permission to use copy modify and or distribute this software for any purpose with or "
            "without fee is hereby granted provided that the above copyright notice and this "
            "permission notice appear in all copies",
        ),
        "all",
    ),
    (
        "MIT",
        (
            "permission is hereby granted free of charge to any person obtaining a copy",
            "the above copyright notice and this permission notice shall be included",
        ),
        "all",
    ),
    (
        "MIT-0",
        (
            "permission is hereby granted free of charge to any person obtaining a copy",
            "to whom the software is furnished to do so",
            "the software is provided as is without warranty of any kind",
        ),
        "all",
    ),
    (
        "BSD-3-Clause",
        (
            "redistribution and use in source and binary forms with or without modification are "
            "permitted",
            "endorse or promote products derived from this software",
        ),
        "all",
    ),
    (
        "BSD-2-Clause",
        (
            "redistribution and use in source and binary forms with or without modification are "
            "permitted",
        ),
        "all",
    ),
)

# OSI-approved or FSF-free licences (SPDX ids; -only/-or-later variants handled by prefix).
_OSI_OR_FSF_IDS = (
    "0BSD AFL-3.0 AGPL-3.0 APSL-2.0 Apache-1.1 Apache-2.0 Artistic-2.0 BSD-1-Clause "
    "BSD-2-Clause BSD-2-Clause-Patent BSD-3-Clause BSL-1.0 CAL-1.0 CC0-1.0 CDDL-1.0 "
    "CECILL-2.1 CPAL-1.0 ECL-2.0 EFL-2.0 EPL-1.0 EPL-2.0 EUPL-1.1 EUPL-1.2 GPL-2.0 GPL-3.0 "
    "HPND ISC LGPL-2.0 LGPL-2.1 LGPL-3.0 LPPL-1.3c MIT MIT-0 MPL-1.1 MPL-2.0 MS-PL MS-RL "
    "MulanPSL-2.0 NCSA OFL-1.1 OSL-3.0 PHP-3.01 PostgreSQL Python-2.0 PSF-2.0 UPL-1.0 "
    "Unlicense Unicode-DFS-2016 Unicode-3.0 W3C WTFPL X11 Zlib ZPL-2.1 BlueOak-1.0.0 Vim"
)
OSI_OR_FSF = frozenset(_OSI_OR_FSF_IDS.split())

_LICENSING = get_spdx_licensing()


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# the Eclipse licences as their texts and notices name them: "Eclipse Public License - v 2.0",
# "Eclipse Public License v1.0", "... Version 1.0"; the Eclipse Distribution License 1.0 is the
# BSD-3-Clause licence, and Eclipse projects offer "EPL and EDL" as a choice (a LICENSE that is a
# notice naming both, without their texts, is still the project's licence statement)
_EPL = re.compile(r"eclipse public license (?:v ?|version )?([12]) 0\b")
_EDL = re.compile(r"eclipse distribution license (?:v ?|version )?1 0\b")


def _eclipse_notice(head: str) -> str | None:
    """The SPDX expression of an Eclipse licence text or notice (normalised head)."""
    epl = _EPL.search(head)
    edl = _EDL.search(head)
    if epl is None:
        return "BSD-3-Clause" if edl is not None else None
    spdx = f"EPL-{epl.group(1)}.0"
    return f"{spdx} OR BSD-3-Clause" if edl is not None else spdx


def identify_license_text(text: str) -> str | None:
    """The SPDX id of a licence text, by fingerprint, or None when not recognised."""
    norm = normalise(text[:200_000])
    head = norm[:600]
    eclipse = _eclipse_notice(head)
    if eclipse is not None:
        return eclipse
    for spdx, phrases, where in _FINGERPRINTS:
        if where == "0bsd":
            if all(p in norm for p in phrases) and "provided that the above copyright" not in norm:
                return spdx
            continue
        haystack = head if where == "head" else norm
        if all(p in haystack for p in phrases):
            if spdx.startswith(("GPL", "LGPL", "AGPL")):
                later = "or at your option any later version" in norm[:3000]
                return f"{spdx}-{'or-later' if later else 'only'}"
            return spdx
    return None


def parse_expression(expression: str) -> str | None:
    """A valid SPDX expression, normalised, or None (also for text license-expression cannot
    tokenise: ``MIT/Apache-2.0``, ``MIT; BSD``, whose validation raises AttributeError inside
    the library instead of reporting the invalid symbol)."""
    try:
        info = _LICENSING.validate(expression.strip(), strict=False)
    except (ExpressionError, AttributeError, ValueError, TypeError):
        return None
    if info.errors or info.invalid_symbols:
        return None
    return str(info.normalized_expression)


def is_osi_or_fsf(expression: str) -> bool:
    """True when every licence symbol of the expression is OSI-approved or FSF-free."""
    try:
        parsed = _LICENSING.parse(expression, validate=False)
    except ExpressionError:
        return False
    if parsed is None:
        return False
    keys = [str(s.key) for s in _LICENSING.license_symbols(parsed, decompose=True)]
    if not keys:
        return False
    for key in keys:
        if key.lower().endswith("-exception") or "exception" in key.lower():
            continue
        base = re.sub(r"-(?:only|or-later)$|\+$", "", key)
        if base not in OSI_OR_FSF:
            return False
    return True


_SPDX_HEADER = re.compile(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(?:\*/|-->|$)", re.M)


# licence texts named after the licence (Eclipse projects ship epl-v20 and edl-v10; Ruby
# gems MIT-LICENSE, others BSD-LICENSE.txt, APACHE-LICENSE-2.0)
_LICENCE_FILE = re.compile(
    r"^(?:epl|edl|apache|mit|bsd|gpl|lgpl|agpl|mpl|isc)"
    r"(?:[-_.]?v?[\d.-]*|[-_. ]licen[cs]e(?:[-_.]v?[\d.]+)?)(?:\.(?:txt|md|html?|rdoc|rst))?$",
    re.I,
)


# a licence file named after its SPDX identifier, before or after the word (``BSL-1.0-LICENSE``,
# ``Apache-2.0_LICENSE.txt``), as Scorecard's License check reads such names
_SPDX_NAMED_LICENCE = re.compile(
    r"^[A-Za-z][\w.+]*(?:-[\w.+]+)*[-_]licen[cs]es?(?:\.(?:txt|md|markdown|html?|rdoc|rst|adoc))?$",
    re.I,
)
# the licences of bundled or third-party code are not the project's licence, nor is the
# header template a licence-header tool inserts into each source file (``LICENSE-HEADER``
# for pre-commit's insert-license: hukkin/tomli, held-out-13a; ``license-header.txt``)
_THIRD_PARTY = re.compile(
    r"third|3rd|notice|vendor|bundled|dependenc|external|^licen[cs]e[-_. ]?header", re.I
)


def _licence_file_names(tree: Tree, directory: str = "") -> list[str]:
    """Top-level licence files: LICENSE/LICENCE/COPYING/UNLICENSE with any extension, files
    named after the licence, REUSE's ``LICENSES/*.txt``; without those, the files of a
    top-level ``license/`` or ``licenses/`` directory (Scorecard reads such folders; beside a
    top-level licence they usually hold third-party licences), then a COPYRIGHT file (it
    often only names the holders beside a LICENSE). Third-party licence files
    (``LICENSE-THIRD-PARTY``, ``THIRD-PARTY-LICENSES``) are not the project's. ``directory``:
    the same at the top of a workspace member's directory instead of the root."""
    prefix = f"{directory}/" if directory else ""

    def name(path: str) -> str:
        return path[len(prefix) :]

    names = [
        p
        for p in tree.in_dir(directory)
        if (
            name(p).upper().startswith(("LICEN", "COPYING", "UNLICENSE"))
            or _LICENCE_FILE.match(name(p))
            or _SPDX_NAMED_LICENCE.match(name(p))
        )
        and not _THIRD_PARTY.search(name(p))
    ]
    names += [p for p in tree.in_dir(f"{prefix}LICENSES") if p.endswith(".txt")]
    if not names:  # a top-level licence directory of another name (license/, Licenses/)
        folders = [
            d
            for d in tree.dirs
            if d.startswith(prefix) and re.fullmatch(r"licen[cs]es?", name(d), re.I)
        ]
        names = [
            p
            for d in sorted(folders)
            for p in tree.in_dir(d)
            if re.search(r"(?:^|\.)(?:txt|md|markdown|rst|adoc)$|^[^.]+$", p.rsplit("/", 1)[1])
            and not _THIRD_PARTY.search(p.rsplit("/", 1)[1])
        ]
    if not names:
        names = [
            p for p in tree.in_dir(directory) if re.match(r"copyright(?:\.\w+)?$", name(p), re.I)
        ]
    return names


def collect_licenses(tree: Tree) -> tuple[list[License], list[Problem]]:
    licences: list[License] = []
    problems: list[Problem] = []
    top = _licence_file_names(tree)
    if not top:
        # a workspace whose packages each carry their licence files and the root none
        # (RustCrypto/hashes: <crate>/LICENSE-APACHE, LICENSE-MIT): each published package
        # holds its own, so they are the project's licence files
        top = [p for member in workspace_members(tree) for p in _licence_file_names(tree, member)]
    for path in sorted(top):
        content = tree.read(path)
        if content.text is None:
            why = content.problem or "binary content"
            problems.append(Problem(Source(path=path), why, "license"))
            continue
        header = _SPDX_HEADER.search(content.text[:2000])
        if header and (expr := parse_expression(header.group(1))):
            line = content.text[: header.start()].count("\n") + 1
            licences.append(License(Source(path=path, line=line), expr, "spdx-header"))
            continue
        spdx = identify_license_text(content.text)
        folder, _, base = path.rpartition("/")
        if spdx is None and posixpath.basename(folder) == "LICENSES":
            spdx = parse_expression(base[:-4])
        elif spdx is None and _SPDX_NAMED_LICENCE.match(base):
            spdx = parse_expression(re.sub(r"[-_]licen[cs]es?(?:\.\w+)?$", "", base, flags=re.I))
        licences.append(License(Source(path=path), spdx, "text"))
    licences.extend(_manifest_licences(tree))
    if not licences:  # nothing else says: the licence a README's licence section names
        readme = tree.find(*_variants("README", dirs=("",)))
        text = tree.read(readme).text if readme else None
        if readme and text:
            licences += [
                License(Source(path=readme, line=line), spdx, "readme")
                for line, spdx in readme_licences(readme, text)
            ]
    return licences, problems


def _cargo_legacy_or(value: str) -> str:
    """Cargo's deprecated ``MIT/Apache-2.0`` as the SPDX ``MIT OR Apache-2.0``: the Cargo
    reference (manifest, ``license`` field) says licences were once separated with ``/``,
    meaning any of them, and crates.io reads them so."""
    if "/" not in value or re.search(r"\b(?:OR|AND|WITH)\b", value):
        return value
    return " OR ".join(part.strip() for part in value.split("/") if part.strip())


def _manifest_licences(tree: Tree) -> list[License]:
    found: list[License] = []
    patterns = {
        "pyproject.toml": re.compile(
            r'^[ \t]*license[ \t]*=[ \t]*(?:"([^"]+)"|\{[ \t]*text[ \t]*=[ \t]*"([^"]+)")', re.M
        ),
        "Cargo.toml": re.compile(r'^[ \t]*license[ \t]*=[ \t]*"([^"]+)"', re.M),
        "package.json": re.compile(r'"license"\s*:\s*"([^"]+)"'),
        # setuptools' ``setup(license="MIT License")`` and ``[metadata] license = MIT``
        "setup.py": re.compile(r"""(?<![\w.])license[ \t]*=[ \t]*(?:"([^"\n]+)"|'([^'\n]+)')"""),
        "setup.cfg": re.compile(r"^license[ \t]*[=:][ \t]*([^\s#;][^\n#;]*?)[ \t]*$", re.M),
        # Composer: a string, or a list meaning any of them (composer.json schema, license)
        "composer.json": re.compile(r'"license"\s*:\s*(?:"([^"]+)"|\[([^\]]*)\])'),
    }
    for name, pattern in patterns.items():
        path = tree.find(name)
        if path is None:
            continue
        content = tree.read(path)
        if content.text is None:
            continue
        m = pattern.search(content.text)
        if m:
            value = next(g for g in m.groups() if g)
            if name == "Cargo.toml":
                value = _cargo_legacy_or(value)
            if name == "composer.json" and m.group(2) is not None:
                value = " OR ".join(re.findall(r'"([^"]+)"', value))
            # an SPDX expression, else a licence named in words ("MIT License")
            expr = parse_expression(value) if value else None
            expr = expr or spdx_of_name(value)
            line = content.text[: m.start()].count("\n") + 1
            found.append(License(Source(path=path, line=line), expr, "manifest"))
    for path in sorted(p for p in tree.in_dir("") if p.endswith(".gemspec")):
        text = tree.read(path).text or ""
        if m := _GEMSPEC_LICENCE.search(text):
            # a gem's ``licenses`` list means any of them (RubyGems' specification reference)
            ids = re.findall(r"[A-Za-z0-9][A-Za-z0-9.+-]*", m.group(1).removeprefix("%w"))
            expr = parse_expression(" OR ".join(ids)) if ids else None
            line = text[: m.start()].count("\n") + 1
            found.append(License(Source(path=path, line=line), expr, "manifest"))
    return found


# ``s.license = "MIT"``, ``spec.licenses = ["MIT", "Ruby"]``, ``s.licenses = %w[MIT]``
_GEMSPEC_LICENCE = re.compile(
    r"^[ \t]*\w+\.licen[cs]es?[ \t]*=[ \t]*"
    r"(\[[^\]\n]*\]|%w[\[(][^\])\n]*[\])]|[\"'][^\"'\n]+[\"'])",
    re.M,
)


# --------------------------------------------------------------------------- docs


def _sentence_at(text: str, lineno: int, pattern: re.Pattern[str]) -> str:
    """The sentence of ``text`` in which ``pattern`` matches on line ``lineno``: from the end
    of the previous sentence (or the paragraph's start) to the end of the match. A sentence
    wrapped over lines ("a backport for Python versions ... / that have not yet reached their
    end-of-life", hukkin/tomli's README, held-out-13a) says on an earlier line what it is
    about."""
    lines = text.splitlines()
    start = lineno - 1
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    m = pattern.search(line)
    if line.lstrip().startswith("|"):  # a table row stands alone: its cells up to the match
        return line[: m.end() if m else len(line)]
    while start > 0 and lines[start - 1].strip() and lineno - start < 12:
        start -= 1
    paragraph = " ".join([*lines[start : lineno - 1], line[: m.end() if m else len(line)]])
    return re.split(r"[.!?:;](?:\s|$)", paragraph)[-1]


def _line_matches(path: str, text: str, pattern: re.Pattern[str], limit: int = 3) -> list[Finding]:
    """Lines matching ``pattern`` (table-of-contents entries left out), at most ``limit``."""
    out: list[Finding] = []
    for lineno, line in _lines(text):
        if pattern.search(line) and not _TOC.match(line):
            out.append(Finding(Source(path=path, line=lineno), line.strip()[:160]))
            if len(out) >= limit:
                break
    return out


# the heading of an API reference entry: one code span naming a qualified identifier or a
# call (guzzle/psr7's README "## `GuzzleHttp\Psr7\Query::build`", "``Widget.build()``",
# "`$stream->close()` (deprecated)"); it documents that method, and a keyword in its name
# ("build", "design") does not make it a section on that topic
_API_ITEM_HEADING = re.compile(
    r"^\s*(`{1,2})[^`\s]*(?:::|\\|->|\.|\()[^`\s]*\1\s*(?:\([^()]*\))?\s*$"
)


# what an "API" section shows its users: code, a list of the calls, a link to the reference
_API_SECTION_CONTENT = re.compile(
    r"^(?:\s*(?:```|~~~)|    |\t|\s*(?:[-*+]|\d+[.)])\s)|"
    r"\[[^\]]*\b(?:docs?|documentation|reference|api)\b[^\]]*\]\(|" + API_DOCS_HOSTS,
    re.I,
)
_RULE_LINE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")


def _api_blurb(text: str, sections: list[tuple[int, str]], line: int | None) -> bool:
    """A heading that is a section on use only by the word "API" beside another word ("C
    API", "Python API"; "API" alone stays one) over one or two lines of prose with no code,
    list or documentation link: a sentence on what the repository provides ("This
    repository provides a C binding of ..."), not documentation of the API (line 20 of
    eclipse-zenoh's zenoh-c and zenoh-python READMEs; held-out-8e, held-out-15g)."""
    title = dict(sections).get(line) if line is not None else None
    if line is None or title is None:
        return False
    rest = re.sub(r"\bapi\b", " ", title, flags=re.I)
    if rest == title or not re.search(r"\w", rest):
        return False  # no "API" in it, or "API" alone: the API's own section
    if _USER_DOC_HEADING.search(rest):
        return False
    after = [(n, t) for n, t in sections if n > line]
    if after and re.search(r"[`(]", after[0][1]):
        return False  # the calls follow as headings of their own ("### open(path)")
    body = text.splitlines()[line : (after[0][0] - 1 if after else None)]
    prose = [b for b in body if b.strip() and not _RULE_LINE.match(b)]
    # an empty "API" section introduces the subsections under it; one or two lines of plain
    # prose say what the repository is
    return 0 < len(prose) <= 2 and not any(_API_SECTION_CONTENT.search(b) for b in prose)


def _heading_matches(path: str, text: str, pattern: re.Pattern[str]) -> list[Finding]:
    """The headings of ``text`` that ``pattern`` finds, API reference entries left out."""
    return [
        Finding(Source(path=path, line=line), f"section {title!r}")
        for line, title in headings(text, path)
        if pattern.search(title) and not _API_ITEM_HEADING.match(title)
    ]


# a section on the project's dependencies, or on adding third-party libraries or packages
_DEPENDENCY_HEADING = re.compile(
    r"dependenc|\bthird[- ]?party (?:librar(?:y|ies)|packages?|dependenc\w*|modules?|crates?)",
    re.I,
)
# a contribution guide's set-up step names dependencies without a policy for choosing or
# updating them: "Install Development Dependencies", "Installing dependencies", "Set up the
# build dependencies", "System dependencies" (pallets/quart's CONTRIBUTING.md)
_DEPENDENCY_SETUP = re.compile(
    r"\b(?:install\w*|set(?:ting)?[- ]?up|download\w*|fetch\w*|build|development|dev|"
    r"system|native|required|requirements|prerequisites?)\b",
    re.I,
)


def _section_matches(path: str, text: str, pattern: re.Pattern[str]) -> list[Finding]:
    """Like ``_heading_matches`` for the sections of a README or guide: its title (the first,
    top-level heading) names the project or the document ("# build", "Contributing to
    build"), so a keyword in it does not make it a section on that topic (pypa/build's README
    title is no build section)."""
    title = _title_line(text, path, headings(text, path))
    return [f for f in _heading_matches(path, text, pattern) if f.source.line != title]


_CHANGELOG_NAME = re.compile(
    rf"^(?:CHANGELOG|CHANGES|HISTORY|NEWS|RELEASE[_-]NOTES)(?:\.(?:{'|'.join(MARKUP_EXT)}))?$",
    re.I,
)
_DOC_DIR_NAMES = frozenset({"doc", "docs", "documentation"})


def _nested_changelogs(tree: Tree) -> list[Finding]:
    """Changelog files deeper in a documentation directory than the places looked at first
    (root, docs/, doc/): Angus Mail keeps its CHANGES.txt in the resources of its doc module
    (``doc/src/main/resources/docs/CHANGES.txt``, shipped with the distribution). Only under
    a directory named doc/docs/documentation and outside tests, examples and vendored code;
    the shallowest (at most two). Whether it is kept up is judged against the release tags
    (``changelog_behind``)."""
    found = [
        p
        for p in tree.files
        if "/" in p
        and _CHANGELOG_NAME.match(posixpath.basename(p))
        and _DOC_DIR_NAMES & {d.lower() for d in p.split("/")[:-1]}
        and not not_the_projects(p)
    ]
    found.sort(key=lambda p: (p.count("/"), p))
    return [Finding(Source(path=p), "changelog") for p in found[:2]]


def _named(tree: Tree, names: Iterable[str], what: str) -> list[Finding]:
    return [Finding(Source(path=p), what) for p in tree.find_all(*names)]


_DOC_EXT = (*MARKUP_EXT, "html", "pdf", "")
_TEST_EXT = ("py", "go", "rs", "c", "cc", "cpp", "exs", "js", "jsx", "ts", "tsx", "java", "kt",
             "cs", "swift", "php", "rb", "sh", "bash", "lua", "pl", "zig", "nim", "mjs", "cjs",
             "mts", "cts")  # fmt: skip
_TEST_DIRS = frozenset({"test", "tests", "spec", "__tests__", "testing", "t"})
# a test-named directory of documents only (asciidoc chapters, figures, the POM and theme
# that render them: Jakarta Annotations' ``spec/``, held-out-11e) is a specification, not
# RSpec's or busted's tests; a figure's diagram-editor source kept beside the rendered image
# (Jakarta Servlet's ``spec/src/main/asciidoc/images/state-transition.drawio``, held-out-15e:
# draw.io, Excalidraw, yEd's GraphML, PlantUML, Mermaid) is a document too
_DOCUMENT_EXT = frozenset((*MARKUP_EXT, "html", "htm", "pdf", "png", "jpg", "jpeg", "gif",
                           "svg", "ico", "webp", "bmp", "tif", "tiff", "eps", "css", "xml",
                           "yml", "yaml", "xsl", "xslt", "properties", "drawio", "dio",
                           "excalidraw", "graphml", "puml", "plantuml", "mmd"))  # fmt: skip


# the documents a directory keeps under a bare name: its licence and notices (Jakarta
# Standard Tag Library's ``spec/LICENSE``, the specification's own licence; held-out-13d),
# README, authors and change notes are documents, not test data without an extension
_BARE_DOCUMENTS = re.compile(
    r"^(?:licen[cs]e|copying|notice|readme|authors|contributors|changelog|changes|history"
    r"|news|copyright|patents)(?:[-_][\w-]+)?$"
)


# a document named for the releases' support: its name says so ("SUPPORT-POLICY.md",
# "eol.md", "release-lifecycle.md")
_SUPPORT_DOC_NAME = re.compile(
    r"(?:^|/)(?:[^/\n]*support[-_ ]?policy|eol|end[-_]of[-_]life|"
    r"(?:release|version|support|product|maintenance)s?[-_ ]?lifecycle|"
    r"release[-_]policy|SUPPORT[-_]PERIOD)[^/\n]*\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile)$",
    re.I,
)
# a document named only "lifecycle" is as often a bean's, request's or component's (Jakarta
# CDI's specification chapters ``core/lifecycle.asciidoc`` and ``javaee/lifecycle_ee.asciidoc``,
# held-out-15e): it counts when its text speaks of supported releases
_LIFECYCLE_DOC_NAME = re.compile(
    r"(?:^|/)lifecycle[^/\n]*\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile)$", re.I
)
_RELEASE_SUPPORT_TEXT = re.compile(
    r"end[- ]of[- ]life|long[- ]term support|supported until|support(?:ed)? (?:period|versions?|"
    r"releases?)|(?:security|maintenance) (?:fixes|support|updates|releases)|\bEOL\b|"
    r"\b(?:releases?|versions?) (?:is|are) supported\b|\bis supported for\b",
    re.I,
)


def _holds_tests(files: list[str]) -> bool:
    """Whether a test-named directory's ``files`` can be tests: any file that is not a
    document or a descriptor that builds or styles one (code of any language, Perl's ``.t``,
    test data without an extension). A directory of documents only holds no tests."""
    for path in files:
        name = path.rpartition("/")[2].lower()
        if "." not in name:
            if not _BARE_DOCUMENTS.match(name):
                return True
        elif name.rpartition(".")[2] not in _DOCUMENT_EXT:
            return True
    return False


def _module_build(tree: Tree, text_of: Callable[[str], str]) -> list[Finding]:
    """The build of a repository of sibling modules with no build file at the root
    (Jakarta Annotations: ``api/pom.xml`` and ``spec/pom.xml``, ``spec/README.md``'s
    "Building"): each module's build sections in its README, then its build files."""
    files = tree.module_files(*_BUILD_FILES)
    out: list[Finding] = []
    for module in dict.fromkeys(p.partition("/")[0] for p in files):
        for readme in tree.find_all(*(f"{module}/README{e}" for e in ("", ".md", ".rst", ".txt"))):
            out += _build_sections(readme, text_of(readme))
    return out + [Finding(Source(path=p), "a module's build file") for p in files]


# a usage section's heading, labelled as such ("Usage: Avoid compiling the same regex in a
# loop", rust-lang/regex's README, held-out-15b): compiling there is the library's run-time
# work a user does, not building the project
_USAGE_LABELLED = re.compile(r"^\W*(?:usage|how to use(?: it)?)\s*:", re.I)
_HACKING = re.compile(r"\bhacking\b", re.I)
# the text of a section that says how to build: a build word, or a build tool's command
_BUILD_STEP = re.compile(
    r"\b(?:build|builds|building|compil\w*|install|installing|configure|cmake|ninja|"
    r"make\s+(?:install|all|test|check|build)|cargo\s+(?:build|check|test|run|install)|"
    r"(?:mvn|gradlew?|npm|pip|tox|nox|go)\s+\w+)\b|`make\b",
    re.I,
)


# the compiler named as the other end of what the library does, where its output goes or
# its input comes from: "Returning tokens to the compiler" (dtolnay/quote's README, how a
# procedural macro hands back what quote! made, held-out-16b), "Messages from the compiler";
# unless the heading names the compiler's settings ("Passing flags to the compiler"), which
# configure the build
_COMPILER_AS_PARTNER = re.compile(
    r"\b(?:to|from|into|by)\s+(?:the\s+|your\s+|an?\s+)?(?:[\w+-]+\s+)?compilers?\b", re.I
)
_COMPILER_SETTINGS = re.compile(
    r"\b(?:flags?|options?|arguments?|switch(?:es)?|settings?|warnings?|defines?)\b", re.I
)


def _is_build_heading(title: str) -> bool:
    """Whether a heading names building the project (``_BUILD_HEADING``), once the compiler
    named as the partner of the library's work (``_COMPILER_AS_PARTNER``) is set aside: in
    "Returning tokens to the compiler" the compiler receives what the library produces when
    it is used, nothing there builds the project."""
    if _COMPILER_SETTINGS.search(title):
        return bool(_BUILD_HEADING.search(title))
    return bool(_BUILD_HEADING.search(_COMPILER_AS_PARTNER.sub(" ", title)))


def _build_sections(path: str, text: str) -> list[Finding]:
    """The sections of a README or guide on building the project (``_BUILD_HEADING``), not
    those that measure the build (``_BUILD_MEASURE``), build something with the library
    (``_BUILDING_WITH``), are labelled usage sections (``_USAGE_LABELLED``) or name the
    compiler only as where the library's output goes (:func:`_is_build_heading`). A section
    named for hacking on the project is one only when its text says how to build: regex's
    "Hacking" says where the internals live, nothing on building (held-out-15b)."""
    found: list[Finding] = []
    for f in _section_matches(path, text, _BUILD_HEADING):
        title = f.detail
        if not _is_build_heading(title):
            continue
        if (
            _BUILD_MEASURE.search(title)
            or _BUILDING_WITH.search(title)
            or _USAGE_LABELLED.search(title.removeprefix("section ").strip("'\""))
        ):
            continue
        if not _BUILD_HEADING.search(_HACKING.sub("", title)) and not _BUILD_STEP.search(
            _section_text(text, path, f.source.line or 1)
        ):
            continue
        found.append(f)
    return found


def _inline_tests(tree: Tree) -> list[Finding]:
    """Tests written inside the source files (Rust ``#[test]``, Zig ``test "..." {}``), at
    their first line, at most three files; generated files (:func:`is_generated`) are not
    the project's tests."""
    out: list[Finding] = []
    for ext, pattern in _INLINE_TEST.items():
        for path in tree.with_ext(ext)[:_INLINE_SCAN_FILES]:
            text = tree.read(path).text
            if text and (m := pattern.search(text)) and not is_generated(text):
                line = text[: m.start()].count("\n") + 1
                out.append(Finding(Source(path=path, line=line), "tests in the source file"))
                if len(out) >= 3:
                    return out
    return out


def _by_name(
    tree: Tree,
    pattern: re.Pattern[str],
    what: str,
    limit: int = 5,
    exts: tuple[str, ...] = _DOC_EXT,
) -> list[Finding]:
    out = []
    for path in tree.grep_paths(pattern, exts):
        out.append(Finding(Source(path=path), what))
        if len(out) >= limit:
            break
    return out


def _variants(*bases: str, dirs: tuple[str, ...] = ("", ".github/", "docs/", "doc/")) -> list[str]:
    exts = ("", *(f".{e}" for e in MARKUP_EXT))
    return [f"{d}{b}{e}" for d in dirs for b in bases for e in exts]


# a section that measures or shows the build, not how to do it: "Compile time and code bloat"
# (a benchmark), "Build status" (CI badges), "Build times", "Compilation speed"; or one on
# failed CI jobs: "Resolving Build / CI Failures" (encode/httpx's CONTRIBUTING.md, what a
# failing check job means, held-out-11a)
_BUILD_MEASURE = re.compile(
    r"\b(?:build|builds|compile|compilation)[- ](?:times?|speed|performance|status|badges?|"
    r"size|matrix)\b|\bbenchmarks?\b|\bbloat\b|"
    r"\b(?:build|ci)(?:\s*/\s*(?:build|ci))?\s+(?:failures?|breakages?)\b",
    re.I,
)

# a guide to building something with the library, not the project: "Building a
# `tomli`/`tomllib` compatibility layer" (hukkin/tomli's README, under Usage, held-out-13a),
# "Building a plugin", "Building an app"; "Building a wheel", "a release", "a Docker image",
# "a development environment" are builds of the project
_BUILDING_WITH = re.compile(
    r"\bbuilding an? (?!(?:[\w/+.-]+ ){0,2}(?:release|wheel|package|distribution|dist|binar|"
    r"docker|container|image|source|development|dev |debug|static|shared|local|snapshot|"
    r"version|tarball|archive|jar|executable|installer|bundle)\w*)",
    re.I,
)

# building from source (also from a version-control checkout: "Using a Subversion Checkout
# on Unix", Apache APR); "Installation" in a README is installing a released package
_BUILD_HEADING = re.compile(
    r"\b(?:build|building|builds|compil\w*|development setup|dev(?:elopment)? environment|"
    r"from source|hacking|"
    r"(?:subversion|svn|git|cvs|mercurial|hg) (?:checkout|clone|working copy))\b",
    re.I,
)
_BUILD_FILES = (
    "Makefile",
    "GNUmakefile",
    "CMakeLists.txt",
    "pyproject.toml",
    "setup.py",
    "package.json",
    "Cargo.toml",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "meson.build",
    "configure.ac",
    "configure",
    "BUILD.bazel",
    "WORKSPACE",
    "MODULE.bazel",
    "mix.exs",
    "Gemfile",
    "composer.json",
    "build.sbt",
    "Rakefile",
    "justfile",
    "Taskfile.yml",
    "tox.ini",
    "noxfile.py",
    "build.zig",
    "Package.swift",
    "stack.yaml",
    "dune-project",
    "deno.json",
    # build scripts (PowerShell/batch for .NET), and the build manifests of Perl, Dart, Erlang,
    # Gleam, D, Julia, Crystal, Elm, R
    "build.ps1",
    "build.cmd",
    "build.sh",
    "Makefile.PL",
    "Build.PL",
    "dist.ini",
    "pubspec.yaml",
    "rebar.config",
    "gleam.toml",
    "dub.json",
    "dub.sdl",
    "Project.toml",
    "shard.yml",
    "elm.json",
)
# build manifests named by the package at the top of the tree: a .NET solution or project,
# a LuaRocks rockspec, a Cabal or Nimble package, a gemspec
_BUILD_FILE_EXT = ("sln", "slnx", "csproj", "fsproj", "vbproj", "rockspec", "cabal", "nimble",
                   "gemspec")  # fmt: skip
_TEST_FILE = re.compile(
    r"(?:^|/)(?:test_[^/\n]+\.py|[^/\n]+_test\.(?:py|go|rs|c|cc|cpp|exs)|[^/\n]+\.(?:test|spec)\.[cm]?[jt]sx?"
    r"|[^/\n]+Tests?\.(?:java|kt|cs|swift|php)|[^/\n]+_spec\.rb|tests?\.[cm]?[jt]s|[^/\n]+\.test-d\.ts"
    # a small project's single test file: test.py, tests.py, test.sh, src/tests.rs, test.lua;
    # busted specs (widget_spec.lua), Ruby's and shell's *_test files, test_*.sh
    r"|tests?\.(?:py|sh|bash|lua|pl|rb|rs|c|zig|nim)|[^/\n]+_spec\.lua"
    r"|[^/\n]+_test\.(?:rb|lua|sh|zig|nim)|test_[^/\n]+\.(?:sh|rb|lua))$"
)
# directories of test inputs: a file there named like a test (tests/_data/test.py, the
# sample project a tool's tests scan; testdata/widget_test.go) is a fixture, not a test
_FIXTURE_DIR = re.compile(
    r"^(?:_+data\w*|(?:test[-_]?)?data|testdata|fixtures?|__fixtures__|test[-_]?fixtures"
    r"|testfixtures|golden|resources)$",
    re.I,
)


# the root of a JVM source set's packages (src/test/java/, app/src/main/kotlin/): the
# directories below it are a package name (org.apache.maven.plugins.resources), not a
# fixture directory, while src/test/resources/ itself, or a sample project under it, is one
_PACKAGE_ROOT = re.compile(r"(?:^|/)src/[^/]+/(?:java|kotlin|scala|groovy)/")


def _in_fixture_dir(path: str) -> bool:
    """Whether ``path`` lies in a directory of test inputs (``testdata/``, ``fixtures/``,
    ``src/test/resources/``). Only the directories down to a JVM source set's package root are
    read: Maven Resources Plugin's own tests are in the package
    ``org.apache.maven.plugins.resources`` (``src/test/java/.../resources/``), which is no
    fixture directory (held-out-15c)."""
    m = _PACKAGE_ROOT.search(path)
    dirs = path[: m.end()] if m else path.rpartition("/")[0]
    parts = [part for part in dirs.split("/") if part]
    return any(_FIXTURE_DIR.match(part) or is_test_input_dir(part) for part in parts)


# the main source set of the Maven/Gradle/sbt layout (src/main/java, app/src/main/kotlin): its
# tests live beside it under src/test, so a file there named like a test is the program's own
# code, e.g. Jakarta Activation's demo/src/main/java/DCHTest.java, a demo with a main method
# (held-out-12e), or a test package a library ships to its users. A module that is itself a
# test suite (a TCK, an integration-tests module) packages its tests as main code: kept.
_MAIN_SOURCE_SET = re.compile(r"(?:^|/)src/main/")
_TEST_MODULE = re.compile(r"test|tck", re.I)


# the sample projects a build's tests run or its examples show: Maven's invoker integration
# tests (src/it/<case>/, each a small project with its own pom.xml and src/test), examples/,
# demos/, test-project directories. A file there named like a test is the sample's test, not
# one of the project's: maven-jar-plugin's evidence showed src/it/MJAR-80-exclude/.../AppTest.java
# three times and never src/test/java/.../JarMojoTest.java (held-out-13c). Such files are
# evidence only when the project has no test of its own (they still show the tree holds tests).
# The directories below a Maven/Gradle source set (src/test/java/org/example/) are a package
# name, not a sample: only the directories above the first source set are read.
_SAMPLE_PROJECT_DIR = re.compile(
    r"^(?:it|examples?|samples?|demos?|tests?[-_ ]?(?:projects?|apps?|repos?|packages?))$", re.I
)
_SOURCE_SET = re.compile(r"(?:^|/)src/(?:main|test)/")


def in_sample_project(path: str) -> bool:
    """Whether ``path`` lies in a sample project the build's tests run or its examples show
    (``src/it/<case>/``, ``examples/``, ``test-projects/``...)."""
    m = _SOURCE_SET.search(path)
    above = path[: m.start()] if m else path.rpartition("/")[0]
    return any(_SAMPLE_PROJECT_DIR.match(part) for part in above.split("/") if part)


def in_main_source_set(path: str) -> bool:
    """Whether ``path`` lies in the main (non-test) source set, ``src/main/``, of a module
    that is not itself a test suite."""
    m = _MAIN_SOURCE_SET.search(path)
    return m is not None and not _TEST_MODULE.search(path[: m.start()])


# tests inside the source files: Rust's #[test] / #[cfg(test)] modules and Zig's test blocks
# (a small crate often has no tests/ directory)
_INLINE_TEST = {"rs": re.compile(r"^[ \t]*#\[(?:cfg\()?test\)?\]", re.M),
                "zig": re.compile(r'^test\s+(?:"|\{)', re.M)}  # fmt: skip
_INLINE_SCAN_FILES = 200  # source files read for inline tests at most
# a generated file's header (rust-bindgen's "automatically generated by rust-bindgen", Go's
# "Code generated ... DO NOT EDIT", "@generated"): its tests (bindgen's layout tests) are the
# generator's, not tests the project wrote
GENERATED_HEADER = re.compile(
    r"automatically generated|auto-generated|@generated\b|"
    r"\b(?:this )?(?:file|code) (?:is |was )?(?:auto(?:matically)?[- ])?generated\b|"
    r"\bcode generated\b.*\bdo not edit\b",
    re.I,
)


def is_generated(text: str) -> bool:
    """Whether ``text`` opens (in its first five lines) with a generated-file header."""
    return bool(GENERATED_HEADER.search("\n".join(text.split("\n", 5)[:5])))


_SBOM_FILE = re.compile(
    r"(?:^|/)(?:[^/\n]*\.cdx\.(?:json|xml)|[^/\n]*\.spdx(?:\.json|\.ya?ml|\.xml|\.rdf(?:\.xml)?)?"
    r"|bom\.(?:json|xml)"
    r"|[^/\n]*sbom[^/\n]*\.(?:json|xml|spdx|ya?ml))$",
    re.I,
)
_ADVISORY = re.compile(
    r"(?:^|/)(?:advisories|security-advisories|security/advisories|osv|csaf)/[^/\n]+\.(?:json|ya?ml|md)$"
    r"|(?:^|/)(?:GHSA|PYSEC|RUSTSEC|GO)-[^/\n]+\.(?:json|md)$",
    re.I,
)


def collect_docs(tree: Tree, insights: Insights | None, policy: SecurityPolicy) -> Docs:
    texts: dict[str, str] = {}

    def text_of(path: str | None) -> str:
        if path is None:
            return ""
        if path not in texts:
            content = tree.read(path, limit=256 * 1024)
            texts[path] = content.text or ""
        return texts[path]

    readme_path = tree.find(*_variants("README", dirs=("", ".github/", "docs/")))
    readme_text = text_of(readme_path)
    readme = (
        [Finding(Source(path=readme_path), f"README ({len(readme_text)} characters)")]
        if readme_path and readme_text.strip()
        else []
    )
    contributing_path = tree.find(*_variants("CONTRIBUTING"))
    contributing_text = text_of(contributing_path)
    si_docs = _si_urls(insights)

    def si(*keys: str) -> list[Finding]:
        return [f for k, f in si_docs if k in keys]

    links = project_links(tree)
    user_docs = _user_docs(tree, readme_path, readme_text, links)
    user_docs += si("detailed-guide", "quickstart-guide")

    contributing = _named(
        tree, [contributing_path] if contributing_path else [], "contribution guide"
    )
    contributing += si("contributing-guide")
    # the same file found as the guide and as a documentation page is one piece of evidence
    known_guides = {f.source.path for f in contributing}
    contributing += [
        f
        for f in _by_name(tree, _CONTRIBUTING_DOC, "contribution guide in the documentation")
        if f.source.path not in known_guides and _for_contributors(f.source.path or "", text_of)
    ]
    if readme_path and readme_text:
        contributing += [
            f
            for f in _heading_matches(readme_path, readme_text, _CONTRIBUTING_SECTION)
            if not _licensing_only(_section_text(readme_text, readme_path, f.source.line or 1))
            and not _credits_only(
                f.detail, _section_text(readme_text, readme_path, f.source.line or 1)
            )
        ]
        if not contributing:  # weaker evidence: a guide kept elsewhere, linked
            contributing += _linked_documents(readme_path, readme_text, _CONTRIBUTING_LINK)
        if not contributing:  # "If you want to contribute, visit <url>" (a guide elsewhere)
            contributing += _contribution_invitations(readme_path, readme_text)
    if not contributing:  # a "Development" section that speaks to contributors
        contributing += _development_sections(tree, readme_path, readme_text)
    if not contributing:
        # the guide for coding agents (AGENTS.md, https://agents.md; CLAUDE.md often just
        # includes it) may be where the project writes its contribution process down: its
        # "Pull request rules" (the PR template, change notes, forks, tests) said at length
        # (aio-libs/multidict, whose human guide is the organisation's default, held-out-12a)
        contributing += _agent_guide_sections(
            tree, text_of, _PROCESS_HEADING, "contribution section", _section_with_subsections, 60
        )

    bug: list[Finding] = [
        Finding(Source(path=f"{d}/"), "issue templates")
        for d in (".github/ISSUE_TEMPLATE", ".gitlab/issue_templates")
        if tree.has_dir(d) and tree.holds_content(d)
    ]
    bug += _named(
        tree,
        (".github/ISSUE_TEMPLATE.md", "ISSUE_TEMPLATE.md", ".github/issue_template.md"),
        "issue template",
    )
    # sentences on how to report; a bare mention of "the issue tracker" counts only with a
    # verb ("open a ticket in the issue tracker", not "an issue tracker id in the commit
    # message"); a link to the tracker only when no file says how to report
    pairs = ((readme_path, readme_text), (contributing_path, contributing_text))
    guides = [(p, t) for p, t in pairs if p and t]
    # a project documented by its own pages (docs/index.html of a hand-written site) links
    # the tracker from there ("Bug Tracker" in the pages' navigation)
    home = tree.find(*_DOC_HOME_PAGES)
    if home is not None:
        guides.append((home, text_of(home)))
    # where users are told to go for help: GitHub's SUPPORT file, and the documentation's
    # support / community / help pages ("Getting help": "raise an issue in GitHub Issues")
    support_pages = [tree.find(*_variants("SUPPORT"))]
    support_pages += [
        p for p in _doc_pages(tree) if _SUPPORT_PAGE.match(posixpath.basename(p).rpartition(".")[0])
    ]
    guides += [(p, text_of(p)) for p in dict.fromkeys(support_pages) if p and p != home]
    told = [
        f
        for path, text in guides
        for f in [
            f
            for f in _line_matches(path, text, _BUG_REPORTING, limit=6)
            if _tells_how(f.detail) and not _welcome_only(text, f.source.line or 0)
        ][:2]
    ]
    # (an issue template says how already: then a tracker link is no more than a mention)
    bug += told or [
        f
        for path, text in guides
        for f in [
            f
            for f in _line_matches(path, text, _ISSUE_TRACKER_LINK, limit=3)
            if not _other_purpose_issue_form(f.detail)
        ][:1]
        if not bug
    ]
    if not bug:  # the repository's forge page named as where bugs go ("GitHub (code, bugs)")
        bug += [f for path, text in guides for f in _forge_page_for_bugs(path, text)][:2]
    bug += [
        Finding(Source(path=link.path, line=link.line), f"{link.label}: {link.url}")
        for link in links
        if link.kind == ISSUES
    ]

    governance = _named(
        tree,
        _variants("GOVERNANCE", "MAINTAINERS", "OWNERS", "COMMITTERS", "CODE_OWNERS", "TEAM"),
        "governance document",
    )
    governance += si("governance")
    if not governance:  # said in the README or the contribution guide
        for guide_path, guide_text in guides:
            governance += _section_matches(guide_path, guide_text, _GOVERNANCE_HEADING)
            governance += _paragraph_matches(guide_path, guide_text, _GOVERNED_BY, limit=1)
            governance += _line_matches(guide_path, guide_text, _MAINTAINERS_WITH_RIGHTS, limit=1)
    if readme_path and readme_text and not governance:  # a document kept elsewhere, linked
        governance += _linked_documents(readme_path, readme_text, _GOVERNANCE_LINK)
    if insights is not None and _get(insights.raw, "repository", "core-team"):
        governance.append(Finding(insights.source, "repository.core-team lists roles"))

    codeowners = _named(
        tree,
        ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"),
        "CODEOWNERS",
    )

    build = _named(
        tree,
        _variants(
            "BUILDING",
            "BUILD",
            "INSTALL",
            "INSTALLING",
            "HACKING",
            "DEVELOPMENT",
            "DEVELOPING",
            dirs=("", "docs/", "doc/"),
        ),
        "build instructions",
    )
    for path, text in ((readme_path, readme_text), (contributing_path, contributing_text)):
        if path and text:
            build += _build_sections(path, text)
    root_build = _named(tree, _BUILD_FILES, "standard build file")
    root_build += [
        Finding(Source(path=p), "standard build file")
        for p in sorted(tree.in_dir(""))
        if p.rpartition(".")[2].lower() in _BUILD_FILE_EXT
    ]
    if not root_build:  # sibling modules without an aggregator: their build files and READMEs
        build += _module_build(tree, text_of)
    build += root_build
    if not build and readme_path and readme_text:  # a drop-in library: nothing to build
        files = [p for d in DROPIN_DIRS for p in tree.in_dir(d)]
        build += dropin_instructions(readme_path, blank_html_comments(readme_text), files)
    if not build:  # nor a README sentence: the build script of its example program
        files = [p for d in DROPIN_DIRS + EXAMPLE_DIRS for p in tree.in_dir(d)]
        build += example_builds(files, text_of)

    support = [Finding(f.source, f"security policy: {f.detail}") for f in policy.supported_versions]
    support += si("support-policy")
    support += _by_name(tree, _SUPPORT_DOC_NAME, "support policy document")
    support += [
        f
        for f in _by_name(tree, _LIFECYCLE_DOC_NAME, "support policy document")
        if _RELEASE_SUPPORT_TEXT.search(text_of(f.source.path or ""))
    ][:5]
    # "tested on the LTS releases of the JDK" is not a support policy: phrases, a section on
    # versions and their support, or a version marked end-of-life with a date
    eol = re.compile(
        r"end[- ]of[- ]life|long[- ]term support|supported until|support period|"
        r"(?:security|maintenance) (?:fixes|support|updates) (?:until|for)\b|"
        r"\bEOL\b\W{0,3}(?:\(?\d{4}|since|on|as of)",
        re.I,
    )
    # ("Supported versions" in a README is nearly always about Python/Node/JDK versions)
    support_heading = re.compile(
        r"version (?:guidance|support|policy|status|"
        r"lifecycle)|support (?:policy|period|lifecycle|timeline|status)|end[- ]of[- ]life|"
        r"maintenance (?:policy|status)|release (?:policy|lifecycle|schedule)|long[- ]term support",
        re.I,
    )
    if readme_path and readme_text:
        support += [
            f
            for f in _section_matches(readme_path, readme_text, support_heading)
            if _support_section(readme_text, readme_path, f)
        ]
        support += [  # the project's end of life, not the interpreter's
            f
            for f in _line_matches(readme_path, readme_text, eol, limit=8)
            if not _RUNTIME.search(_sentence_at(readme_text, f.source.line or 1, eol))
        ][:2]
        support += [
            f
            for pattern in (_SUPPORTED_MAJOR, _SERIES_SUPPORT, _SERIES_END)
            for f in _line_matches(readme_path, readme_text, pattern, limit=2)
            if not _RUNTIME.search(f.detail)
        ]
    if not support:
        # a documentation page's section on which releases are supported ("Long term
        # support" in docs/reference/versioning.rst, held-out-10a): read as a README's
        support += _docs_support_sections(tree, support_heading)
    if not support:  # the documentation site's table of release lines and their support
        support += release_support_data(tree, text_of)

    dep_policy = si("dependency-management-policy")
    dep_policy += _by_name(
        tree,
        re.compile(
            r"(?:^|/)[^/\n]*dependenc(?:y|ies)[-_ ]?(?:policy|management)"
            r"[^/\n]*\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile)$",
            re.I,
        ),
        "dependency policy document",
    )
    # a section of the contribution guide, or of the guide for coding agents (AGENTS.md),
    # on choosing dependencies: "Dependencies", "Third party libraries" (held-out-12c,
    # apache/iceberg-python: be hesitant adding packages, keep big ones optional extras)
    for dep_guide in dict.fromkeys(filter(None, (contributing_path, tree.find("AGENTS.md")))):
        dep_text = contributing_text if dep_guide == contributing_path else text_of(dep_guide)
        if dep_text:
            dep_policy += [
                f
                for f in _section_matches(dep_guide, dep_text, _DEPENDENCY_HEADING)
                if not _DEPENDENCY_SETUP.search(f.detail)
            ]

    # verifying what users download ("sign your commits with GPG" is not it): a verify
    # command, or "verify" with a signature/checksum word and a release/download word (the
    # lookaheads are anchored at the line start: linear even on a megabyte-long line)
    verify_re = re.compile(
        r"\b(?:cosign|gpg|gpgv|slsa-verifier|gh attestation|minisign|sigstore) (?:--)?verify|"
        r"\bsha(?:256|512)sum\b.*(?:-c\b|--check)|"
        r"^(?=.*\bverif\w*\b)(?=.*\b(?:signatures?|checksums?|sha256|sha512|cosign|gpg|pgp|"
        r"sigstore|slsa|attestations?|minisign|provenance)\b)(?=.*\b(?:releases?|downloads?|"
        r"downloaded|artifacts?|binar(?:y|ies)|packages?|tarballs?|archives?|wheels?|jars?|"
        r"images?|installers?)\b)",
        re.I,
    )
    verification = si("signature-verification")
    pages = [
        readme_path,
        *(
            tree.find(*_variants(n, dirs=("", "docs/", "doc/")))
            for n in ("RELEASE", "RELEASES", "RELEASING", "VERIFY", "VERIFYING", "SECURITY")
        ),
        *list(tree.grep_paths(_DOWNLOAD_PAGE, _PAGE_EXT))[:5],
        # a page the build fills in (CMake's configure_file, autoconf: download.md.in)
        *[p for p in tree.grep_paths(_DOWNLOAD_PAGE, ("in",)) if _is_page_template(p)][:5],
    ]
    for path in dict.fromkeys(pages):
        if path:
            without_urls = URL.sub("", text_of(path))  # same lines, no words from links
            verification += _paragraph_matches(path, without_urls, verify_re, limit=2)

    changelog = _named(
        tree,
        _variants(
            "CHANGELOG",
            "CHANGES",
            "HISTORY",
            "NEWS",
            "RELEASE_NOTES",
            "RELEASE-NOTES",
            "RELEASES",
            dirs=("", "docs/", "doc/"),
        ),
        "changelog",
    )
    # a changelog file that only points elsewhere ("See: https://github.com/o/r/releases")
    # names no release: the notes are on that page, not in the tree
    changelog = [f for f in changelog if not _only_a_pointer(text_of(f.source.path or ""))]
    changelog += [
        Finding(Source(path=f"{d}/"), "changelog fragments")
        for d in (
            "changelog.d",
            "changes",
            "newsfragments",
            ".changeset",
            "changelogs",
            "release-notes",
            "releasenotes",
        )
        if tree.has_dir(d) and tree.holds_content(d)
    ]
    # a changelog directory of files per release line (CHANGELOG/CHANGELOG-1.5.md, etcd)
    changelog += [
        Finding(Source(path=p), "changelog")
        for d in sorted(tree.dirs)
        if d.lower() in ("changelog", "changes", "history", "docs/changelog", "doc/changelog")
        for p in sorted(tree.in_dir(d), reverse=True)[:10]
        if re.search(rf"\.(?:{'|'.join(MARKUP_EXT)})$", p, re.I)
    ]
    if not changelog:  # kept in a documentation module (a Maven doc module's resources)
        changelog += [
            f for f in _nested_changelogs(tree) if not _only_a_pointer(text_of(f.source.path or ""))
        ]
    if not changelog:  # kept beside each package of a workspace (RustCrypto/hashes' crates)
        changelog += [
            f
            for member in workspace_members(tree)
            for f in _named(tree, _variants("CHANGELOG", "CHANGES", "HISTORY", "NEWS",
                                            dirs=(f"{member}/",)), "changelog")
            if not _only_a_pointer(text_of(f.source.path or ""))
        ]  # fmt: skip
    changelog += _named(tree, ("debian/changelog",), "changelog")
    # the Maven changes plugin's source (Apache projects' release history)
    changelog += _named(tree, ("src/changes/changes.xml",), "changelog (Maven changes)")
    changelog += si("changelog")
    if not changelog:
        # the release history kept as a page of the documentation whose title says so
        # (src/site/markdown/change-report-gh.md "Change Log", docs/history.md "History")
        for page in _doc_pages(tree):
            sections = headings(text_of(page), page)
            if sections and _HISTORY_HEADING.match(sections[0][1]):
                line, title = sections[0]
                changelog.append(Finding(Source(path=page, line=line), f"changelog page {title!r}"))
    if not changelog and home is not None:
        # the release history kept as a section of the documentation's home page
        # (docs/index.html "History": every version with its changes)
        changelog += _heading_matches(home, text_of(home), _HISTORY_HEADING)[:1]

    threat = _by_name(
        tree,
        re.compile(
            r"(?:^|/)[^/\n]*(?:threat[-_ ]?model|security[-_ ]?assessment|self[-_]assessment|"
            r"attack[-_ ]surface)[^/\n]*$",
            re.I,
        ),
        "threat model / security assessment",
    )
    # the project's top-level guides: the policy, the README, the contribution guide and the
    # guide for coding agents (AGENTS.md, https://agents.md), where a project may point
    # contributors and security researchers at its threat model ("Read the security model")
    guide_files = [
        *(str(f.path) for f in policy.files if f.path),
        readme_path,
        contributing_path,
        tree.find("AGENTS.md"),
    ]
    for path in dict.fromkeys(guide_files):
        if path:
            threat += _heading_matches(path, text_of(path), _THREAT_HEADING)
    # the Maven site's pages (xdoc), where a component's security page keeps its "Security
    # Model" section (held-out-12c, apache/commons-configuration's src/site/xdoc/security.xml)
    for page in [p for p in tree.files_under("src/site/xdoc") if p.lower().endswith(".xml")][:80]:
        threat += _heading_matches(page, text_of(page), _THREAT_HEADING)[:2]
    # the documentation's pages: sections on the threat model or trust boundaries, and pages
    # whose title names the design ("Concepts and design", "Architecture", "How it works")
    page_titles: list[Finding] = []
    page_sections: list[Finding] = []
    for page in _doc_pages(tree):
        sections = headings(text_of(page), page)
        threat += _heading_matches(page, text_of(page), _THREAT_HEADING)[:2]
        if records_version_changes(page, text_of(page)):
            continue  # an upgrade guide's "Internals": what changed, not how it is built
        if (
            sections
            and _DESIGN_TITLE.search(sections[0][1])
            and not _API_ITEM_HEADING.match(sections[0][1])
        ):
            line, title = sections[0]
            page_titles.append(Finding(Source(path=page, line=line), f"design page {title!r}"))
        elif sections and (folder := _design_folder(page)):
            line, title = sections[0]
            page_titles.append(
                Finding(Source(path=page, line=line), f"design page {title!r} in {folder}/")
            )
        else:  # a section of a page on the system's parts ("pyperf architecture")
            page_sections += [
                Finding(Source(path=page, line=line), f"design section {title!r}")
                for line, title in sections[1:]
                if _DESIGN_SECTION.search(title)
                and not _API_ITEM_HEADING.match(title)
                and _describes(_section_text(text_of(page), page, line))
            ][:1]
    if insights is not None and _get(
        insights.raw, "repository", "security", "assessments", "self", "evidence"
    ):
        threat.append(Finding(insights.source, "repository.security.assessments.self.evidence"))

    design = _named(
        tree,
        _variants(
            "ARCHITECTURE",
            "DESIGN",
            "INTERNALS",
            "PROTOCOL",
            "SPECIFICATION",
            dirs=("", "docs/", "doc/"),
        ),
        "design document",
    )
    known = {f.source.path for f in design}
    named_design = _by_name(tree, _DESIGN_DOC, "design document")
    design += [f for f in named_design if f.source.path not in known]
    known |= {f.source.path for f in named_design}
    design += [f for f in page_titles if f.source.path not in known][:3]
    if not design:  # weaker: a section within a page of the documentation
        design += page_sections[:2]
    proposals = _by_name(tree, _PROPOSAL_DOC, "design proposal")
    design += [f for f in proposals if f.source.path not in known]
    design += [
        Finding(Source(path=f"{d}/"), "design documents")
        for d in _DESIGN_DIRS
        if tree.has_dir(d) and tree.holds_content(d)
    ]
    # a README section that walks through the system's parts ("Architecture", "Internals",
    # "Reading the Source": the entry points, the B+tree, the two-phase commit)
    if readme_path and readme_text:
        design += _section_matches(readme_path, readme_text, _DESIGN_HEADING)[:2]
        # or links to the design kept elsewhere: the documentation site's Architecture page,
        # a post explaining how the implementation works (held-out-9d)
        design += design_links(readme_path, readme_text)[:2]
    # a guide for coding agents walks them through the code's parts ("Core Architecture" in
    # AGENTS.md or CLAUDE.md, pluggy): a design section when it says something at length
    design += _agent_guide_sections(tree, text_of, _DESIGN_SECTION, "design section", _section_text)

    agreement = _named(
        tree,
        (
            ".github/dco.yml",
            ".github/DCO.yml",
            ".clabot",
            ".github/cla.yml",
            "DCO",
            "DCO.md",
            "CLA.md",
        ),
        "DCO/CLA configuration",
    )
    if contributing_path and contributing_text:
        agreement += _agreement_mentions(contributing_path, contributing_text)

    advisories = _by_name(tree, _ADVISORY, "advisory", limit=10, exts=("json", "yaml", "yml", "md"))
    for page in tree.grep_paths(_SECURITY_REPORTS_PAGE, _REPORT_PAGE_EXT):
        advisories += security_report_entries(page, text_of(page))
    own = _own_names(tree)
    for entry in changelog:
        path = entry.source.path
        if path and not path.endswith("/") and own:
            advisories += _own_advisory_links(path, text_of(path), own)[:5]
        if path and not path.endswith("/"):
            advisories += _named_advisory_ids(path, text_of(path), advisories)[:10]
    # the project's SBOMs, not the fixtures of an SBOM tool's tests or its examples
    sboms = [
        f
        for f in _by_name(tree, _SBOM_FILE, "SBOM file", limit=500,
                          exts=("json", "xml", "spdx", "yaml", "yml", "rdf"))
        if not not_the_projects(f.source.path or "")
    ][:5]  # fmt: skip
    tests = (
        sorted(
            (
                f
                for f in _by_name(tree, _TEST_FILE, "test file", limit=200, exts=_TEST_EXT)
                if not _in_fixture_dir(f.source.path or "")
                and not in_main_source_set(f.source.path or "")
            ),
            # the project's own tests first, the sample projects' only without them
            key=lambda f: in_sample_project(f.source.path or ""),
        )[:3]
        or [
            Finding(Source(path=f"{d}/"), "test directory")
            for d in sorted(tree.dirs)
            if d.rpartition("/")[2].lower() in _TEST_DIRS
            and not in_main_source_set(f"{d}/")
            and _holds_tests(tree.files_under(d))
        ][:3]
        or _inline_tests(tree)
    )

    maintainers = _maintainers(tree, insights, text_of)
    changelog_versions = {
        m.group(1)
        for f in changelog
        if f.source.path and not f.source.path.endswith("/")
        for m in _VERSION_MENTION.finditer(text_of(f.source.path))
    }
    changelog_heads = {
        head
        for f in changelog
        if f.source.path and not f.source.path.endswith("/")
        if (head := _first_version(text_of(f.source.path))) is not None
    }

    changelog_unversioned = any(
        not _VERSION_MENTION.search(body) and not _ANY_LINK.search(body)
        for f in changelog
        if f.source.path and not f.source.path.endswith("/")
        if (body := text_of(f.source.path)).strip()
    )

    return Docs(
        readme=tuple(readme), user_docs=tuple(user_docs), contributing=tuple(contributing),
        bug_reporting=tuple(bug), governance=tuple(governance), codeowners=tuple(codeowners),
        build_instructions=tuple(build), support_policy=tuple(support),
        dependency_policy=tuple(dep_policy), release_verification=tuple(verification),
        changelog=tuple(changelog), threat_model=tuple(threat), design=tuple(design),
        contributor_agreement=tuple(agreement), advisories=tuple(advisories),
        sbom_files=tuple(sboms), tests=tuple(tests), maintainers=tuple(maintainers),
        changelog_versions=frozenset(changelog_versions),
        changelog_heads=frozenset(changelog_heads),
        changelog_unversioned=changelog_unversioned,
    )  # fmt: skip


_CONVENTION = re.compile(r"semantic versioning|\bsemver\b|keep a changelog", re.I)


def _first_version(text: str) -> str | None:
    """The first version a changelog names outside links: the heading of its newest entry
    (changelogs list the newest first), or None. A preamble naming the conventions the
    changelog follows ("adheres to Semantic Versioning 2.0.0") names no release of its own."""
    for line in text.splitlines():
        if _CONVENTION.search(line):
            continue
        m = _VERSION_MENTION.search(URL.sub("", line))
        if m is not None:
            return m.group(1)
    return None


def _only_a_pointer(text: str) -> bool:
    """A document of at most three lines (headings and blank lines aside) that names no
    version and links elsewhere: a pointer to where the content lives."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not re.match(r"\s*(?:#|=+\s*$|-+\s*$)", line)
    ]
    return (
        len(lines) <= 3
        and URL.search(text) is not None
        and _VERSION_MENTION.search(URL.sub("", text)) is None
    )


# a version number as a changelog names it ("== 1.4.2", "v1.4.2 (2024-01-05)", "[1.4.2]")
_VERSION_MENTION = re.compile(r"(?<![\w.])[vV]?(\d+(?:\.\d+){1,3})(?![\w]|\.\d)")
# a link or address in a changelog: one naming no version that links elsewhere is an index
# (socket.io's table of per-package changelogs) or a pointer to the releases page
_ANY_LINK = re.compile(r"https?://|\]\(|<a\s|`[^`\n]+ <[^>\n]+>`_|\blink:|\bsee\b", re.I)


# src/site: Maven site sources (apt, xdoc, markdown); src/docs: Gradle/Asciidoctor docs
_DOCS_DIRS = ("docs", "doc", "documentation", "Documentation", "website", "site", "man",
              "manual", "guide", "book", "userguide", "user-guide", "wiki", "src/site",
              "src/docs", "src/site/markdown", "src/main/asciidoc")  # fmt: skip
_DOCS_BUILDS = ("mkdocs.yml", "mkdocs.yaml", "docs/conf.py", "doc/conf.py", "book.toml",
                "docs/book.toml", ".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yml",
                "docusaurus.config.js", "website/docusaurus.config.js", "docs/antora.yml",
                "antora-playbook.yml", "docs/mkdocs.yml", "Doxyfile", "docs/Doxyfile",
                "doc/Doxyfile", "typedoc.json", "jsdoc.json", "docs/.vitepress/config.js",
                "docs/.vitepress/config.ts", "docs/.vitepress/config.mts")  # fmt: skip
# the documentation site builders whose configuration names itself (not a Sphinx conf.py,
# which any Python directory may hold), when kept in a directory of their own
_NESTED_DOCS_BUILDS = ("mkdocs.yml", "mkdocs.yaml", "book.toml", "docusaurus.config.js",
                       "docusaurus.config.ts", "antora-playbook.yml")  # fmt: skip
# the front page of the API documentation a build publishes: Javadoc's overview file (Maven's
# ``src/main/javadoc/overview.html``, or beside the sources), an API guide written for users
# a Maven/Gradle module's documentation sources, one module level down
# (a module named spec is a specification here: the path has Maven's src/ layout under it)
_MODULE_DOCS = re.compile(
    r"^(?!(?:tests?|testdata|fixtures?|examples?|samples?|vendor|third[-_]party)/)[^/]+"
    r"/src/(?:main/asciidoc|site|docs)$",
    re.I,
)
_API_OVERVIEW = re.compile(r"(?:^|/)src/main/(?:javadoc|java)/overview\.html$")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # link texts and image alt texts
_TITLE_UNDERLINE = re.compile(r"^\s{0,3}=+\s*$")


def _title_line(text: str, path: str, sections: list[tuple[int, str]]) -> int | None:
    """The line of a document's title: its first heading when that is of the top level
    (Markdown ``# X`` or ``X`` over ``===``, AsciiDoc/RDoc ``= X``), else None."""
    if not sections:
        return None
    line = sections[0][0]
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    below = lines[line] if line < len(lines) else ""
    lower = path.lower()
    if lower.endswith((".adoc", ".asciidoc", ".rdoc")):
        return line if re.match(r"^=\s", here) else None
    if lower.endswith((".rst", ".rest", ".txt", ".textile")):
        return None
    if re.match(r"^\s{0,3}#(?!#)", here) or _TITLE_UNDERLINE.match(below):
        return line
    return None


_USER_DOC_FILES = re.compile(
    r"(?:^|/)(?:USAGE|GUIDE|MANUAL|TUTORIAL|GETTING[-_]STARTED|QUICKSTART|FAQ|HOWTO|"
    r"USER[-_]GUIDE|DOCUMENTATION)\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile)$|\.[1-8](?:\.md)?$",
    re.I,
)
# a section within a documentation page that describes the system's parts: the headings a
# README section is taken by, also after the project's name ("pyperf architecture")
_DESIGN_SECTION = re.compile(
    # (not the machine's: "CPU architecture", "Target architecture" are about hardware)
    r"^\W*(?:(?!(?:cpu|hardware|target|host|processor|platform|machine|instruction[- ]set|"
    r"supported|other)\b)[\w-]+\s+)?"
    r"(?:architecture(?: overview)?|design(?: overview| notes| and "
    r"implementation| choices| decisions| rationale)?|internals|implementation notes|"
    # the adjective ("Architectural overview", twine's contribution guide)
    r"architectural (?:overview|design|notes|description|decisions)|"
    # the concepts a library is built from (monolog's "Core Concepts": the logger's channel,
    # the handler stack a record traverses, formatters, processors)
    r"concepts)\W*$|^\W*how\s+[\w\s-]{1,40}?\s+works"
    r"\s+internally\W*$|^\W*under\s+the\s+hood\W*$"
    # the question form about the whole (pluggy's docs index "How does it work?": the host,
    # the plugins, hook specifications and implementations), not about one of its parts (a
    # FAQ's "How do jsonschema version numbers work?")
    r"|^\W*how\s+(?:does|do)\s+(?:it|this|[\w.-]+)\s+work(?:\s+internally)?\W*$",
    re.I,
)


def _agent_guide_sections(
    tree: Tree,
    text_of: Callable[[str], str],
    heading: re.Pattern[str],
    what: str,
    body: Callable[[str, str, int], str],
    words: int = 30,
) -> list[Finding]:
    """The first section of each guide for coding agents (AGENTS.md, https://agents.md, and
    CLAUDE.md, which often includes it) whose heading matches ``heading`` and whose ``body``
    (the section alone, or with its subsections) says ``words`` words or more: a ``Finding``
    named ``what`` at the heading's line."""
    found: list[Finding] = []
    for guide in dict.fromkeys(filter(None, (tree.find("AGENTS.md"), tree.find("CLAUDE.md")))):
        guide_text = text_of(guide)
        found += [
            Finding(Source(path=guide, line=line), f"{what} {title!r}")
            for line, title in headings(guide_text, guide)
            if heading.search(title) and _describes(body(guide_text, guide, line), words)
        ][:1]
    return found


def _describes(body: str, words: int = 30) -> bool:
    """Whether a section's body says something at length: ``words`` words or more (a review
    checklist's "Architecture" heading over one question, pypa/packaging's
    reviewing-patches.rst, describes nothing)."""
    return len(re.findall(r"[^\W\d_]{2,}", body)) >= words


_DESIGN_HEADING = re.compile(
    r"^(?:\W*)(?:(?:system |software |high[- ]level )?architecture(?: overview)?|"
    r"architectural (?:overview|design|notes|description|decisions)|"
    r"design(?: overview| notes| and implementation| decisions| choices| rationale| principles)?|"
    r"internals|how it works(?: internally)?|"
    r"reading the source(?: code)?|code (?:structure|organi[sz]ation|tour)|implementation notes)"
    r"\W*$",
    re.I,
)
# lists of adopters ("Other Projects Using Bolt", "Who uses X", "Used by"): not how to use it
_ADOPTERS_HEADING = re.compile(
    r"\b(?:projects?|compan(?:y|ies)|who(?:'s| is)?|organi[sz]ations?|products?|apps?)\s+"
    r"(?:\w+\s+)?(?:using|uses?)\b|\bused by\b|\badopters\b|\bpowered by\b|\bin the wild\b",
    re.I,
)
# sections on producing the documentation ("Building documentation", "Generating the API
# docs", "Contributing to the docs"): how maintainers make the docs, not documentation of use
_DOCS_PRODUCTION_HEADING = re.compile(
    r"\b(?:build(?:ing)?|generat(?:e|ing)|writ(?:e|ing)|render(?:ing)?|compil(?:e|ing)|"
    r"publish(?:ing)?|deploy(?:ing)?|contribut(?:e|ing) to)\s+(?:the\s+)?(?:api\s+|local\s+)?"
    r"(?:docs?|documentation)\b",
    re.I,
)
# README sections that explain use (not only headings named "usage")
_USER_DOC_HEADING = re.compile(
    r"\b(?:usage|how to use|using|getting[- ]started|get started|quick[- ]?start|"
    r"documentation|docs|examples?|tutorials?|guides?|manual|api(?! levels?\b)|reference|"
    r"commands?|options|"
    r"configur\w*|cli|synopsis|basics?|user guide|faq|recipes|cookbook|walkthrough)\b",
    re.I,
)
# the words that make a heading a section on use whatever else it names ("Build and usage"); a
# heading on building from source that matches only a weaker word ("Configuring and Building
# APR on Unix", "Using a Subversion Checkout") is build instructions, not user documentation
_USER_DOC_STRONG = re.compile(
    r"\b(?:usage|how to use|getting[- ]started|get started|quick[- ]?start|documentation|docs|"
    r"examples?|tutorials?|guides?|manual|api|reference|user guide|faq|recipes|cookbook)\b",
    re.I,
)
_CONTRIBUTING_DOC = re.compile(
    r"(?:^|/)(?:docs?|documentation|site|website|src/site|\.github)/(?:[^/\n]+/)*"
    r"(?:[^/\n]*(?:contribut|develop(?:er|ment|ing)[-_]?guide|hacking)[^/\n]*"
    # a page named for development alone (pypa/wheel's docs/development.rst: pull requests,
    # running the tests, getting involved; held-out-15a)
    r"|develop(?:ment|ing|ers?))"
    r"\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile|xml|html)$",
    re.I,
)
# a page named a "developer guide" may be the guide for developers who use the library (its
# API and examples: psf/pyperf's doc/developer_guide.rst is a table of contents of examples,
# API and changelog), and a page named "development" may be on the project's state; either
# is a contribution guide only when it speaks to contributors
_DEVELOPER_GUIDE_NAME = re.compile(
    r"develop(?:er|ment|ing)[-_]?guide|^develop(?:ment|ing|ers?)\.", re.I
)
_FOR_CONTRIBUTORS = re.compile(
    r"\bcontribut|\bpull[- ]requests?\b|\bmerge[- ]requests?\b|\bpatch(?:es)?\b|\bgit clone\b|"
    r"\bclone (?:the|this|it)\b|\bfork\b|\btest[- ]suite\b|"
    r"\b(?:run|running) (?:the )?(?:unit )?tests?\b|"
    r"\bpre-commit\b|\bdevelopment (?:environment|install(?:ation)?|setup|version|mode)\b|"
    r"\b(?:code|coding) (?:style|conventions|standards)\b|\bcommit(?:s|ting)?\b|"
    r"\brelease process\b|\b(?:build|building|install|installing) from (?:the )?source\b|"
    r"\beditable\b|\bpip install -e\b|\bhacking\b",
    re.I,
)


# a section on developing the project itself ("Development", "Hacking on widget"), the way
# many projects write their contribution guide; it counts only when its text speaks to
# contributors (pluggy's docs/index.rst "Development": hacking on pluggy, the tox test suite,
# an editable install, pre-commit; held-out-11a), not "Development status"
_DEVELOPMENT_HEADING = re.compile(
    r"^\W*(?:development|developing|developers?|hacking(?: on [\w .-]+)?|"
    r"development (?:setup|environment|guide|workflow))\W*$",
    re.I,
)
_DOCS_INDEX_PAGES = tuple(
    f"{d}/index.{e}" for d in ("docs", "doc") for e in ("rst", "md", "markdown", "txt", "adoc")
)


def _development_sections(tree: Tree, readme_path: str | None, readme_text: str) -> list[Finding]:
    """Sections of the README and the documentation's index page headed for development
    whose text speaks to contributors (``_FOR_CONTRIBUTORS``)."""
    pages: list[tuple[str, str]] = [(readme_path, readme_text)] if readme_path else []
    index = tree.find(*_DOCS_INDEX_PAGES)
    if index is not None:
        pages.append((index, tree.read(index, limit=256 * 1024).text or ""))
    found: list[Finding] = []
    for path, text in pages:
        for f in _section_matches(path, text, _DEVELOPMENT_HEADING):
            if _FOR_CONTRIBUTORS.search(_section_text(text, path, f.source.line or 1)):
                found.append(f)
    return found


def _for_contributors(path: str, text_of: Callable[[str], str]) -> bool:
    """Whether a page found by a contribution-guide name is for contributors: a name with
    "contributing" or "hacking" says so; a "developer guide" only when its text speaks of
    contributing (patches, pull requests, the test suite, a development install...)."""
    name = posixpath.basename(path)
    if re.search(r"contribut|hacking", name, re.I) or not _DEVELOPER_GUIDE_NAME.search(name):
        return True
    return bool(_FOR_CONTRIBUTORS.search(text_of(path)))


# a section of an agent guide on how changes come in: contributing, pull requests, patches
_PROCESS_HEADING = re.compile(
    r"\bcontribut\w*|\bpull[- ]requests?\b|\bmerge[- ]requests?\b"
    r"|\bsubmitting (?:changes|patches)\b",
    re.I,
)
_CONTRIBUTING_HEADING = re.compile(
    r"\bcontribut\w*|\bhow to help\b|\bget(?:ting)? involved\b|\bhacking\b", re.I
)
# a README section that is a contribution guide by its heading alone; "Hacking" is not among
# them: like "Development" it heads notes on working on the code, a guide only when its text
# speaks to contributors (``_development_sections``). rust-lang/regex's README "Hacking" says
# where the internals live and links an article on them, nothing on how changes come in
# (held-out-15b)
_CONTRIBUTING_SECTION = re.compile(
    r"\bcontribut\w*|\bhow to help\b|\bget(?:ting)? involved\b", re.I
)
# a page users are sent to for help, by its name
_SUPPORT_PAGE = re.compile(
    r"^(?:support|community|help|getting[-_]help|get[-_]help|contact|issues|bugs|"
    r"report(?:ing)?[-_](?:bugs?|issues?))$",
    re.I,
)
_BUG_REPORTING = re.compile(
    r"report(?:ing)? (?:a |any )?(?:bugs?|issues?|defects?|problems?)|bug reports?|"
    r"issue (?:tracker|tracking)|bug tracker|file (?:an issue|a bug)|open (?:an|a new) issue|"
    r"issues\.apache\.org|bugzilla|/jira/|bugs\.[\w-]+\.\w+|"
    # a guide's "Found a bug?" section ("If you have found a bug, ...")
    r"\bfound a bug\s*\?|\bif you(?: think you)?(?: have|'ve)? found a bug\b",
    re.I,
)
# bug reports named among the kinds of contribution a project welcomes ("Crossbeam welcomes
# contribution from everyone in the form of suggestions, bug reports, pull requests, and
# feedback"): that they are welcome, not how to make one
_CONTRIBUTION_KINDS = re.compile(
    r"\b(?:in the form of|such as|including)\b[^.]{0,60}\bbug reports?\b", re.I
)
# that bug reports are wanted, naming no place or way to make one: rxi/microui's README
# Contributing section, "Bug reports are welcome." (held-out-12f); "we welcome bug reports",
# "bug reports appreciated". The sibling of ``_CONTRIBUTION_KINDS``: welcome, not how
# A list of the kinds welcomed may stand between ("Bug reports, fixes, and additions are all
# welcome", pypa/readme_renderer's CONTRIBUTING.md, held-out-14a).
_WELCOME = re.compile(
    r"\bbug reports?\b[^.!?]{0,40}?\b(?:(?:are|is) )?(?:all |always |very |most |also )?"
    r"(?:welcome[ds]?|appreciated|encouraged|accepted)\b|"
    r"\b(?:welcome[ds]?|appreciate[ds]?|encourage[ds]?)\b[^.!?]{0,20}?\bbug reports?\b",
    re.I,
)
# a place to report named on the line: an address, the issues or a tracker, an e-mail, a list
_REPORT_PLACE = re.compile(
    r"https?://|\bissues?\b|\btracker\b|@|\bmailing[- ]list\b|\bforums?\b|\b(?:github|gitlab)\b",
    re.I,
)
# naming a tracker or "bug reports" (a noun) says that they exist, not how to make one
_BUG_TRACKER_ONLY = re.compile(r"issue (?:tracker|tracking)|bug tracker|bug reports?", re.I)
_REPORT_VERB = re.compile(
    r"\b(?:report|open|file|submit|creat|rais|use|search|post|tell|let us know)\w*", re.I
)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


# the target of a Markdown or reStructuredText link: what the reader is told is its text
# (a target cut off by the 160 characters a finding keeps runs to the end)
_LINK_TARGET = re.compile(
    r"\]\(\s*<?[^()\s<>]{0,2000}(?:>?\s*\)|$)|\s<https?://[^<>\s`]{0,2000}(?:>(?=`)|$)"
)


_CREDIT = re.compile(
    r"(?i:\b(?:bug )?report(?:s|ed)?\b(?:,? and (?:a |the )?(?:patch|fix|test)(?:es)?)?,? "
    r"(?:by|from)\s+)(?!(?:E-?mail|Mail|Opening|Filing|Creating|Using|The|Our|An?|GitHub)\b)"
    r"[A-Z@]",
)


def _sentences_at(text: str, lineno: int) -> list[str]:
    """The sentences that line ``lineno`` of ``text`` begins or continues, read on over the
    lines that continue its paragraph (at most three more): a sentence wrapped over two lines
    is judged whole ("... Bug reports, fixes, and additions" / "are all welcome.")."""
    lines = text.splitlines()
    para = [lines[lineno - 1].strip()] if 0 < lineno <= len(lines) else []
    for nxt in lines[lineno : lineno + 3]:
        if not nxt.strip() or _LIST_ITEM.match(nxt) or nxt.lstrip().startswith("#"):
            break
        para.append(nxt.strip())
    return re.split(r"(?<=[.!?])\s+", " ".join(para))


def _welcome_only(text: str, lineno: int) -> bool:
    """Every sentence on line ``lineno`` that names bug reports only says that they are
    welcome, with no place or way to make one (``_WELCOME`` judged on the whole sentence,
    not the line that a wrap cut before its "welcome")."""
    named = [s for s in _sentences_at(text, lineno) if _BUG_REPORTING.search(s)]
    return bool(named) and all(
        _WELCOME.search(s)
        and not _REPORT_PLACE.search(s)
        and not _BUG_REPORTING.search(_BUG_TRACKER_ONLY.sub(" ", s))
        for s in named
    )


def _tells_how(line: str) -> bool:
    """A bug-reporting line that says how, not only that a tracker exists. A tracker address
    that is only a link's target does not count: "[continuously
    fuzzed](https://bugs.chromium.org/p/oss-fuzz/...)" points at another project's tracker and
    says nothing about reporting (a bare address, "Bug tracker: https://bugs.example.org", or
    a link's text, "[report bugs](...)", still does)."""
    original = line
    line = _LINK_TARGET.sub("]", line)
    if _CREDIT.search(line):  # "(bug report and patch by Jane)": thanks, not how
        return False
    rest = _BUG_TRACKER_ONLY.sub(" ", line)
    if _BUG_REPORTING.search(rest):
        return True
    if _CONTRIBUTION_KINDS.search(line):  # "in the form of suggestions, bug reports, ..."
        return False
    if _WELCOME.search(line) and not _REPORT_PLACE.search(original):  # "... are welcome."
        return False
    # a list item naming bug reports among ways to contribute ("* Bug reports and patch
    # reviews") needs a verb of its own; a heading or sentence ("Issues and Bug Reports")
    # is taken as it reads
    return bool(_REPORT_VERB.search(rest if _LIST_ITEM.match(line) else line))


# the home page of documentation kept in the tree as a site of its own
_DOC_HOME_PAGES = tuple(f"{d}/index.{e}" for d in ("docs", "doc") for e in ("html", "htm", "md"))
_HISTORY_HEADING = re.compile(
    r"^\s*(?:(?:release |version )?history|change ?log|changes|release notes|news)\s*$", re.I
)
# a project's issue tracker, not any URL with /issues in it (GitHub's own docs have it);
# weaker evidence, used only when no sentence says how to report
_ISSUE_TRACKER_LINK = re.compile(
    r"(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)/[\w.-]+/[\w.-]+/(?:-/)?issues"
    r"(?!/\d)\b",  # the tracker or its new-issue page, not one issue
    re.I,
)

# a new-issue form opened with a named template (GitHub's ``issues/new?template=NAME``)
_ISSUE_FORM_TEMPLATE = re.compile(r"/issues/new\?(?:[^\s)>\]]*&)?template=([\w.%-]+)", re.I)
# template names for reports of defects ("bug_report.md", "issue.yml", "crash-report.md")
_REPORT_TEMPLATE = re.compile(r"bug|issue|defect|problem|report|crash|error|regression", re.I)


def _other_purpose_issue_form(line: str) -> bool:
    """Whether the line's tracker links are all new-issue forms with a template for something
    other than reporting a defect: eclipse-cyclonedds/cyclonedds-cxx's README asks adopters to
    add their logo through the Eclipse IoT site's ``issues/new?template=adopter_request.md``
    (held-out-16g), another repository's form for another purpose, not where bugs go."""
    trackers = list(_ISSUE_TRACKER_LINK.finditer(line))
    forms = [m.group(1) for m in _ISSUE_FORM_TEMPLATE.finditer(line)]
    return (
        bool(trackers)
        and len(forms) == len(trackers)
        and not any(_REPORT_TEMPLATE.search(name) for name in forms)
    )


# a forge repository's page, whose issue tracker GitHub, GitLab, Codeberg and Bitbucket keep
# beside the code
# (the repository's own page: one issue's address, "issues/726#issuecomment-1", is a
# reference, not where to report)
_FORGE_REPOSITORY = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)/[\w.-]+/[\w.-]+"
    r"/?(?![^\s<>)`'\"\]])",
    re.I,
)
_ANY_ADDRESS = re.compile(r"https?://[^\s<>)`'\"\]]+", re.I)
# the noun as a word of the sentence, not part of a path or a link's text ("issues/726")
_BUGS_NOUN = re.compile(r"(?<![/#\w])(?:bugs?|issues|bug reports?)(?![/#\w])", re.I)


def _forge_page_for_bugs(path: str, text: str) -> list[Finding]:
    """Lines that link the project's forge page and name bugs or issues as what is kept
    there, outside the address (psf/pyperf's README: "pyperf project homepage at GitHub
    <https://github.com/psf/pyperf>`_ (code, bugs)"): the tracker is that repository's. A
    badge or address with "issues" only in its path says nothing (that is
    ``_ISSUE_TRACKER_LINK``'s case)."""
    return [
        f
        for f in _line_matches(path, text, _FORGE_REPOSITORY, limit=10)
        if _BUGS_NOUN.search(_ANY_ADDRESS.sub(" ", f.detail))
        and not f.detail.lstrip().startswith(("[![", ".. image", ".. |"))
    ][:1]


# "under one or more contributor license agreements" is the ASF licence header
_AGREEMENT = re.compile(
    r"Developer Certificate of Origin|Signed-off-by|\bDCO\b|(?<!more )Contributor License "
    r"Agreement|\bCLA\b|\bECA\b|Eclipse Contributor Agreement",
    re.I,
)
_OBLIGATION = re.compile(
    r"\bmust\b|\brequired?\b|\bneed to\b|\bhave to\b|in order for (?:your|a) contribution"
    r"|will not be (?:accepted|merged)|cannot (?:be )?(?:accept|merg)"
    r"|(?:prompted|asked)\s+to\s+sign",
    re.I,
)
_EXEMPTION = re.compile(r"do(?:es)? not (?:need|require)|not required|\boptional\b", re.I)


def _agreement_mentions(path: str, text: str) -> list[Finding]:
    """The first DCO/CLA/ECA mention in a contribution guide; ``required: ...`` when its
    section makes it mandatory ("must", "in order for your contribution to be accepted")
    without exempting anyone ("small patches do not require a CLA")."""
    # licence headers sit in HTML comments ("under one or more contributor license ...")
    text = blank_html_comments(text)
    mention = _line_matches(path, text, _AGREEMENT, limit=1)
    if not mention:
        return []
    line = mention[0].source.line or 1
    lines = text.splitlines()
    starts = [h for h, _ in headings(text, path)]
    start = max((h for h in starts if h <= line), default=1)
    end = min((h for h in starts if h > line), default=len(lines) + 1)
    section = "\n".join(lines[start - 1 : end - 1])
    if _OBLIGATION.search(section) and not _EXEMPTION.search(section):
        return [Finding(mention[0].source, f"required: {mention[0].detail}")]
    return mention


def _user_docs(
    tree: Tree, readme_path: str | None, readme_text: str, links: list[ProjectLink]
) -> list[Finding]:
    """User documentation: a documentation directory or site build, user-guide files,
    manual pages, documentation links in package metadata or the README, and README sections
    that explain use (usage, examples, configuration, commands...)."""
    found: list[Finding] = []
    for d in _DOCS_DIRS:
        if tree.has_dir(d) and tree.holds_content(d):
            found.append(Finding(Source(path=f"{d}/"), f"documentation directory {d}/"))
            break
    else:  # a build module's documentation (spec/src/main/asciidoc, core/src/site)
        for d in sorted(tree.dirs):
            if _MODULE_DOCS.match(d) and tree.holds_content(d):
                found.append(Finding(Source(path=f"{d}/"), f"documentation directory {d}/"))
                break
    found += _named(tree, _DOCS_BUILDS, "documentation build")
    if not any(f.detail == "documentation build" for f in found):
        # a site build kept one directory down, beside its pages (``mkdocs/mkdocs.yml`` with
        # ``mkdocs/docs/``: held-out-12c, apache/iceberg-python), outside tests and examples
        found += [
            Finding(Source(path=p), "documentation build")
            for p in tree.module_files(*_NESTED_DOCS_BUILDS)
        ][:2]
    found += _by_name(tree, _USER_DOC_FILES, "user documentation", limit=3)
    found += _by_name(tree, _API_OVERVIEW, "API documentation overview", limit=2, exts=("html",))
    found += [
        Finding(Source(path=link.path, line=link.line), f"{link.label}: {link.url}")
        for link in links
        if link.kind == DOCUMENTATION
    ]
    if readme_path and readme_text:
        sections = headings(readme_text, readme_path)
        # a README titled "Contributing to X" is a contribution guide: its "Getting started"
        # is for contributors
        if not (sections and _CONTRIBUTING_HEADING.search(sections[0][1])):
            # the README's title names the project ("Apache Commons CLI", "Foo Docs"): a
            # keyword in a project's name does not make the title a section on use, a
            # documentation badge in it ("[![Hex Docs](...)](https://hexdocs.pm/x)") does
            title = _title_line(readme_text, readme_path, sections)
            in_build = _build_subsections(readme_text, readme_path, title)
            found += [
                f
                for f in _heading_matches(readme_path, readme_text, _USER_DOC_HEADING)
                if not _ADOPTERS_HEADING.search(f.detail)
                and not (_is_build_heading(f.detail) and not _USER_DOC_STRONG.search(f.detail))
                and not _DOCS_PRODUCTION_HEADING.search(f.detail)
                and not _api_blurb(readme_text, sections, f.source.line)
                and (
                    f.source.line != title
                    or _USER_DOC_HEADING.search(" ".join(_BRACKETED.findall(f.detail)))
                )
                and not (f.source.line in in_build and not _USE_WORDS.search(f.detail))
            ][:5]
        # a badge or link commented out in HTML is not shown to readers
        found += _doc_links(readme_path, blank_html_comments(readme_text))[:2]
        if not any(f.source.path == readme_path for f in found):
            found += _documentation_sentences(readme_path, blank_html_comments(readme_text))[:2]
    found += _source_api_docs(tree)
    if not found and readme_path and readme_text:
        # weaker signs, only when nothing stronger says it (``readmeuse``)
        found += weak_user_docs(readme_path, blank_html_comments(readme_text))
    if not found:
        found += _documented_api(tree)
    return found


def _build_subsections(text: str, path: str, title: int | None) -> set[int]:
    """The lines of headings held by a section on building (a heading of a higher level that
    ``_BUILD_HEADING`` names without a word on use, the document's title left out) that do not
    speak of use themselves: el-ri's README builds its modules under "## Building" in "### API"
    and "### Specification" (held-out-16e), which name what is built; paho.mqtt.cpp's "####
    Using Paho C++ as a Windows DLL" under "## Building from source" is on use."""
    return {
        line
        for line, parents in section_parents(text, path).items()
        if any(
            at != title and _BUILD_HEADING.search(name) and not _USER_DOC_STRONG.search(name)
            for at, name in parents
        )
    }


# the words by which a heading within a section on building is on use
_USE_WORDS = re.compile(
    r"\b(?:usage|how to use|using|use|getting[- ]started|get started|quick[- ]?start|"
    r"tutorials?|guides?|manual|user guide|faq|recipes|cookbook|walkthrough)\b",
    re.I,
)


_GO_PACKAGE_DOC = re.compile(r"^// Package \w+\b")
_GO_PACKAGE = re.compile(r"^package \w+")
_ROOT_GO_FILES = 30  # top-level Go files read for the package comment at most


def _source_api_docs(tree: Tree) -> list[Finding]:
    """The API documentation a language's documentation host renders from the source: a Go
    module's package comment (``// Package xxhash implements ...``, two lines or more, just
    above the ``package`` clause of a top-level file: pkg.go.dev shows it) and a Rust crate's
    documentation (three ``//!`` lines or more at the top of ``src/lib.rs``: docs.rs shows it).
    At the comment's first line."""
    found: list[Finding] = []
    if "go.mod" in tree.files:
        root_go = [p for p in tree.in_dir("") if p.endswith(".go") and not p.endswith("_test.go")]
        for path in sorted(root_go, key=lambda p: (p != "doc.go", p))[:_ROOT_GO_FILES]:
            line = _go_package_comment(tree.read(path).text or "")
            if line is not None:
                found.append(Finding(Source(path=path, line=line), "Go package documentation"))
                break
    if "Cargo.toml" in tree.files and "src/lib.rs" in tree.files:
        lines = (tree.read("src/lib.rs").text or "").splitlines()
        # before the crate documentation: blank lines, a licence comment, crate attributes
        first = next(
            (
                i
                for i, t in enumerate(lines[:80])
                if t.strip() and not t.lstrip().startswith("#![") and not re.match(r"\s*//(?!!)", t)
            ),
            None,
        )
        if first is not None:
            block = list(itertools.takewhile(lambda t: t.lstrip().startswith("//!"), lines[first:]))
            if len(block) >= 3:
                found.append(
                    Finding(Source(path="src/lib.rs", line=first + 1), "crate documentation")
                )
    return found


_GO_EXPORTED = re.compile(r"^(?:func(?:\s*\([^)]*\))?|type)\s+([A-Z]\w*)\b")
_RUST_PUBLIC = re.compile(
    r"^pub\s+(?:(?:const\s+|async\s+|unsafe\s+|extern\s+\"[^\"]*\"\s+)*fn|struct|enum|"
    r"trait|type|union|mod|macro)\s+([A-Za-z_]\w*)"
)
#: a public API this small or smaller says too little to count as documentation
_MIN_DOCUMENTED = 2


def _documented_api(tree: Tree) -> list[Finding]:
    """The API reference a language's documentation host renders from the doc comments of
    the exported identifiers, when the package has no overview comment: pkg.go.dev shows
    each exported Go function and type with the comment above it, docs.rs each public Rust
    item with its ``///`` lines. It counts when every exported function and type of the
    root Go package (top-level ``.go`` files, tests left out) or of ``src/lib.rs`` is
    documented, two of them at least; a weaker sign, read only when nothing stronger says
    it. At most three findings, each at the first line of an identifier's doc comment.

    Written here: only the top-level declarations and the comment lines right above them are
    needed, not a parser of either language."""
    if "go.mod" in tree.files:
        root_go = sorted(
            p for p in tree.in_dir("") if p.endswith(".go") and not p.endswith("_test.go")
        )[:_ROOT_GO_FILES]
        return _all_documented(tree, root_go, _GO_EXPORTED, "//")
    if "Cargo.toml" in tree.files and "src/lib.rs" in tree.files:
        return _all_documented(tree, ["src/lib.rs"], _RUST_PUBLIC, "///")
    return []


def _all_documented(
    tree: Tree, paths: list[str], exported: re.Pattern[str], marker: str
) -> list[Finding]:
    """Findings for the doc comments of the exported declarations (``exported`` at column 0)
    in ``paths``, or none unless all of them, two at least, carry a doc comment (``marker``
    lines right above the declaration; Rust attributes ``#[...]`` may stand between)."""
    documented: list[Finding] = []
    total = 0
    for path in paths:
        lines = (tree.read(path).text or "").splitlines()
        for i, line in enumerate(lines):
            m = exported.match(line)
            if m is None:
                continue
            total += 1
            j = i
            while j > 0 and marker == "///" and lines[j - 1].lstrip().startswith("#["):
                j -= 1
            start = j
            while start > 0 and lines[start - 1].startswith(marker):
                start -= 1
            text = " ".join(t[len(marker) :].strip() for t in lines[start:j])
            if start == j or len(text.split()) < 3:
                return []  # an undocumented (or barely documented) export
            if len(documented) < 3:
                documented.append(
                    Finding(Source(path=path, line=start + 1), f"doc comment of {m.group(1)}")
                )
    return documented if total >= _MIN_DOCUMENTED else []


def _go_package_comment(text: str) -> int | None:
    """The first line of the ``// Package x ...`` comment block right above the package
    clause (two lines or more), or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:400]):
        if _GO_PACKAGE.match(line):
            start = i
            while start > 0 and lines[start - 1].startswith("//"):
                start -= 1
            block = lines[start:i]
            if len(block) >= 2 and _GO_PACKAGE_DOC.match(block[0]):
                return start + 1
            return None
    return None


# a link whose text says it is the documentation ("[Docs](...)", "<a href=...>User Guide</a>");
# a link to another tool's manual is named after that tool, not "Documentation"
_DOC_LINK_TEXT = re.compile(
    r"(?:\[|<a\b[^>]*>\s*)((?:the |our |full |online |official )?(?:docs?|documentation|"
    r"user(?:'s)? (?:guide|manual)|manual|handbook|wiki|guide|tutorial)(?: site| website)?)"
    r"\s*(?:\]|</a>)",
    re.I,
)


# a design document named as such (GsonDesignDocument.md, docs/architecture-overview.md; not
# docs/design-opinions.md, advice on designing CLIs), or a description of the algorithms,
# internals or protocol in the documentation directory
# design proposals kept in a documentation tree, at any depth and in any case: a DocC
# catalogue's Proposals/SLG-0001-metadata-providers.md (swift-log), docs/Evolution/,
# doc/rfcs/, Documentation/ADRs/ (the top-level rfcs/, proposals/ directories are listed below)
_PROPOSAL_DOC = re.compile(
    r"(?:^|/)(?:docs?|documentation|[^/\n]+\.docc)/(?:[^/\n]+/)*"
    r"(?:proposals|rfcs?|keps|adrs?|evolution|design[-_ ]proposals|decisions)/"
    r"[^/\n]+\.(?:md|markdown|rst|txt|adoc|asciidoc|org|html)$",
    re.I,
)
# (also kept as HTML or PDF: Apache APR's docs/APRDesign.html and docs/pool-design.html)
_DESIGN_DOC = re.compile(
    r"^(?:(?:docs?|documentation)/(?:[^/\n]+/)*)?[^/\n]*?(?:design|architecture)(?:[-_ ]?(?:docs?|"
    r"documents?|documentation|overview|notes?|decisions?|choices|rationale|principles))?"
    r"\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile|html|pdf)$"
    r"|^(?:docs?|documentation)/(?:[^/\n]+/)*(?:algorithms?|internals|protocol|specification)"
    r"[^/\n]*\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile|html|pdf)$",
    re.I,
)
# "Only one major version is supported at a time": which of the project's versions get fixes
# (a README line on Python/Node/JDK versions is about runtimes, not the project's support)
_SUPPORTED_MAJOR = re.compile(
    r"\b(?:only|latest|current|newest|most recent)\b.{0,30}\b(?:major |minor )?(?:versions?|"
    r"releases?|branch(?:es)?)\b.{0,30}\b(?:is|are)\s+(?:supported|maintained)\b|"
    r"\bnot backported\b",
    re.I,
)
# what a named series of the project's releases still gets, or no longer gets: "1.x support
# is limited, only important fixes", "the 2.x branch is no longer maintained", "v1 will not
# receive security fixes" (held-out-8d, monolog). A series, not a bare version ("^1.25 works
# with PHP 5.3" names a runtime's range); lines naming a runtime are left out by the caller.
# the end of a series' releases said outright: "We will stop making new v0.2 releases once
# v1.0 is released" (rust-lang/libc's README, under its roadmap of two active branches)
_SERIES_END = re.compile(
    r"\b(?:stop|cease|end)\s+(?:making|publishing|cutting|shipping|producing)\s+(?:new\s+)?"
    r"v?\d+(?:\.\d+)*(?:\.x)?\s+(?:releases?|versions?)\b",
    re.I,
)
_SERIES_SUPPORT = re.compile(
    r"(?:\b\d+\.(?:x|\*)(?![\w.])|\bv\d+(?:\.x)?\b|"
    r"\b(?:version|release|series|branch) \d+(?:\.\d+)?\b)"
    r"[^.;]{0,60}?"
    r"(?:\bsupport (?:is |has |was |will be )?(?:\w+ ){0,2}?(?:limited|ended|been dropped|"
    r"dropped)\b|"
    r"\b(?:no longer |not (?:very |actively |being )?)(?:supported|maintained)\b|"
    r"\bunmaintained\b|"
    r"\b(?:will|does|do|shall) not (?:get|receive)\b[^.;]{0,30}?\b(?:fix|fixes|updates|patches|"
    r"support)\b|"
    r"\bonly (?:important|critical|security)\b[^.;]{0,20}?\b(?:fix|fixes|updates|patches)\b)",
    re.I,
)
_RUNTIME = re.compile(
    r"\b(?:python|node(?:\.?js)?|java|jdk|jre|php|ruby|go|rust|erlang|otp|elixir|\.net|"
    r"browsers?|chrome|firefox|safari|android|ios|windows|macos|linux|kubernetes|postgres\w*)\b",
    re.I,
)
_VERIFY_WORD = re.compile(r"\bverif", re.I)
_THREAT_HEADING = re.compile(
    r"\bthreat[- ]?model\w*|\bsecurity (?:model|assessment|assumptions)\b|"
    r"\battack (?:surface|model)\b|\btrust boundar(?:y|ies)\b|"
    r"\b(?:does not|doesn't|do not|don't|cannot|can't|won't) (?:protect|defend) against\b|"
    # a page on a class of attacks and how the project mitigates them (quart's "Denial Of
    # Service mitigations": the attacker's methods and aims, and each mitigation)
    r"\b(?:attacks?|denial[- ]of[- ]service|dos)\s+(?:\w+\s+)?mitigations?\b|"
    r"\bmitigat(?:e|es|ing|ion of)\s+(?:\w+\s+){0,3}attacks\b",
    re.I,
)
# the title of a documentation page about the design: "Concepts and design", "Architecture
# overview", "Internals", "How X works" (not "CLI Design Opinions": advice on designing CLIs)
_DESIGN_TITLE = re.compile(
    r"^\W*(?:[\w-]+\s+)?(?:(?:concepts|principles)\s+(?:and|&)\s+)?"
    r"(?:design|architecture|internals)"
    r"(?:\s+(?:and|&)\s+(?:implementation|architecture|design|concepts|internals))?"
    r"(?:\s+(?:overview|notes|documents?|documentation|choices|decisions|rationale))?\W*$"
    r"|^\W*how\s+[\w\s-]{1,40}?\s+works(?:\s+internally)?\W*$"
    # the question form ("How Does It Work?", "How do attrs classes work?") and "Under the hood"
    r"|^\W*how\s+(?:does|do)\s+[\w\s*-]{1,40}?\s+work(?:\s+internally)?\W*$"
    r"|^\W*under\s+the\s+hood\W*$"
    # the adjective: "Architectural overview", "Architectural design"
    r"|^\W*(?:[\w-]+\s+)?architectural\s+(?:overview|design|notes|description|decisions)\W*$",
    re.I,
)
# directories of design documents, proposals and decision records
_DESIGN_DIRS = (
    "docs/design",
    "doc/design",
    "docs/architecture",
    "docs/adr",
    "doc/adr",
    "adr",
    "docs/decisions",
    "docs/protocol",
    "docs/specs",
    "design",
    "design-docs",
    "docs/design-docs",
    "doc/design-docs",
    "docs/design_docs",
    "doc/design_docs",
    "docs/designs",
    # design proposals: RFCs (rust-lang/log's rfcs/0296-structured-logging.md),
    # proposals, enhancement proposals (KEPs), architecture decision records
    "rfcs",
    "rfc",
    "docs/rfcs",
    "docs/rfc",
    "doc/rfcs",
    "proposals",
    "docs/proposals",
    "design/proposals",
    "keps",
    "adrs",
    "docs/adrs",
)
# a folder of the documentation named for the design ("concepts-and-designs", "architecture",
# "internals"): its pages are design pages whatever their own titles
_DESIGN_FOLDER = re.compile(
    r"^(?:[a-z]+[-_](?:and|&)[-_])?(?:designs?|architecture|internals)(?:[-_](?:and|&)[-_][a-z]+)?"
    r"(?:[-_](?:docs?|documents?|notes|overview))?$",
    re.I,
)


def _design_folder(page: str) -> str:
    """The folder of ``page``, below the documentation's top directory, that is named for
    the design (apache/skywalking-go's ``docs/en/concepts-and-designs/``: "Hybrid
    Compilation", "Key Principle", "Project Structure", held-out-16g); empty when none is."""
    parts = page.split("/")[:-1]
    for i in range(1, len(parts)):
        folder = "/".join(parts[: i + 1])
        if _DESIGN_FOLDER.match(parts[i]) and folder not in _DESIGN_DIRS:
            return folder  # (a directory of _DESIGN_DIRS is shown as the directory)
    return ""


# a link's text that names the design: the whole text a design title ("Architecture",
# "Internals", "How it works", "Design notes"), or a phrase in a longer one ("Flysystem's
# internal architecture", "Blog post explaining how the implementation works", "blog on
# regex internals"); "ARM
# architecture" or "supported architectures" name platforms, not a design
_DESIGN_LINK_TITLE = re.compile(
    r"^\W*(?:(?:the\s+)?(?:design|architecture|internals)(?:\s+(?:overview|notes|documents?|"
    r"documentation))?|how\s+it\s+works|under\s+the\s+hood)\W*$",
    re.I,
)
_DESIGN_LINK_PHRASE = re.compile(
    r"\b(?:(?:internal|software|system|high[- ]level)\s+architecture|"
    r"architecture\s+(?:overview|document(?:ation)?|guide|notes)|"
    r"design\s+(?:document(?:ation)?|docs?|notes|overview|rationale|principles)|"
    r"how\s+(?:it|this|the\s+(?:implementation|internals|code|engine|algorithm))\s+works|"
    r"how\s+[\w-]+\s+works\s+(?:internally|under\s+the\s+hood)|"
    # a text about the internals of one thing, the project ("blog on regex internals",
    # rust-lang/regex's README, held-out-15b; "a tour of the widget internals")
    r"(?:on|about|into|of)\s+(?:the\s+)?(?:[\w-]+\s+)?internals)\b",
    re.I,
)
# Markdown inline and reference links (``[text](url)``, ``[text][ref]``; the text may wrap
# onto the next line; a reference definition ``[id]: url`` is not a link), not images
# (``![alt](img)``), and HTML anchors. No repetition can run past the next ``[`` or ``<``
# that would start another candidate, so the search stays linear on hostile text (a README
# of ``[a](`` repeated)
_MD_LINK = re.compile(
    r"(?<!!)\[([^\[\]]{1,200})\](?=[(\[])|<a\s([^<>]{0,1000})>([^<]{1,200})</a>", re.I
)


# a sentence that says the linked page holds the design, whatever the link's own text:
# "information about the design of this library can be found in its associated [RFC][rfc]"
# (rust-lang/libc), "[merged RFCs](...). They contain elaborate descriptions and rationale
# for features we've introduced" (crossbeam)
_DESIGN_SENTENCE = re.compile(
    r"\b(?:(?:design|architecture|internals)\s+of\s+(?:this|the|our)\s+(?:library|crate|"
    r"project|package|module|framework|tool|code(?:base)?)|rationale\s+(?:for|behind)\s+"
    r"(?:the\s+|its\s+|our\s+)?(?:features?|design|decisions?))\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_BACK_REFERENCE = re.compile(r"^\s*(?:they|it|these|this|those)\b", re.I)


def _link_sentences(text: str, start: int, end: int) -> str:
    """The sentence around a link (from the end of the previous sentence to the end of its
    own), and the next one when it refers back to the link ("They contain ...")."""
    # each search stays within 400 characters of the link: linear on long or hostile texts
    before = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)]
    begin = before[-1] if before else max(0, start - 400)
    stop = _SENTENCE_END.search(text, end, end + 400)
    own_end = stop.end() if stop else min(len(text), end + 400)
    sentence = text[begin:own_end]
    nxt = _SENTENCE_END.search(text, own_end, own_end + 400)
    following = text[own_end : nxt.end() if nxt else min(len(text), own_end + 400)]
    if stop is not None and stop.group(0) in ".!?" and _BACK_REFERENCE.match(following):
        sentence += following
    return " ".join(sentence.split())[:800]


def design_links(path: str, text: str) -> list[Finding]:
    """Links in ``text`` (a README) whose text names the project's design documentation kept
    elsewhere: ``* **[Architecture](https://site/docs/architecture/)**``, ``[Blog post
    explaining how the implementation works and why it is fast.][blog_post]``. Each at the
    line where the link starts; links in HTML comments are not read. Returns findings
    "design documentation link 'TEXT'"."""
    text = blank_html_comments(text)
    found: list[Finding] = []
    line, counted = 1, 0  # lines counted up to ``counted`` (each character once)
    # where the text says that something holds the design: a link's sentence is read only
    # when one of these is near it (one pass over the text, however many links)
    said = [m.start() for m in _DESIGN_SENTENCE.finditer(text)]

    def near(start: int, end: int) -> bool:
        i = bisect.bisect_left(said, start - 400)
        return i < len(said) and said[i] <= end + 800

    for m in _MD_LINK.finditer(text):
        if m.group(1) is None and "href=" not in m.group(2).lower():
            continue  # an HTML anchor without a target
        label = re.sub(r"[*_`]", "", " ".join((m.group(1) or m.group(3) or "").split()))
        if (
            _DESIGN_LINK_TITLE.match(label)
            or _DESIGN_LINK_PHRASE.search(label)
            or (
                near(m.start(), m.end())
                and _DESIGN_SENTENCE.search(_link_sentences(text, m.start(), m.end()))
            )
        ):
            line += text.count("\n", counted, m.start())
            counted = m.start()
            found.append(
                Finding(Source(path=path, line=line), f"design documentation link {label!r}")
            )
    return found


_DOC_DIRS = ("docs/", "doc/", "documentation/", "src/site/", "src/docs/")


def _docs_support_sections(tree: Tree, heading: re.Pattern[str]) -> list[Finding]:
    """Sections of the documentation pages whose heading names the project's support
    (``heading``) and whose text says which of its releases are supported (the rule of a
    README's section, ``_support_section``), at most two."""
    found: list[Finding] = []
    for page in _doc_pages(tree):
        if not_the_projects(page):
            continue
        text = tree.read(page, limit=256 * 1024).text or ""
        found += [
            f for f in _section_matches(page, text, heading) if _support_section(text, page, f)
        ]
        if len(found) >= 2:
            break
    return found[:2]


def _doc_pages(tree: Tree, limit: int = 80) -> list[str]:
    """Markup pages of the documentation directories (docs/, doc/, documentation/, the Maven
    site's src/site/ and Asciidoctor's src/docs/), at most
    ``limit`` of them in path order; changelog fragments and generated API pages are pages
    too but their titles never match what is searched."""
    return [
        p
        for d in _DOC_DIRS
        for p in tree.files_under(d)
        if p.rsplit(".", 1)[-1].lower() in MARKUP_EXT and "/changelog" not in p.lower()
    ][:limit]


_DOWNLOAD_PAGE = re.compile(
    r"(?:^|/)(?:docs?|documentation|site|website|src/site)/(?:[^/\n]+/)*"
    r"(?:download|downloads|verify|verifying|verification|install|installation)[^/\n]*$",
    re.I,
)
_PAGE_EXT = (*MARKUP_EXT, "html", "vm", "xml", "apt")


def _is_page_template(path: str) -> bool:
    """``download.md.in``, ``index.html.in``: a page with a ``.in`` template suffix."""
    inner = path.removesuffix(".in").rpartition("/")[2]
    return "." in inner and inner.rpartition(".")[2].lower() in _PAGE_EXT


# a status heading ("Maintenance status", "Support status") is a support policy only when
# its section says which versions are supported or for how long, not "community-maintained"
_STATUS_HEADING = re.compile(r"\b(?:maintenance|support|version) status\b", re.I)
_SUPPORT_SCOPE = re.compile(
    r"\b(?:versions?|releases?|branch(?:es)?|series|until|end[- ]of[- ]life|EOL|LTS|"
    r"backport\w*|security (?:fixes|updates|patches)|months?|years?)\b",
    re.I,
)
# a heading on the versions of a toolchain or runtime the project needs ("Minimum Rust version
# policy", "Python version support", "MSRV policy") is no support policy of the project's own
# releases (held-out-9b, walkdir), unless its section says what the releases get
_TOOLCHAIN_HEADING = re.compile(
    r"\b(?:msrv|rustc|toolchains?|compilers?|minimum(?: supported)?)\b|" + _RUNTIME.pattern, re.I
)
_RELEASES_SUPPORTED = re.compile(
    r"\bbackport\w*|\b(?:security|bug) (?:fixes|updates|patches)\b|\bsupported until\b|"
    r"\bend[- ]of[- ]life\b|\bEOL\b|\bLTS\b|\blong[- ]term support\b|"
    r"\bno longer (?:supported|maintained)\b|\breceives? (?:\w+ )?(?:fixes|updates|patches)\b",
    re.I,
)


def _support_section(text: str, path: str, heading: Finding) -> bool:
    """Whether a README section whose heading names support is a support policy: a status
    heading ("Maintenance status") only when its section names versions or a period, a heading
    on a toolchain's or runtime's versions only when its section says what the project's own
    releases get (fixes, backports, an end of life)."""
    if _TOOLCHAIN_HEADING.search(heading.detail):
        body = _section_text(text, path, heading.source.line or 1)
        return bool(_RELEASES_SUPPORTED.search(body))
    if _STATUS_HEADING.search(heading.detail):
        return bool(_SUPPORT_SCOPE.search(_section_text(text, path, heading.source.line or 1)))
    if _RELEASING_HEADING.search(heading.detail):
        body = _section_text(text, path, heading.source.line or 1)
        return bool(_RELEASES_SUPPORTED.search(body) or _SAYS_SUPPORTED.search(body))
    return True


# a heading on how the project releases ("Release Policy", "Release schedule") is a support
# policy only when its section says which releases are supported or what they get: pluggy's
# "Release Policy" says it follows semantic versioning and asks users to cap the major version
# (docs/index.rst, held-out-11a), nothing of which releases are supported
_RELEASING_HEADING = re.compile(r"\brelease (?:policy|lifecycle|schedule)\b", re.I)
_SAYS_SUPPORTED = re.compile(r"\b(?:supported|supports?|maintained|maintain)\b", re.I)


# governance said in the README or the contribution guide: a section on it, the body that
# governs the project ("governed by the Eclipse Foundation Development Process", not "governed
# by a BSD-style license" or "governed by the Apache Software Foundation's Code of Conduct"),
# or the maintainers named with their rights
# (not "Our Development Process": the contribution template's section on branches and reviews)
_GOVERNANCE_HEADING = re.compile(
    r"^\W*(?:project |open source )?governance(?: model| structure)?\W*$", re.I
)
_GOVERNED_BY = re.compile(
    r"\b(?:is|are) governed by (?:the )?(?![^.]{0,80}\bcode of conduct\b)"
    r"[\w .,'-]{0,60}?\b(?:development process|governance|"
    r"foundation|steering committee|technical (?:steering|oversight) committee|"
    r"board|charter|bylaws|committers?|maintainers)\b",
    re.I,
)
_MAINTAINERS_WITH_RIGHTS = re.compile(
    r"\b(?:maintainers?|committers?|owners)\b.{0,40}\b(?:merge|commit|write|push|admin|release)"
    r"\w* (?:rights|access|permissions?)\b",
    re.I,
)


# the inbound-licence clause Rust and Apache-licensed projects put under a "Contribution"
# heading ("any contribution intentionally submitted for inclusion ... shall be dual licensed
# as above"): it says under which licence a contribution is taken, not how to contribute
_INBOUND_LICENCE = re.compile(
    r"submitted for inclusion|shall be (?:dual[- ])?licen[cs]ed|contributions? (?:are|is|will be) "
    r"(?:accepted |made )?(?:under|licen[cs]ed)",
    re.I,
)
_CONTRIBUTION_PROCESS = re.compile(
    r"pull[- ]requests?|\bPRs?\b|merge requests?|\bissues?\b|\bfork|\bpatch|\bguide|"
    r"CONTRIBUTING|\bdiscuss|\bbranch|\breview|\bsubmit (?:a|your)|mailing list|\btests?\b",
    re.I,
)


def _licensing_only(section: str) -> bool:
    """A contribution section that only states the inbound licence (no process: pull
    requests, issues, patches, a guide, reviews, tests)."""
    flat = " ".join(section.split())  # the clause wraps across lines
    return bool(_INBOUND_LICENCE.search(flat)) and not _CONTRIBUTION_PROCESS.search(flat)


# a heading that names the contributors, the people ("Contributors", "Other Contributors",
# "Thanks to all our contributors"), not a guide for contributors ("Contributor guide")
_CONTRIBUTORS_HEADING = re.compile(r"\bcontributors\b(?!['’]?s?\s+(?:guide|handbook|notes))", re.I)
_CONTRIBUTING_INVITATION = re.compile(
    r"\bcontribut(?:e|es|ing|ions?)\b|\bwelcome\b|\bhow to\b|\bhelp(?:ing)?\b", re.I
)


def _credits_only(heading: str, section: str) -> bool:
    """A README section that credits the contributors (a heading naming them, a list of
    people or a link to the forge's contributors graph) and says nothing of how to contribute:
    egulias/EmailValidator's "Other Contributors" (held-out-12d) thanks the authors of the
    library it was ported from. Such a section is no contribution guide."""
    if not _CONTRIBUTORS_HEADING.search(heading):
        return False
    flat = " ".join(section.split())
    return not (_CONTRIBUTION_PROCESS.search(flat) or _CONTRIBUTING_INVITATION.search(flat))


# lines that are no prose of the section they stand in: Markdown link reference definitions
# ("[Build Status]: https://.../tests.yml/badge.svg", the "[//]: # (comment)" idiom) and reST
# hyperlink targets and substitution definitions (".. _docs: https://...", ".. |ci| image::"),
# which READMEs gather at the end, under whatever heading comes last
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S|^\.\.\s+(?:_[^:\n]+|\|[^|\n]+\|[^:\n]*):")


def _section_with_subsections(text: str, path: str, line: int) -> str:
    """The text of the Markdown section at ``line`` with its subsections: to the next heading
    of the same or a higher level ("## Pull request rules" and its "### 1. ..." rules)."""
    lines = text.splitlines()

    def level(at: int) -> int:
        row = lines[at - 1].lstrip() if 0 < at <= len(lines) else ""
        return len(row) - len(row.lstrip("#")) or 99  # setext or other: a deep level

    own = level(line)
    after = [h for h, _ in headings(text, path) if h > line and level(h) <= own]
    body = lines[line : (after[0] - 1) if after else len(lines)]
    return "\n".join(row for row in body if not _LINK_DEFINITION.match(row))


def _section_text(text: str, path: str, line: int) -> str:
    """The text of the section whose heading is at ``line`` (to the next heading), without
    link reference definitions and link targets (``_LINK_DEFINITION``): a "Contribution"
    section that ends the README does not describe a process because the badge URLs defined
    after it name ``tests.yml`` or ``issues``."""
    lines = text.splitlines()
    after = [h for h, _ in headings(text, path) if h > line]
    body = lines[line : (after[0] - 1) if after else len(lines)]
    return "\n".join(row for row in body if not _LINK_DEFINITION.match(row))


# a link to a contribution guide or a governance document kept elsewhere (the umbrella
# project's CONTRIBUTING.md / GOVERNANCE.md), by its target file or its text
_LINK = re.compile(
    # reST `text <target>`_: the text is everything before "<" less its trailing spaces
    # (a lazy "[^`<]+?" before "\s*<" rescanned the spaces at every step: quadratic)
    r"\[([^\]]+)\]\(([^)\s]+)\)|`(\s*[^`<\s](?:[^`<]*[^`<\s])?|\s)\s*<([^>\s]+)>`_"
    r"|<a\b[^>]*href=\"([^\"]+)\"[^>]*>([^<]+)</a>"
)
_CONTRIBUTING_LINK = re.compile(
    r"(?:^|/)CONTRIBUTING(?:\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile))?$"
    r"|^contribut\w*\s+(?:guide\w*|docs?|documentation)|^how to contribute$",
    re.I,
)
_GOVERNANCE_LINK = re.compile(
    r"(?:^|/)(?:GOVERNANCE|MAINTAINERS)(?:\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile))?$"
    r"|^(?:project )?governance$",
    re.I,
)


# a sentence that sends would-be contributors somewhere: "If you want to contribute visit",
# "Interested in contributing? See", "To contribute, please read"; not the licence clause on
# contributions ("any contribution intentionally submitted ... shall be licensed")
_CONTRIBUTE_INVITATION = re.compile(
    r"\b(?:want|wish|like|interested|planning|plan)\s+(?:in\s+|to\s+)?"
    r"(?:contribut\w*|get(?:ting)? involved|help(?:ing)? (?:out|develop\w*))\b"
    r"|^\W*to (?:contribute|get involved)\b|\bhow to (?:contribute|get involved)\b",
    re.I,
)
_ANY_URL = re.compile(r"https?://\S+|\]\([^)\s]+\)|<a\b[^>]*href=|`[^`]*<[^>\s]+>`_")


def _contribution_invitations(path: str, text: str) -> list[Finding]:
    """Lines inviting contributions with a link on that line or the next, in the same
    paragraph (a bare URL, Markdown, reST or HTML link): the guide is kept elsewhere, linked."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not _CONTRIBUTE_INVITATION.search(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _ANY_URL.search(line) or _ANY_URL.search(following):
            return [Finding(Source(path=path, line=i + 1), "invitation to contribute, linked")]
    return []


def _linked_documents(path: str, text: str, pattern: re.Pattern[str]) -> list[Finding]:
    """Links (Markdown, reStructuredText, HTML) whose target or text ``pattern`` matches;
    none inside Markdown's fenced code blocks."""
    out: list[Finding] = []
    if path.lower().endswith((".md", ".markdown")):
        text = blank_fenced_code(text)
    for lineno, line in _lines(text):
        for m in _LINK.finditer(line):
            label = (m.group(1) or m.group(3) or m.group(6) or "").strip()
            target = (m.group(2) or m.group(4) or m.group(5) or "").split("#")[0].rstrip("/")
            if target.startswith("#"):
                continue
            if pattern.search(target) or pattern.search(label):
                out.append(Finding(Source(path=path, line=lineno), f"link {label!r}: {target}"))
                break
    return out[:3]


def _paragraph_matches(
    path: str, text: str, pattern: re.Pattern[str], limit: int = 2
) -> list[Finding]:
    """Paragraphs (runs of non-blank lines) matching ``pattern`` once joined: a sentence may
    span lines. The line reported is the paragraph's first line that matches on its own, else
    the line that says "verify", else the paragraph's first line."""
    out: list[Finding] = []
    block: list[tuple[int, str]] = []
    for lineno, line in [*_lines(text), (0, "")]:
        if line.strip():
            block.append((lineno, line))
            continue
        if block and len(block) <= 12:
            joined = " ".join(t.strip() for _, t in block)
            if pattern.search(joined) and not _TOC.match(block[0][1]):
                first = next(
                    (n for n, t in block if pattern.search(t)),
                    next((n for n, t in block if _VERIFY_WORD.search(t)), block[0][0]),
                )
                out.append(Finding(Source(path=path, line=first), joined[:160]))
                if len(out) >= limit:
                    return out
        elif block:  # a long block (a page without blank lines): its HTML/XML paragraphs
            for part in _markup_paragraphs(block):
                joined = " ".join(t.strip() for _, t in part)
                if len(part) > 12 or not pattern.search(joined):  # or line by line
                    hits = [(n, t.strip()) for n, t in part if pattern.search(t)]
                else:
                    first = next(
                        (n for n, t in part if pattern.search(t)),
                        next((n for n, t in part if _VERIFY_WORD.search(t)), part[0][0]),
                    )
                    hits = [(first, joined)]
                for n, t in hits:
                    if not _TOC.match(t):
                        out.append(Finding(Source(path=path, line=n), t[:160]))
                        if len(out) >= limit:
                            return out
        block = []
    return out


# a line that opens or closes a block element of HTML or of a Maven site page (xdoc)
_BLOCK_TAG = re.compile(
    r"^\s*</?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|blockquote|pre|h[1-6]|section|"
    r"subsection|body|source|br)\b[^>]*>",
    re.I,
)


def _markup_paragraphs(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A run of lines cut where a line starts with a block element's tag (``<p>``,
    ``</p>``, ``<li>``, xdoc's ``<subsection>``): HTML and XML pages separate paragraphs by
    tags, not blank lines. Lines that are only a tag are left out."""
    parts: list[list[tuple[int, str]]] = [[]]
    for n, t in block:
        if _BLOCK_TAG.match(t):
            parts.append([])
            if not _BLOCK_TAG.sub("", t, count=1).strip():
                continue
        parts[-1].append((n, t))
    return [p for p in parts if p]


_NAME_FIELDS = (
    ("package.json", re.compile(r'^\s{0,4}"name"\s*:\s*"(?:@[^/"]+/)?([^"]+)"', re.M)),
    ("pyproject.toml", re.compile(r'^\[project\][^\[]*?^name\s*=\s*"([^"]+)"', re.M | re.S)),
    ("Cargo.toml", re.compile(r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"', re.M | re.S)),
    ("composer.json", re.compile(r'^\s{0,4}"name"\s*:\s*"[^/"]+/([^"]+)"', re.M)),
)


def _norm_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def _own_names(tree: Tree) -> set[str]:
    """The names the project publishes under (package manifests at the top of the tree)."""
    names: set[str] = set()
    for path, pattern in _NAME_FIELDS:
        if path in tree.files:
            m = pattern.search(tree.read(path, limit=256 * 1024).text or "")
            if m:
                names.add(_norm_name(m.group(1)))
    return names


# the project's page of the vulnerabilities it fixed, in its documentation sources: Apache
# Commons' src/site/xdoc/security.xml ("Security Reports"), docs/security.md,
# doc/vulnerabilities.html, site/security-advisories.md
_SECURITY_REPORTS_PAGE = re.compile(
    r"^(?:docs?|documentation|website|site|src/site|src/docs)/(?:[^/\n]+/)*"
    r"(?:security|vulnerabilities|security[-_](?:advisories|reports|bulletins?)|advisories|cves?)"
    r"\.(?:md|markdown|rst|txt|adoc|asciidoc|html|xml|apt)$",
    re.I,
)
_REPORT_PAGE_EXT = ("md", "markdown", "rst", "txt", "adoc", "asciidoc", "html", "xml", "apt")
_CVE_ID = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.I)
# a CVE named as an entry: the text of a link (HTML "<a ...>CVE-2024-1</a>", Markdown
# "[CVE-2024-1](...)"), a heading or a list item that opens with it
_CVE_ENTRY = re.compile(
    r">\s*(CVE-\d{4}-\d{4,})\s*</a>|\[\s*(CVE-\d{4}-\d{4,})\s*\]|"
    r"^\s*(?:#{1,6}|[*+-]|=+|<h\d[^>]*>|<subsection[^>]*>|<(?:li|dt|td|th|b|strong)\b[^>]*>)"
    r"\s*(CVE-\d{4}-\d{4,})\b|"
    # a Maven site (xdoc) entry titled by its CVE: <subsection name="CVE-2024-1234">
    r"^\s*<(?:sub)?section\b[^>]*\bname\s*=\s*[\"']\s*(CVE-\d{4}-\d{4,})\b",
    re.I,
)
# the page reports the project's own fixes, not CVEs it merely mentions
_FIXED_WORDS = re.compile(r"\bfixed in\b|\baffect(?:s|ed)\b|\bupgrade to\b", re.I)
# an entry's heading: an xdoc section/subsection, a Markdown/AsciiDoc heading, an HTML heading
_ENTRY_HEADING = re.compile(r"^\s*(?:#{1,6}\s|=+\s|<h\d\b|<(?:sub)?section\b)", re.I)
# a label opening an entry's list of references: "Related links:", "References", "See also"
_REFERENCES_LABEL = re.compile(
    r"^\s*(?:<[^>]+>\s*)*(?:related\s+links|references|see\s+also)\s*:?\s*(?:<[^>]+>\s*)*$", re.I
)


def security_report_entries(path: str, text: str, limit: int = 20) -> list[Finding]:
    """The CVE entries of a page of the project's fixed vulnerabilities (``path:line`` of each
    CVE named as an entry), or [] when the page reports no fix ("None.") or only mentions CVEs.

    Such pages list the newest first, and a newer entry may cite an older CVE ("similar to
    CVE-2012-2098"): an id's own entry is its last occurrence, earlier ones are references.
    An id under an entry's "Related links" / "References" / "See also" label is cited by that
    entry (Commons Collections' 3.2.2 fix cites the CVEs of WebLogic and JBoss): the entry's
    heading is the location, one finding per entry."""
    if not _FIXED_WORDS.search(text):
        return []
    last: dict[str, int] = {}
    heading = 0  # the line of the entry's heading (0: none yet)
    in_references = False
    for lineno, line in _lines(text):
        if _ENTRY_HEADING.match(line):
            heading, in_references = lineno, False
        elif _REFERENCES_LABEL.match(line):
            in_references = True
        for m in _CVE_ENTRY.finditer(line):
            cve = next(g for g in m.groups() if g).upper()
            last.pop(cve, None)  # keep the ids in the order of their own entries
            # a CVE under the entry's "Related links" is cited (often another product's
            # report of the same flaw): the entry is its heading, not the citing line
            last[cve] = heading if in_references and heading else lineno
    entries = sorted(last.items(), key=lambda item: item[1])
    out: list[Finding] = []
    for cve, at in entries:
        if out and out[-1].source.line == at:  # one entry citing several ids: one finding
            out[-1] = Finding(out[-1].source, f"{out[-1].detail}, {cve}")
        else:
            out.append(Finding(Source(path=path, line=at), f"advisory {cve}"))
    return out[:limit]


_REPO_ADVISORY = re.compile(
    r"github\.com/[\w.-]+/([\w.-]+)/security/advisories/(GHSA(?:-[0-9a-z]{4}){3})", re.I
)


def _own_advisory_links(path: str, text: str, own: set[str]) -> list[Finding]:
    """Links in a changelog to advisories published by the project's own repository (a
    dependency's advisory, fixed by an upgrade, is not the project's)."""
    out: list[Finding] = []
    seen: set[str] = set()
    for lineno, line in _lines(text):
        for m in _REPO_ADVISORY.finditer(line):
            if _norm_name(m.group(1)) in own and m.group(2).upper() not in seen:
                seen.add(m.group(2).upper())
                out.append(Finding(Source(path=path, line=lineno), f"advisory {m.group(2)}"))
    return out


# a GitHub advisory named by its id alone ("Fixed ... a denial of service (GHSA-xxxx-xxxx-
# xxxx)"); a CVE id alone is not counted: the corpus (eclipse/mosquitto, guzzle/guzzle) takes
# a CVE named in a changelog for no advisory the project published
_ADVISORY_ID = re.compile(r"\b(GHSA(?:-[0-9a-z]{4}){3})\b", re.I)
# a changelog line about a dependency's advisory, fixed by taking its new release
_DEPENDENCY_FIX = re.compile(
    r"\b(?:bump\w*|upgrad\w*|dependenc\w*|vendored|bundled|transitive|"
    r"updated? \S+ (?:to|from)\b)",
    re.I,
)
# a link to another place's advisory page: whose it is, the link says
_ADVISORY_URL = re.compile(r"https?://\S*?(GHSA(?:-[0-9a-z]{4}){3})", re.I)


def _named_advisory_ids(path: str, text: str, known: list[Finding]) -> list[Finding]:
    """GitHub advisories a changelog names by id in its own entries ("Fixed the unsafe link
    filter ... (GHSA-29pj-957v-52mc)"): the project's own fixes, published as GitHub
    advisories. Ids in links are judged by the link (``_own_advisory_links``),
    and a line taking a dependency's new release names that dependency's advisory, not ours
    (held-out-8d, thephpleague/commonmark)."""
    seen = {f.detail.removeprefix("advisory ").upper() for f in known}
    out: list[Finding] = []
    for lineno, line in _lines(text):
        if _DEPENDENCY_FIX.search(line):
            continue
        linked = {m.group(1).upper() for m in _ADVISORY_URL.finditer(line)}
        for m in _ADVISORY_ID.finditer(line):
            ident = m.group(1).upper()
            if ident in linked or ident in seen:
                continue
            seen.add(ident)
            name = "GHSA" + m.group(1)[4:].lower()
            out.append(Finding(Source(path=path, line=lineno), f"advisory {name}"))
    return out


def _doc_links(path: str, text: str) -> list[Finding]:
    """Links named as documentation; a link to a repository's front page is not one (a list
    of projects naming one "Wiki": ``* [Wiki](https://github.com/someone/wiki) - a tiny wiki``).
    A badge linking to the project's API reference on a documentation host (pkg.go.dev,
    docs.rs, hexdocs.pm, Read the Docs...) is one whatever its text ("Go Reference",
    "GoDoc")."""
    found: list[Finding] = []
    if path.lower().endswith((".md", ".markdown")):
        text = blank_fenced_code(text)  # a code block's "[docs]" is no link (held-out-9e)
    for lineno, line in _lines(text):
        m = _DOC_LINK_TEXT.search(line)
        # a link reference definition ("[docs]: https://...", a badge image's
        # "[Documentation]: https://docs.rs/x/badge.svg") is not where the README links its
        # documentation: the line whose text uses the reference is (held-out-8b, -8d)
        if m and not _REPOSITORY_ROOT.match(line[m.end() :]) and not _LINK_DEFINITION.match(line):
            found.append(
                Finding(Source(path=path, line=lineno), f"documentation link {m.group(1)!r}")
            )
        elif badge := _API_DOCS_BADGE.search(line):
            url = next(g for g in badge.groups() if g)
            found.append(Finding(Source(path=path, line=lineno), f"API documentation badge {url}"))
    return found


def _documentation_sentences(path: str, text: str) -> list[Finding]:
    """Sentences of a README that say where the documentation is (``_DOCS_AT_LINK``), read
    only when nothing else in the README points at it."""
    if path.lower().endswith((".md", ".markdown")):
        text = blank_fenced_code(text)
    found: list[Finding] = []
    # over the whole text: a sentence may wrap before its link ("More information can be
    # found in the\n[main Polyfill README](...)")
    for said in _DOCS_AT_LINK.finditer(text):
        url = next((g for g in said.groups() if g), "")
        if url and not _REPOSITORY_URL.match(url):
            lineno = text.count("\n", 0, said.start()) + 1
            found.append(Finding(Source(path=path, line=lineno), f"documentation at {url}"))
    return found


# a sentence that says where the documentation is, whatever the link's text: "The
# documentation is available at [https://py.example.org/](https://py.example.org/)", "Docs
# are hosted on https://x.readthedocs.io" (held-out-12c, apache/iceberg-python's README);
# not the developers' or contributors' documentation, nor a bare "Documentation link at:"
# in a list of other projects' links (zlib's README); "More information can be found in the
# [main README](...)" of a package split out of a larger project (Symfony's polyfills) says
# where its documentation is, as long as the information is not about something else
# ("More information about the security policy ...")
_DOCS_AT_LINK = re.compile(
    r"(?<![\w-])(?<!developer )(?<!contributor )(?<!development )"
    r"(?:(?:documentation|docs)\s+(?:(?:is|are)\s+(?:(?:now\s+)?(?:available|hosted|"
    r"published|located|online)\s+)?|(?:can|may)\s+be\s+(?:found|read|browsed|viewed)\s+|"
    r"lives?\s+)(?:at|on|here)\b"
    r"|(?:more|further|additional|detailed)\s+information\s+(?:(?:can|may)\s+be\s+found|"
    r"is\s+available)\s+(?:in|at|on)\b(?:\s+the)?)\s*:?\s*"
    r"(?:\[[^\]\n]{0,200}\]\(\s*<?(https?://[^\s)>]{1,300})|<?(https?://[^\s)>\]]{1,300}))",
    re.I,
)
# a forge repository's front page ("https://github.com/owner/name"): the code, not its docs
_REPOSITORY_URL = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)"
    r"/[^/\s)]+/[^/\s)#?]+/?$"
)


# a page of a host that publishes packages' API documentation (not its badge image)
_API_DOCS_URL = (
    rf"https?://(?:www\.)?{API_DOCS_HOSTS}"
    r"(?![^\s)\]>\"']*(?:\.svg|\.png|/badge)\b)[^\s)\]>\"']*"
)
# a badge (a linked image) whose link goes there: Markdown ``[![alt](img)](url)``, HTML
# ``<a href="url"><img ...>``, reStructuredText ``.. image:: img`` with ``:target: url``
_API_DOCS_BADGE = re.compile(
    rf"\[!\[[^\]]*\]\([^)]*\)\]\(\s*<?({_API_DOCS_URL})"
    rf"|<a\s[^>]*href=[\"']({_API_DOCS_URL})[\"'][^>]*>\s*<img\b"
    rf"|^\s*:target:\s*({_API_DOCS_URL})",
    re.I,
)


# "(https://github.com/owner/name)" right after the link text: a repository, not its docs
_REPOSITORY_ROOT = re.compile(
    r"\(\s*<?https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)"
    r"/[^/\s)]+/[^/\s)#?]+/?>?\s*\)"
)


def _si_urls(insights: Insights | None) -> list[tuple[str, Finding]]:
    if insights is None:
        return []
    out = []
    for section in (("project", "documentation"), ("repository", "documentation")):
        docs = _get(insights.raw, *section)
        if isinstance(docs, dict):
            for key, value in docs.items():
                if isinstance(value, str) and value:
                    out.append(
                        (str(key), Finding(insights.source, f"{'.'.join(section)}.{key}: {value}"))
                    )
    changelog = _get(insights.raw, "repository", "release", "changelog")
    if isinstance(changelog, str):
        out.append(
            ("changelog", Finding(insights.source, f"repository.release.changelog: {changelog}"))
        )
    return out


# an address starts only where a run of address characters starts (retried from inside a
# long run such as "1.1.1...": quadratic)
_PERSON = re.compile(
    r"@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9_.-]+)?"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)


def _maintainers(tree: Tree, insights: Insights | None, text_of: object) -> list[Finding]:
    people: dict[str, Finding] = {}
    reader = text_of if callable(text_of) else None
    for path in tree.find_all(
        *_variants(
            "MAINTAINERS", "OWNERS", "CODEOWNERS", "COMMITTERS", dirs=("", ".github/", "docs/")
        )
    ):
        text = reader(path) if reader else ""
        for lineno, line in _lines(str(text)):
            if line.lstrip().startswith("#") and not path.upper().endswith(
                ("MAINTAINERS.MD", "OWNERS.MD")
            ):
                continue
            for m in _PERSON.finditer(line):
                people.setdefault(
                    m.group(0).lower(), Finding(Source(path=path, line=lineno), m.group(0))
                )
    if insights is not None:
        for section in (("repository", "core-team"), ("project", "administrators")):
            team = _get(insights.raw, *section)
            if isinstance(team, list):
                for person in team:
                    name = _get(person, "name")
                    if isinstance(name, str):
                        people.setdefault(
                            name.lower(), Finding(insights.source, f"{'.'.join(section)}: {name}")
                        )
    return list(people.values())
