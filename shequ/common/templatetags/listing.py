"""Column headers that sort and the page-size choice of a list page (common.listing).

`{% sort_th listing "grade" "等级" "num" %}` → a header whose link sorts by that column;
`{% listing_fields listing %}` inside the filter form keeps the sort and offers 每页 N 条;
`{% pager listing page %}` → 上一页 / 第 n / m 页 / 下一页 with the filters kept."""

from __future__ import annotations

from django import template
from django.core.paginator import Page
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from shequ.common.listing import PAGE_SIZES, Listing

register = template.Library()


@register.simple_tag
def sort_th(listing: Listing, key: str, label: str, css: str = "") -> SafeString:
    direction = listing.direction(key)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(direction, "")
    title = "点击按此列降序排列" if direction == "ascending" else "点击按此列升序排列"
    return format_html(
        '<th{}{}><a class="sort" href="{}" title="{}">{}{}</a></th>',
        format_html(' class="{}"', css) if css else "", format_html(' aria-sort="{}"', direction) if direction else "",
        listing.sort_url(key), title, label, arrow,
    )


@register.simple_tag
def listing_fields(listing: Listing) -> SafeString:
    sort = format_html('<input type="hidden" name="sort" value="{}">', ("-" if listing.desc else "") + listing.sort) \
        if listing.sort else ""
    options = format_html_join("", '<option value="{}"{}>{} 条</option>', (
        (n, " selected" if n == listing.per_page else "", n) for n in PAGE_SIZES))
    return format_html('{}<label class="per-page">每页<select name="per_page">{}</select></label>', sort, options)


@register.simple_tag
def pager(listing: Listing, page: Page) -> SafeString:  # type: ignore[type-arg]
    prev = format_html('<a href="{}" rel="prev">上一页</a>', listing.page_url(page.previous_page_number())) \
        if page.has_previous() else ""
    nxt = format_html('<a href="{}" rel="next">下一页</a>', listing.page_url(page.next_page_number())) \
        if page.has_next() else ""
    return format_html('<div class="pager">{}<span>第 {} / {} 页，共 {} 条</span>{}</div>', prev, page.number,
                       page.paginator.num_pages, page.paginator.count, nxt)
