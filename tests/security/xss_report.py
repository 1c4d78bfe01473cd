"""The XSS test's report: vectors tried per place, refused at input, executed, and what
the browser saw. Printed at the end of the pytest run (conftest.py) and written to
BYLINE_XSS_REPORT when that names a file (bench/RESULTS.md quotes it)."""

from datetime import UTC, datetime
from pathlib import Path

SUMMARIES: list[str] = []


def summarize(
    *, vectors: int, contexts, refusals: dict, findings, pages: dict, seconds: dict
) -> str:
    lines = [
        f"XSS corpus in Chromium ({datetime.now(UTC):%Y-%m-%d}): {vectors} distinct vectors "
        f"in {len(contexts)} places = {vectors * len(contexts)} renderings tried; "
        f"executed: {len(findings.executed)}.",
        "",
        "| place | vectors tried | refused at input (kept out of storage) | executed |",
        "| --- | ---: | ---: | ---: |",
    ]
    for context in contexts:
        refused = refusals.get(context, 0)
        lines.append(f"| {context} | {vectors} | {refused} | 0 |")
    lines += [
        "",
        f"Pages loaded: {findings.pages} "
        + "("
        + "; ".join(f"{name}: {count}" for name, count in pages.items())
        + ").",
        f"Executions (alert/prompt/confirm/print calls, __xss flag, dialogs, page errors, "
        f"pop-ups, navigations): {len(findings.executed)}.",
        f"CSP violations reported by the browser: {len(findings.violations)} "
        f"(besides {len(findings.blocked_loads)} loads of images from other sites that the "
        "policy blocked, from articles' Markdown).",
        f"Active content found in the DOM (script-like elements, on* attributes, "
        f"javascript:/data: URLs): {len(findings.active_content)}.",
        f"Requests to any other origin: {len(findings.outside_requests)}.",
        "Time: " + ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()) + ".",
    ]
    for title, items in [
        ("executed", findings.executed),
        ("CSP violations", findings.violations),
        ("blocked loads", findings.blocked_loads),
        ("active content", findings.active_content),
        ("outside requests", findings.outside_requests),
    ]:
        if items:
            lines += ["", f"First {title}:"] + [f"- {item}" for item in items[:15]]
    text = "\n".join(lines)
    if findings.executed:  # the table's last column is 0 only when nothing ran
        text = text.replace("| 0 |", "| see below |")
    SUMMARIES.append(text)
    return text


def publish(summary: str, path: str | None) -> None:
    if path:
        Path(path).write_text(summary + "\n", encoding="utf-8")
