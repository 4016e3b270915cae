"""What a board says when it had to give way, as ``(code, message)`` for its maker.

* ``G612`` – type was made smaller (a wall poster's body text, a tent's pledges, a card),
  naming the part and the size it reached;
* ``G602`` – a wall poster runs onto more sheets, a part still overflows at its
  smallest size, or pledges were shortened or left out (each cut is marked
  “详见二维码” on the board), naming the member;
* ``G614`` – a member's photo prints at less than :data:`.contexts.PHOTO_MIN_PPI` because the
  source file has too few pixels for the size it is printed at (never enlarged).
"""

from __future__ import annotations

from typing import Any

from .contexts import PHOTO_MIN_PPI, PHOTO_PPI
from .fit import Fit, Over, _walk
from .plan import BoardSpec


def _part(spec: BoardSpec, box: str) -> tuple[str, str | None]:
    """A fit box in words, and the member it belongs to."""
    names = {m.id: m.name for m in spec.context.members}
    side, _, member = box.partition("-")
    if side in {"front", "back"} and member in names:
        return f"{names[member]}的服务卡{'正面' if side == 'front' else '背面'}", names[member]
    person = spec.context.person
    return "承诺文字", person.name if person else None


def _pledges(spec: BoardSpec, box: str) -> int:
    if box.startswith("back-"):
        member = box.removeprefix("back-")
        return next((len(ps) for m, ps in spec.context.member_pledges if m.id == member), 0)
    return len(spec.context.pledges)


def wall_notices(spec: BoardSpec, pages: int, body_pt: float) -> list[tuple[str, str]]:
    page, name = spec.page, f"{spec.entry.label}（{spec.entry.path('pdf')}）"
    out = []
    if body_pt < page.type_pt:
        out.append(("G612", f"{name}内容较多，正文字号已从 {page.type_pt:g} pt 缩小到 {body_pt:g} pt"
                            f"（{page.name} 的下限是 {page.min_type_pt:g} pt）。请精简内容，"
                            "或在 site_config.yml 里把 print.poster_size 改大"))
    if pages > 1:
        out.append(("G602", f"{name}内容太多，正文缩到下限 {page.min_type_pt:g} pt 仍放不下一张 {page.name}，"
                            f"已分成 {pages} 张印刷，每张都印有监督电话、版本号和二维码。请精简内容，"
                            "或在 site_config.yml 里把 print.poster_size 改大"))
    return out


def box_notices(spec: BoardSpec, fit: Fit, over: dict[str, Over], sizes: dict[str, float]) -> list[tuple[str, str]]:
    """Tents and cards: shrunk parts (G612), overflow left (G602), pledges cut (G602)."""
    name = f"{spec.entry.label}（{spec.entry.path('pdf')}）"
    out = []
    shrunk = [f"{_part(spec, b)[0]} {sizes[b]:g} pt" for b in sorted(fit.steps)
              if fit.step(b).scale > 0 and b in sizes]
    if shrunk:
        out.append(("G612", f"{name}有内容放不下设计字号，已缩小：{'、'.join(shrunk[:6])}。请精简承诺内容或岗位名称"))
    if over:
        out.append(("G602", f"{name}有 {len(over)} 处内容缩到最小字号仍放不下（{'、'.join(sorted(over)[:5])}），"
                            "超出的部分没有印出。请精简承诺内容或岗位名称"))
    for box in sorted(fit.steps):
        step = fit.step(box)
        if step.limit is None and step.keep is None:
            continue
        part, member = _part(spec, box)
        hidden = fit.hidden(box, range(_pledges(spec, box)))
        cut = [f"每条承诺最多印 {step.limit} 字"] if step.limit is not None else []
        cut += [f"另有 {hidden} 条没有印出"] if hidden else []
        out.append(("G602", f"{name}上{member or ''}的承诺太长，{part}缩到最小字号仍放不下："
                            f"{'，'.join(cut)}，均注明“详见二维码”。请精简{member or ''}的承诺内容"))
    return out


def photo_ppi(document: Any) -> dict[str, float]:
    """Per photo (its ``alt``, the member's name), the lowest effective ppi it is printed at."""
    found: dict[str, float] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element, image = getattr(box, "element", None), getattr(box, "replacement", None)
            if element is None or image is None or element.tag != "img" or not getattr(image, "width", 0) \
                    or not box.width:
                continue
            scale = max(box.width / image.width, box.height / image.height)  # object-fit: cover
            name = element.get("alt", "")
            found[name] = min(found.get(name, 1e9), round(96 / scale, 1))  # CSS px are 1/96 in
    return found


def photo_notices(spec: BoardSpec, ppi: dict[str, float]) -> list[tuple[str, str]]:
    """G614 for each member whose photo prints below :data:`PHOTO_MIN_PPI`."""
    people = {m.name: m for m in (*spec.context.members, *(p for p in [spec.context.person] if p))}
    out = []
    for name, found in sorted(ppi.items()):
        member = people.get(name)
        if member is None or found >= PHOTO_MIN_PPI:
            continue
        out.append(("G614", f"{spec.entry.label}（{spec.entry.path('pdf')}）上{name}的照片 {member.photo_file} "
                            f"像素不够：按印刷尺寸只有 {found:g} ppi，期望至少 {PHOTO_MIN_PPI} ppi（最好 {PHOTO_PPI} ppi），会发虚。"
                            f"请换一张约 {PHOTO_PPI / found:.1f} 倍大小（长边像素）的原图"))
    return out
