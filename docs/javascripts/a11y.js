// Accessibility fixes for markup that Material for MkDocs creates or changes in the browser.
// - Material wraps the copy button of every code block in a <nav> landmark without a name, so a
//   page with several code blocks has several identical landmarks (axe: landmark-unique). The
//   buttons are not navigation: the wrappers lose their landmark role.
// - Material removes tabindex from scrollable code blocks on devices without hover (phones), which
//   leaves them unscrollable from a keyboard (axe: scrollable-region-focusable). Keep it.
// - Material wraps every table in a scrolling box; on a phone a wide table scrolls sideways, so the
//   box must be reachable with the keyboard too.
(function () {
  var NAV = ".md-code__nav:not([role])";
  var BOX = "pre > code:not([tabindex]), .md-typeset__scrollwrap:not([tabindex])";

  function fixNav(nav) {
    nav.setAttribute("role", "presentation");
  }
  function fixBox(box) {
    box.setAttribute("tabindex", "0");
  }
  // Look only where the page changed: searching the whole document after every change took 4 ms
  // a change on the longest chapter (CPU slowed 4x, like Lighthouse's phone) as Material set it up.
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
})();
