"""A WordPress post's HTML → an editable Byline body.

Byline stores an article's body as Markdown with HTML allowed, and renders it (markdown-it,
then nh3) when it is saved. So an imported post keeps its HTML, made safe and made stable
under Markdown:

1. block-editor comments (`<!-- wp:paragraph -->`) and `<!--more-->` are removed: the HTML
   between them is the post; dynamic blocks (`<!-- wp:latest-posts /-->`) have none;
2. shortcodes WordPress itself knows are converted: `[caption]` to a figure with its
   caption, `[embed]`, `[video]`, `[audio]` and the usual embed shortcodes to links,
   `[code]`/`[sourcecode]` to a code block; `[gallery]` is kept for the importer to turn
   into the gallery's images once it has read the attachments; other bracketed text is
   text, as on WordPress when no plugin claims it;
3. the HTML is sanitised with the same allow-list as every article (nh3);
4. loose text becomes paragraphs as WordPress's `wpautop` does (blank line → new
   paragraph, line break → `<br>` in classic-editor posts), and every top-level block is
   written so that Markdown passes it through untouched: no blank line inside a block
   (blank lines in `<pre>` become `&#10;`), so `*`, `_` or indented lines inside HTML are
   never read as Markdown.

The result is a fixed point: converting it again gives it back, so a re-import or a round
trip through `export-wxr` changes nothing."""

import re
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser

from byline.articles.rendering import sanitize_html

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_SPECIAL_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
_ENCLOSING = ("caption", "wp_caption", "embed", "code", "sourcecode", "video", "audio")
_EMBEDS = (
    "youtube", "vimeo", "tweet", "twitter", "instagram", "soundcloud", "spotify",
    "googlemaps", "dailymotion", "flickr", "slideshare", "ted", "wpvideo",
)  # fmt: skip
_DROPPED = ("playlist", "contact-form", "contact-form-7", "gravityform", "wpforms")
_MEDIA_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a")
_ENCLOSING_SHORTCODE = re.compile(
    r"\[(%s)\b([^\]]*)\](.*?)\[/\1\]" % "|".join(_ENCLOSING),  # noqa: UP031
    re.DOTALL | re.IGNORECASE,
)
_SINGLE_SHORTCODE = re.compile(
    r"\[(%s)\b(=?[^\]]*?)/?\]" % "|".join(("video", "audio", *_EMBEDS, *_DROPPED)),  # noqa: UP031
    re.IGNORECASE,
)
GALLERY_SHORTCODE = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
_CAPTIONED_IMAGE = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE
)
_LANGUAGE = re.compile(r"^[\w+-]{1,30}$")
_URL_ALONE = re.compile(r"^https?://[^\s<>\"']+$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")

BLOCK_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li", "blockquote", "pre",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption",
    "hr",
}  # fmt: skip
VOID_TAGS = {"br", "hr", "img", "wbr"}


def shortcode_attributes(text: str) -> dict[str, str]:
    """WordPress's `shortcode_parse_atts`: name="value", name='value', name=value, or
    bare values (numbered from 0)."""
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_index in (0, 2, 4):
            if groups[name_index]:
                found[groups[name_index].lower()] = groups[name_index + 1]
                break
        else:
            found[str(position)] = next(value for value in groups[6:] if value is not None)
            position += 1
    return found


def _link(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def _caption(attributes: dict[str, str], inner: str) -> str:
    match = _CAPTIONED_IMAGE.match(inner)
    image, text = (match.group(1), match.group(2)) if match else ("", inner)
    caption = attributes.get("caption") or text.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{image}{figcaption}</figure>\n\n"


def _code(attributes: dict[str, str], inner: str) -> str:
    language = attributes.get("lang") or attributes.get("language") or ""
    css = f' class="language-{language}"' if _LANGUAGE.match(language) else ""
    code = escape(unescape(inner.strip("\n")), quote=False)
    return f"\n\n<pre><code{css}>{code}</code></pre>\n\n"


def _media_links(attributes: dict[str, str], inner: str = "") -> str:
    urls = [attributes[key] for key in _MEDIA_SOURCES if attributes.get(key)]
    if inner.strip():
        urls.append(inner.strip())
    return " ".join(_link(url) for url in dict.fromkeys(urls))


def _enclosing(match: re.Match) -> str:
    name, attributes, inner = (
        match.group(1).lower(),
        shortcode_attributes(match.group(2)),
        match.group(3),
    )
    if name in ("caption", "wp_caption"):
        return _caption(attributes, inner)
    if name in ("code", "sourcecode"):
        return _code(attributes, inner)
    if name == "embed":
        return _link(inner)
    return _media_links(attributes, inner)


def _single(match: re.Match) -> str:
    name, rest = match.group(1).lower(), match.group(2)
    if name in _DROPPED:
        return ""
    if rest.startswith("="):  # [youtube=https://…]
        return _link(rest[1:].split()[0] if rest[1:].split() else "")
    attributes = shortcode_attributes(rest)
    if name in ("video", "audio"):
        return _media_links(attributes)
    url = attributes.get("url") or attributes.get("0") or attributes.get("id", "")
    return _link(url) if url.startswith(("http://", "https://")) else ""


def convert_shortcodes(text: str) -> str:
    text = _ENCLOSING_SHORTCODE.sub(_enclosing, text)
    return _SINGLE_SHORTCODE.sub(_single, text)


class _Element:
    __slots__ = ("attributes", "children", "tag")

    def __init__(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attributes = attributes
        self.children: list[_Element | str] = []


class _TreeBuilder(HTMLParser):
    """A tree of sanitised (so well-formed) HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("", [])
        self._stack = [self.root]

    def handle_starttag(self, tag, attrs) -> None:
        element = _Element(tag, attrs)
        self._stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self._stack.append(element)

    def handle_startendtag(self, tag, attrs) -> None:
        self._stack[-1].children.append(_Element(tag, attrs))

    def handle_endtag(self, tag) -> None:
        for index in range(len(self._stack) - 1, 0, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data) -> None:
        self._stack[-1].children.append(data)


def _is_block(node) -> bool:
    return isinstance(node, _Element) and node.tag in BLOCK_TAGS


def _break_lines(nodes: list) -> list:
    """Line breaks in loose text become <br>, as in a classic-editor post."""
    result: list = []
    for node in nodes:
        if isinstance(node, str) and "\n" in node:
            after_break = (
                bool(result) and isinstance(result[-1], _Element) and (result[-1].tag == "br")
            )
            lines = node.split("\n")
            for index, line in enumerate(lines):
                if index:
                    if not (index == 1 and after_break and not lines[0].strip()):
                        result.append(_Element("br", []))
                    result.append("\n")
                if line:
                    result.append(line)
        else:
            result.append(node)
    return result


def _paragraph(nodes: list, breaks: bool) -> _Element | None:
    while nodes and isinstance(nodes[0], str) and not nodes[0].strip():
        nodes = nodes[1:]
    while nodes and isinstance(nodes[-1], str) and not nodes[-1].strip():
        nodes = nodes[:-1]
    if not nodes:
        return None
    if isinstance(nodes[0], str):
        nodes = [nodes[0].lstrip(), *nodes[1:]]
    if isinstance(nodes[-1], str):
        nodes = [*nodes[:-1], nodes[-1].rstrip()]
    if len(nodes) == 1 and isinstance(nodes[0], str) and _URL_ALONE.match(nodes[0]):
        link = _Element(
            "a", [("href", nodes[0]), ("rel", "noopener noreferrer")]
        )  # WordPress would embed a lone URL
        link.children.append(nodes[0])
        nodes = [link]
    element = _Element("p", [])
    element.children = _break_lines(nodes) if breaks else nodes
    return element


def _paragraphs(nodes: list, breaks: bool) -> list:
    """wpautop: runs of loose inline content become paragraphs, split at blank lines."""
    result: list = []
    run: list = []

    def flush() -> None:
        paragraphs: list[list] = [[]]
        for node in run:
            if isinstance(node, str):
                for index, part in enumerate(_BLANK_LINES.split(node)):
                    if index:
                        paragraphs.append([])
                    if part:
                        paragraphs[-1].append(part)
            else:
                paragraphs[-1].append(node)
        for nodes_of_paragraph in paragraphs:
            if (paragraph := _paragraph(nodes_of_paragraph, breaks)) is not None:
                result.append(paragraph)
        run.clear()

    for node in nodes:
        if _is_block(node):
            flush()
            if node.tag == "blockquote" and any(
                not _is_block(child) and (not isinstance(child, str) or child.strip())
                for child in node.children
            ):
                node.children = _paragraphs(node.children, breaks)
            result.append(node)
        else:
            run.append(node)
    flush()
    return result


def _serialize(node, out: list[str], in_pre: bool, rewrite: Callable[[str], str] | None) -> None:
    if isinstance(node, str):
        text = escape(node, quote=False)
        if in_pre:
            out.append(re.sub(r"\n(?=[ \t]*\n)", "&#10;", text))
        else:
            out.append(_BLANK_LINES.sub("\n", text))
        return
    attributes = ""
    for name, value in node.attributes:
        value = value or ""
        if rewrite and name in ("src", "href"):
            value = rewrite(value)
        attributes += f' {name}="{escape(value)}"'
    out.append(f"<{node.tag}{attributes}>")
    if node.tag in VOID_TAGS:
        return
    for child in node.children:
        _serialize(child, out, in_pre or node.tag == "pre", rewrite)
    out.append(f"</{node.tag}>")


def markdown_safe_html(html: str, *, breaks: bool, rewrite=None) -> str:
    """Sanitised HTML laid out as top-level blocks that Markdown leaves alone."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    blocks = []
    for block in _paragraphs(builder.root.children, breaks):
        out: list[str] = []
        _serialize(block, out, False, rewrite)
        blocks.append("".join(out).strip())
    return "\n\n".join(block for block in blocks if block) + ("\n" if blocks else "")


def wordpress_body(html: str, *, rewrite: Callable[[str], str] | None = None) -> str:
    """The Byline body for a WordPress post's `content:encoded`. `rewrite` maps a link or
    image address to a new one (uploaded media found locally)."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in html
    html = _SPECIAL_COMMENT.sub("", _BLOCK_COMMENT.sub("", html))
    html = _H1.sub(r"<\1h2", convert_shortcodes(html))
    return markdown_safe_html(sanitize_html(html), breaks=not has_blocks, rewrite=rewrite)


def wordpress_text(html: str) -> str:
    """Plain text of a WordPress title or excerpt."""
    from byline.articles.rendering import plain_text

    return plain_text(sanitize_html(html))
