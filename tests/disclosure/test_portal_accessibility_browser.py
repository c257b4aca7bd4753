"""Browser checks of accessibility on the public pages: labels, contrast, keyboard.

Issue 6 asks for an accessible portal. On the search page, a profile and the
objection form, in Chromium: every form control has a label, every visible
text meets the WCAG AA contrast ratio against its effective background
(4.5:1, 3:1 for large text), and the first Tab reaches the skip link.
"""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import pytest

from .objection_support import _clean_cache, enterprise, penalty  # noqa: F401

# Runs in the page: returns the problems found (empty when all is well).
AUDIT_JS = """
() => {
  const problems = [];
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(',').map((x) => parseFloat(x));
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1;
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue;
    const text = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
    if (!text) continue;
    const s = getComputedStyle(el);
    const fg = parse(s.color);
    const bg = background(el);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(s.fontWeight, 10) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)} for "${text.slice(0, 30)}" (${el.tagName}.${el.className})`);
    }
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!labelled) problems.push(`no label for ${el.tagName} name=${el.name}`);
  }
  return problems;
}
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("device", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)]
)
def test_portal_pages_have_labels_contrast_and_a_skip_link(
    live_server, browser_page, penalty, device, width, height
):
    entity = penalty["enterprise"]
    record = penalty["record"]
    page = browser_page(width=width, height=height)
    # The audit itself finds grey-on-white text and an unlabelled box.
    page.set_content(
        '<p style="color:#aaa">浅灰文字</p><input name="q"><label>标签<input name="ok"></label>'
    )
    assert len(page.evaluate(AUDIT_JS)) == 2
    pages = [
        "/portal/?q=椰风",
        "/portal/?q=查无此企业名称",
        f"/portal/e/{entity.uscc}/",
        f"/portal/objections/new/?enterprise={entity.uscc}&resource=TCF&record={record.pk}",
        "/portal/objections/status/",
        "/portal/announcements/",
        "/portal/lists/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        assert page.evaluate(AUDIT_JS) == [], path
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "#main", path
