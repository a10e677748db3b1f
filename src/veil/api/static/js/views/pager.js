// "1–25 of 80  ‹ Prev  Next ›" for the paginated lists (jobs, audit).

import { clear, h } from "../dom.js";

export function renderPager(box, { total, limit, offset }, go) {
  clear(box);
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  box.appendChild(h("span", { class: "muted pager-info" }, `${first}–${last} of ${total}`));
  box.appendChild(h("button", { class: "secondary small", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, "‹ Prev"));
  box.appendChild(h("button", { class: "secondary small", disabled: offset + limit >= total, onclick: () => go(offset + limit) }, "Next ›"));
}
