"""What the every-page walk (tests/browser/test_every_page.py) checks on each page it loads, at
each width, in one call into the page: axe-core's rules (all at 320 px; at 1280 px only what
depends on the width), targets smaller than 24 by 24 CSS px, what scrolls sideways and, at
1280 px with the text at 200%, text cut off. docs/accessibility.md "Every page checked"."""

NARROW, WIDE = 320, 1280
# At 1280 px axe-core runs again only where the outcome can differ with the width: regions that
# scroll, on the whole page, and contrast in tables (below 50rem a table's rows are cards on a
# soft background; no other colour changes with the width, tafel.css). The other rules read the
# document, the same at every width; target sizes are measured at both widths by PROBLEMS
# (stricter than axe's target-size, which allows small targets with space around them).
WIDE_RULES = ["scrollable-region-focusable"]
TABLE_RULES = ["color-contrast"]

# Targets smaller than 24 by 24 CSS px (WCAG 2.2, 2.5.8), what scrolls sideways and, with
# `cut`, text that its box cuts off. A link inside a sentence (inline, with text beside it
# in its block) is the exception 2.5.8 allows.
PROBLEMS = """(cut) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`scrolls sideways: ${root.scrollWidth}px in ${root.clientWidth}px`);
  }
  const unseen = (el) => {
    for (; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.position === "absolute" && style.clip !== "auto") return true;
      if (style.visibility === "hidden") return true;
    }
    return false;
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) {
      block = block.parentElement;
    }
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  let targets = 0;
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (unseen(el)) continue;
    targets += 1;
    if ((box.width < 24 || box.height < 24) && !inSentence(el)) {
      const name = (el.textContent || el.name || el.id || "").trim().slice(0, 40);
      problems.push(`target <${el.localName}> "${name}" is ` +
                    `${Math.round(box.width)}x${Math.round(box.height)}px`);
    }
  }
  if (cut) {
    for (const el of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(el);
      if (!["hidden", "clip"].includes(style.overflowX) || unseen(el)) continue;
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`text cut off at 200%: <${el.localName}> ` +
                      `"${el.textContent.trim().slice(0, 40)}"`);
      }
    }
  }
  return {problems, targets};
}"""


# What the walk checks at each width, in one call into the page (axe-core is there already: an
# init script). At 320 px: all of axe's rules, and PROBLEMS (targets, sideways). At 1280 px:
# the width's axe rules (WIDE_RULES on the page, TABLE_RULES within tables when there are any),
# PROBLEMS, then the text at 200% (the root's 112.5% doubled) and PROBLEMS with `cut`; the text
# goes back to 100% after, so the page can be checked at 320 px next.
CHECK_AT = f"""async ([width, wideRules, tableRules]) => {{
  const problemsOf = {PROBLEMS};
  const found = (context, rules) => axe.run(context, {{
    resultTypes: ["violations"], ...(rules ? {{runOnly: {{type: "rule", values: rules}}}} : {{}})
  }}).then(r => r.violations.map(
    v => `${{v.id}}: ${{v.nodes.length}} × ${{v.help}} (${{v.nodes[0].target}})`));
  const root = document.documentElement;
  if (width === {NARROW}) {{
    const axeFound = await found(document, null);
    const seen = problemsOf(false);
    return {{axe: axeFound, problems: seen.problems, targets: seen.targets, big: []}};
  }}
  const axeFound = await found(document, wideRules);
  if (document.querySelector("table")) {{
    axeFound.push(...await found({{include: [["table"]]}}, tableRules));
  }}
  const seen = problemsOf(false);
  root.style.fontSize = "225%";
  const big = problemsOf(true).problems;
  root.style.fontSize = "";
  return {{axe: axeFound, problems: seen.problems, targets: seen.targets, big}};
}}"""


def check_at(page, width: int, where: str, count: dict) -> list[str]:
    """The page, already at `width`, checked as CHECK_AT says; its problems, each with where."""
    found = page.evaluate(CHECK_AT, [width, WIDE_RULES, TABLE_RULES])
    if width == NARROW:
        count["targets"] += found["targets"]
    at = f"{where} at {width}px"
    return (
        [f"{at}: axe: {v}" for v in found["axe"]]
        + [f"{at}: {p}" for p in found["problems"]]
        + [f"{at}, text 200%: {p}" for p in found["big"]]
    )
