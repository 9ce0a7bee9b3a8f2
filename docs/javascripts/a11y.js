// Accessibility fixes for markup that Material for MkDocs creates or changes in the browser.
// - Material wraps the copy button of every code block in a <nav> landmark without a name, so a
//   page with several code blocks has several identical landmarks (axe: landmark-unique). The
//   buttons are not navigation: the wrappers lose their landmark role.
// - Material removes tabindex from scrollable code blocks on devices without hover (phones), which
//   leaves them unscrollable from a keyboard (axe: scrollable-region-focusable). Keep it.
// - Material wraps every table in a scrolling box; on a phone a wide table scrolls sideways, so the
//   box must be reachable with the keyboard too.
// - Material's search dialog has no accessible name (axe: aria-dialog-name): it gets the search
//   field's.
(function () {
  var NAV = ".md-code__nav:not([role])";
  var BOX = "pre > code:not([tabindex]), .md-typeset__scrollwrap:not([tabindex])";

  function fixNav(nav) {
    nav.setAttribute("role", "presentation");
  }
  function fixBox(box) {
    box.setAttribute("tabindex", "0");
  }
  // Looks only where the page changed, not through the whole document after every change.
  function fix(root) {
    if (root.matches) {
      if (root.matches(NAV)) fixNav(root);
      if (root.matches(BOX)) fixBox(root);
    }
    root.querySelectorAll(NAV).forEach(fixNav);
    root.querySelectorAll(BOX).forEach(fixBox);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") {
        if (record.target.matches(BOX)) fixBox(record.target);
        return;
      }
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) fix(node);
      });
    });
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["tabindex"],
  });
  fix(document);

  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog) dialog.setAttribute("aria-label", dialog.querySelector("input").getAttribute("aria-label"));
})();
