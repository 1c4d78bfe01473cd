"""The XSS vectors of ../shared/corpus: every payload of the payloadbox list, the OWASP
filter-evasion cheat sheet and the HTML5 Security Cheatsheet (its JSON items and its
2014 text rendering), each once, in corpus order."""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
_H5SC_TEXT_ITEM = re.compile(r'<div id="(\d+)">(.*?)//\["\'`-->\]\]>\]</div>', re.DOTALL)


@dataclass(frozen=True)
class Vector:
    source: str  # collection and item, e.g. "payloadbox:17"
    text: str


def corpus_or_skip() -> Path:
    """The corpus folder; absent, the test is skipped with the reason, or fails under
    BYLINE_REQUIRE_CORPUS=1 (as in CI)."""
    if (CORPUS / "xss-payloadbox").is_dir():
        return CORPUS
    message = f"the XSS corpus is not at {CORPUS} (../shared/corpus beside the repository)"
    if os.environ.get("BYLINE_REQUIRE_CORPUS") == "1":
        pytest.fail("BYLINE_REQUIRE_CORPUS=1 but " + message)
    pytest.skip(message)


def load_vectors(corpus: Path) -> list[Vector]:
    found: list[Vector] = []
    lines = (corpus / "xss-payloadbox" / "xss-payload-list.txt").read_text(encoding="utf-8")
    found += [
        Vector(f"payloadbox:{n}", line)
        for n, line in enumerate(lines.split("\n"), start=1)
        if line.strip()
    ]
    owasp = json.loads(
        (corpus / "xss-owasp-filter-evasion" / "owasp-xss-vectors.json").read_text("utf-8")
    )
    found += [Vector(f"owasp:{item['n']}", item["vector"]) for item in owasp]
    h5sc = json.loads((corpus / "xss-h5sc" / "h5sc-vectors.json").read_text("utf-8"))
    found += [Vector(f"h5sc:{item['id']}", item["vector"]) for item in h5sc]
    text = (corpus / "xss-h5sc" / "vectors.txt").read_text("utf-8")
    found += [Vector(f"h5sc-2014:{n}", body) for n, body in _H5SC_TEXT_ITEM.findall(text)]
    unique: dict[str, Vector] = {}
    for vector in found:
        unique.setdefault(vector.text, vector)
    return list(unique.values())
