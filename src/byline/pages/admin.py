from django.contrib import admin
from django.urls import reverse

from byline.pages.models import Page, PageComment


class PageCommentInline(admin.TabularInline):
    model = PageComment
    fk_name = "page"
    extra = 0
    fields = ("author_name", "created_at", "status", "body")
    readonly_fields = ("author_name", "created_at", "body")
    can_delete = True
    show_change_link = False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "path", "status", "published_at", "menu_order")
    list_filter = ("status",)
    search_fields = ("title", "path", "body")
    autocomplete_fields = ("author", "parent")
    fieldsets = (
        (None, {"fields": ("title", "path", "body")}),
        ("Publishing", {"fields": ("status", "published_at", "author")}),
        ("Place", {"fields": ("parent", "menu_order")}),
    )
    inlines = [PageCommentInline]

    class Media:
        css = {"all": ["byline/admin.css"]}
        js = ["byline/admin-preview.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":  # the articles' live preview renders pages the same way
            field.widget.attrs.update(
                {"rows": 24, "data-preview-url": reverse("admin:articles_article_preview")}
            )
        return field
