"""Write a synthetic WordPress export (WXR 1.2) of a news site: POSTS posts, COMMENTS
comments spread over them (every third a reply, threads up to 5 deep), 20 authors, 40
categories, 200 tags, view counts in `post_views_count`, classic-editor and block-editor
bodies with captions. Streamed to the file: a 1 GB export takes no memory to write.

    .venv/bin/python bench/wxr_generate.py OUT.xml --posts 10000 --comments 100000
"""

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Tech News</title>
<link>https://generated.example</link>
<description>A synthetic export for benchmarks</description>
<language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://generated.example</wp:base_site_url>
<wp:base_blog_url>https://generated.example</wp:base_blog_url>
"""
WORDS = (
    "phone", "launch", "chip", "battery", "camera", "screen", "update", "security", "privacy",
    "cloud", "startup", "funding", "market", "review", "benchmark", "android", "iphone",
    "laptop", "server", "network", "browser",
)  # fmt: skip
STATES = ["1"] * 17 + ["0", "spam", "trash"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6)))


def body(rng: random.Random, post_id: int) -> str:
    paragraphs = [paragraph(rng) for _ in range(rng.randint(3, 6))]
    image = (
        f'[caption id="attachment_{post_id}" align="alignnone" width="600"]'
        f'<img src="https://generated.example/wp-content/uploads/2020/01/p{post_id}.jpg" '
        f'alt="Photo" width="600" height="400" /> A caption[/caption]'
    )
    if post_id % 2:  # classic editor: loose text, blank lines between paragraphs
        return "\n\n".join([paragraphs[0], image, *paragraphs[1:]])
    blocks = [
        f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in paragraphs
    ]
    return "\n\n".join(blocks)


def comment(rng: random.Random, comment_id: int, parent: int, when: datetime) -> str:
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    return f"""<wp:comment>
<wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {comment_id % 5000}]]></wp:comment_author>
<wp:comment_author_email>reader{comment_id % 5000}@mail.example</wp:comment_author_email>
<wp:comment_author_url>https://reader{comment_id % 97}.example/</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[198.51.100.{comment_id % 250}]]></wp:comment_author_IP>
<wp:comment_date><![CDATA[{stamp}]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[{stamp}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[{sentence(rng, rng.randint(6, 30))}]]></wp:comment_content>
<wp:comment_approved><![CDATA[{rng.choice(STATES)}]]></wp:comment_approved>
<wp:comment_type><![CDATA[]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>
"""


def generate(path: Path, *, posts: int, comments: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    per_post, extra = divmod(comments, posts)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, 21):
            out.write(
                f"<wp:author><wp:author_id>{n}</wp:author_id>"
                f"<wp:author_login><![CDATA[writer{n}]]></wp:author_login>"
                f"<wp:author_email><![CDATA[writer{n}@newsroom.example]]></wp:author_email>"
                f"<wp:author_display_name><![CDATA[Writer {n}]]></wp:author_display_name>"
                "<wp:author_first_name><![CDATA[]]></wp:author_first_name>"
                "<wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>\n"
            )
        for n in range(1, 41):
            parent = f"section-{(n - 1) // 8 + 1}" if n > 5 else ""
            name = f"section-{n}"
            out.write(
                f"<wp:category><wp:term_id>{n}</wp:term_id>"
                f"<wp:category_nicename><![CDATA[{name}]]></wp:category_nicename>"
                f"<wp:category_parent><![CDATA[{parent}]]></wp:category_parent>"
                f"<wp:cat_name><![CDATA[Section {n}]]></wp:cat_name></wp:category>\n"
            )
        for n in range(1, 201):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>topic-{n}</wp:tag_slug>"
                f"<wp:tag_name><![CDATA[Topic {n}]]></wp:tag_name></wp:tag>\n"
            )
        for post_id in range(1, posts + 1):
            when = start + timedelta(minutes=37 * post_id)
            stamp = when.strftime("%Y-%m-%d %H:%M:%S")
            slug = f"story-{post_id}-{rng.choice(WORDS)}"
            terms = "".join(
                f'<category domain="category" nicename="section-{c}">Section {c}</category>'
                for c in rng.sample(range(1, 41), 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="topic-{t}">Topic {t}</category>'
                for t in rng.sample(range(1, 201), 3)
            )
            out.write(
                f"""<item>
<title><![CDATA[{sentence(rng, 8)}]]></title>
<link>https://generated.example/{when:%Y/%m/%d}/{slug}/</link>
<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>
<dc:creator><![CDATA[writer{post_id % 20 + 1}]]></dc:creator>
<guid isPermaLink="false">https://generated.example/?p={post_id}</guid>
<description></description>
<content:encoded><![CDATA[{body(rng, post_id)}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{stamp}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{stamp}]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status>
<wp:ping_status><![CDATA[open]]></wp:ping_status>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[]]></wp:post_password>
<wp:is_sticky>0</wp:is_sticky>
{terms}
<wp:postmeta><wp:meta_key>post_views_count</wp:meta_key>
<wp:meta_value>{rng.randint(0, 50000)}</wp:meta_value></wp:postmeta>
"""
            )
            thread: list[tuple[int, int]] = []  # (comment id, depth)
            for index in range(per_post + (1 if post_id <= extra else 0)):
                comment_id += 1
                parent, depth = 0, 1
                if index % 3 == 2 and thread:
                    parent_id, parent_depth = rng.choice(thread)
                    if parent_depth < 5:
                        parent, depth = parent_id, parent_depth + 1
                thread.append((comment_id, depth))
                out.write(comment(rng, comment_id, parent, when + timedelta(minutes=index + 1)))
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    generate(args.out, posts=args.posts, comments=args.comments)
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
