# Run through `byline manage shell -c`: the demo site plus $COMMENTS approved comments
# with the texts, names, dates and threading of the peers in ../shared/bench-peers (for
# 30, exactly their comments: 20 top-level, 10 replies).
import os

from byline.demo import seed_demo
from byline.demo.comments import demo_comments_add

article = seed_demo().article
total = int(os.environ.get("COMMENTS", "0"))
demo_comments_add(article=article, count=total)
print(f"seeded the demo article with {total} comments")
