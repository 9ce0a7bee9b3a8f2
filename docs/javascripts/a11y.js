// Accessibility fixes for markup that Material for MkDocs creates or changes in the browser.
// - Material wraps the copy button of every code block in a <nav> landmark without a name, so a
//   page with several code blocks has several identical landmarks (axe: landmark-unique). The
//   buttons are not navigation: the wrappers lose their landmark role.
// - Material removes tabindex from scrollable code blocks on devices without hover (phones), which
//   leaves them unscrollable from a keyboard (axe: scrollable-region-focusable). Keep it.
// - Material wraps every table in a scrolling box; on a phone a wide table scrolls sideways, so the
//   box must be reachable with the keyboard too.
(function () {
  function fix() {
    document.querySelectorAll(".md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "presentation");
    });
    document.querySelectorAll("pre > code:not([tabindex]), .md-typeset__scrollwrap:not([tabindex])").forEach(
      function (box) {
        box.setAttribute("tabindex", "0");
      }
    );
  }
  new MutationObserver(fix).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["tabindex"],
  });
  fix();
})();
