from django.db import models


class WordPressItem(models.Model):
    """Where a Byline row came from: one WordPress author, term, post, page or comment of
    one WordPress site. The source key (site, kind, WordPress ID) is unique, so a second
    import of the same export finds every row it made and changes nothing; `digest` is a
    hash of the values the import wrote, so an edited item is updated and an unchanged
    one skipped. `old_path` and `slug` let the site's old links redirect to the new ones."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "author"
        CATEGORY = "category", "category"
        TAG = "tag", "tag"
        POST = "post", "post (article)"
        PAGE = "page", "page"
        COMMENT = "comment", "comment on an article"
        PAGE_COMMENT = "page-comment", "comment on a page"

    source = models.CharField(
        max_length=200, help_text="The WordPress site, from the export's base_blog_url."
    )
    kind = models.CharField(max_length=20, choices=Kind)
    wp_id = models.CharField(
        "WordPress ID", max_length=200, help_text="Post, term or comment ID; author login."
    )
    object_id = models.BigIntegerField(help_text="The primary key of the Byline row.")
    slug = models.CharField(max_length=200, blank=True, help_text="The WordPress slug.")
    old_path = models.CharField(
        max_length=500, blank=True, help_text="The path of the item's old address."
    )
    guid = models.CharField(max_length=500, blank=True)
    digest = models.CharField(max_length=64)
    views = models.BigIntegerField(default=0, help_text="Imported views already counted.")
    data = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress item"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wp_id"], name="wordpressitem_source_key"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "wp_id"], name="wordpressitem_id_idx"),
            models.Index(fields=["kind", "slug"], name="wordpressitem_slug_idx"),
            models.Index(fields=["old_path"], name="wordpressitem_path_idx"),
            models.Index(fields=["kind", "object_id"], name="wordpressitem_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.wp_id} → {self.object_id}"
