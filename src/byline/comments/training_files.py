"""Reading a labelled file for `byline spam train`: CSV with a text column and a label
column. A header names them (text, content, comment or body; label, class or spam);
without one, the first column is the text and the second the label. Labels: spam, 1,
true, yes for spam; ham, 0, false, no, "not spam" for legitimate comments."""

import csv
from dataclasses import dataclass
from pathlib import Path

TEXT_COLUMNS = ("text", "content", "comment", "body")
LABEL_COLUMNS = ("label", "class", "spam", "is_spam")
SPAM_LABELS = {"spam", "1", "true", "yes"}
HAM_LABELS = {"ham", "0", "false", "no", "not spam", "legitimate"}


@dataclass
class LabelledText:
    text: str
    is_spam: bool
    author: str = ""


class LabelledFileError(ValueError):
    """The file cannot be used; the message lists each problem with its line number."""


def _columns(header: list[str]) -> tuple[int, int, int | None] | None:
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    text = next((names.index(name) for name in TEXT_COLUMNS if name in names), None)
    label = next((names.index(name) for name in LABEL_COLUMNS if name in names), None)
    author = names.index("author") if "author" in names else None
    return None if text is None or label is None else (text, label, author)


def labelled_file_read(path: Path, *, max_errors: int = 20) -> list[LabelledText]:
    """All rows, or LabelledFileError naming every bad line (up to `max_errors`)."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise LabelledFileError(f"{path}: cannot be read ({error.strerror}).") from None
    rows: list[LabelledText] = []
    errors: list[str] = []
    with handle:
        reader = csv.reader(handle)
        try:
            first = next(reader, None)
            if first is None:
                raise LabelledFileError(f"{path}: the file is empty.")
            columns = _columns(first)
            data = reader if columns else [first, *reader]
            text_at, label_at, author_at = columns or (0, 1, None)
            for row in data:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(text_at, label_at):
                    errors.append(
                        f"line {line}: expected a text and a label, found {len(row)} column(s)"
                    )
                    continue
                label = row[label_at].strip().lower()
                if label not in SPAM_LABELS | HAM_LABELS:
                    errors.append(
                        f"line {line}: unknown label {row[label_at][:20]!r} (use spam or ham)"
                    )
                    continue
                if not row[text_at].strip():
                    errors.append(f"line {line}: the text is empty")
                    continue
                author = row[author_at] if author_at is not None and author_at < len(row) else ""
                rows.append(LabelledText(row[text_at], label in SPAM_LABELS, author))
        except (csv.Error, UnicodeDecodeError) as error:
            errors.append(f"line {reader.line_num}: not readable as UTF-8 CSV ({error})")
    if errors:
        shown = "\n  ".join(errors[:max_errors])
        more = f"\n  … and {len(errors) - max_errors} more" if len(errors) > max_errors else ""
        raise LabelledFileError(f"{path}: nothing was trained; fix these lines:\n  {shown}{more}")
    if not rows:
        raise LabelledFileError(f"{path}: no labelled rows found.")
    return rows
