from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from byline.articles.models import Article, Category, Tag
from byline.articles.rendering import render_markdown
from byline.authors.models import Author


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "status_now", "published_at", "views", "comment_count")
    list_filter = ("status", "categories", "author")
    list_select_related = ("author", "view_count")
    search_fields = ("title", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("categories", "tags")
    autocomplete_fields = ("author",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "author", "body", "excerpt")}),
        ("Publishing", {"fields": ("status", "published_at", "allow_comments")}),
        ("Filing", {"fields": ("categories", "tags")}),
    )

    class Media:
        css = {"all": ["byline/admin.css"]}
        js = ["byline/admin-preview.js"]

    @admin.display(description="status", ordering="status")
    def status_now(self, article: Article) -> str:
        return article.display_status

    @admin.display(description="views", ordering="view_count__views")
    def views(self, article: Article) -> int:
        counter = getattr(article, "view_count", None)
        return counter.views if counter else 0

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).first()
        if author:
            initial.setdefault("author", author.pk)
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs.update(
                {"rows": 24, "data-preview-url": reverse("admin:articles_article_preview")}
            )
        return field

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="articles_article_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            return HttpResponse(status=403)
        return HttpResponse(render_markdown(request.POST.get("body", "")))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
