"""The ranking pages: one table per ranking (see :mod:`generator.rankings`), linked to each other."""

from __future__ import annotations

from .. import urls
from ..model import Site
from ..rankings import RANKINGS, ranking_rows
from .overview import TableContext, table_pages
from .plan import PageSpec
from .trendview import trend_view

BOARDS = (("满意率", urls.ledger("rankings")), ("践诺率", urls.ranking("fulfilment")),
          ("星级", urls.ranking("stars")), ("荣誉", urls.ranking("awards")))


RATES = ("满意率", "践诺率")  # ranked by exact ratios; the others by counts


def ranking_pages(site: Site) -> list[PageSpec]:
    """One table page per ranking, linked to each other."""
    specs = []
    trend = trend_view(site, None, "全部单位")
    for label, path in BOARDS:
        columns, rows = ranking_rows(site, label)
        cells = tuple(((str(n), None), (u.short_name, urls.unit(u.id)), *((c, None) for c in texts)) for n, u, texts in rows)
        links = tuple((lab, p, lab == label) for lab, p in BOARDS)
        ties = ("名次按准确的比值（括号里的分子、分母）排列，比值相同的名次相同；四舍五入后百分比相同的，名次仍可能不同"
                if label in RATES else "并列的名次相同")
        intro = f"{RANKINGS[label][2](site)}；数据截至 {site.as_of}，{ties}。"
        context = TableContext(f"排行榜：{label}", intro, ("名次", "单位", *columns), cells, links=links,
                               downloads=urls.downloads("rankings"), trend=trend if label == "满意率" else None)
        specs += table_pages(path, "排行榜" if label == "满意率" else f"排行榜：{label}", context)
    return specs
