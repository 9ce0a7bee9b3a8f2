// Glossary tooltips: a term's definition (its <abbr title="...">) appears while the term is hovered
// or has keyboard focus, drawn with Material's own tooltip styles (.md-tooltip2), and Escape hides it.
// Most terms are links to their glossary entry (<a class="glossary-term"><abbr>): the link takes the
// focus, and its term shows the definition.
//
// Material's content.tooltips feature does the same, but it sets up every element with a title when
// the page loads, before the reader points at anything: on the longest chapter that was most of the
// work Material's script did once the page was parsed (its DOMContentLoaded handler). This script
// only listens; it builds a tooltip when one is needed.
(function () {
  "use strict";

  var TERM = "abbr[title], abbr[data-title]"; // the title moves to data-title while its tooltip shows
  var shown = null; // {term, tip, inner, hovered, focused}
  var count = 0;
  var placing = false;

  // What the definition describes: the element that has the focus, the term's link if it has one.
  function describedOf(term) {
    return term.closest("a.glossary-term") || term;
  }

  function definitionOf(term) {
    return term.getAttribute("title") || term.getAttribute("data-title") || "";
  }

  // Document coordinates of the term, and the tooltip below its centre (Material's values).
  function place(state) {
    var box = state.term.getBoundingClientRect();
    var style = state.tip.style;
    style.setProperty("--md-tooltip-host-x", box.x + window.scrollX + "px");
    style.setProperty("--md-tooltip-host-y", box.y + window.scrollY + "px");
    style.setProperty("--md-tooltip-x", box.width / 2 + "px");
    style.setProperty("--md-tooltip-y", 8 + box.height + "px");
    style.setProperty("--md-tooltip-width", state.inner.offsetWidth + "px");
  }

  function open(term) {
    var text = definitionOf(term);
    var tip = document.createElement("div");
    var inner = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.setAttribute("role", "tooltip");
    tip.id = "__glossary_tooltip_" + count++;
    tip.style.setProperty("--md-tooltip-tail", "0px");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = text;
    tip.append(inner);
    // Without its title the browser draws no tooltip of its own over this one.
    term.setAttribute("data-title", text);
    term.removeAttribute("title");
    describedOf(term).setAttribute("aria-describedby", tip.id);
    document.body.append(tip);
    var state = { term: term, tip: tip, inner: inner, hovered: false, focused: false };
    place(state);
    requestAnimationFrame(function () {
      // fades in, unless another term took over within the same frame
      if (shown === state) tip.classList.add("md-tooltip2--active");
    });
    return state;
  }

  function restoreTitle(term) {
    if (term.hasAttribute("data-title")) {
      term.setAttribute("title", term.getAttribute("data-title"));
      term.removeAttribute("data-title");
    }
  }

  // keepTitleAway: after Escape the pointer may still rest on the term, and the browser would draw
  // its own tooltip from the title; the title comes back when the term loses hover and focus.
  function close(keepTitleAway) {
    var state = shown;
    shown = null;
    state.tip.classList.remove("md-tooltip2--active");
    describedOf(state.term).removeAttribute("aria-describedby");
    if (!keepTitleAway) restoreTitle(state.term);
    setTimeout(function () {
      state.tip.remove();
    }, 250); // after Material's fade-out
  }

  function update(term, key, value) {
    if (!shown || shown.term !== term) {
      if (!value) return restoreTitle(term); // a term dismissed with Escape gets its title back
      if (shown) close(false);
      shown = open(term);
    }
    shown[key] = value;
    if (shown.hovered || shown.focused) return;
    close(false);
    // The pointer left another term: the focused one shows its definition again.
    var focused = termOf(document.activeElement);
    if (focused && focused !== term) {
      shown = open(focused);
      shown.focused = true;
    }
  }

  // The term of an element: itself or its ancestor, or the term inside a glossary link.
  function termOf(element) {
    if (!(element instanceof Element)) return null;
    return element.closest(TERM) || (element.matches("a.glossary-term") ? element.querySelector(TERM) : null);
  }

  document.addEventListener("mouseover", function (event) {
    var term = termOf(event.target);
    if (term) update(term, "hovered", true);
  });
  document.addEventListener("mouseout", function (event) {
    var term = termOf(event.target);
    if (term && !term.contains(event.relatedTarget)) update(term, "hovered", false);
  });
  document.addEventListener("focusin", function (event) {
    var term = termOf(event.target);
    if (term) update(term, "focused", true);
  });
  document.addEventListener("focusout", function (event) {
    var term = termOf(event.target);
    if (term) update(term, "focused", false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) close(true);
  });

  // A resized window or a scrolled box (a wide table) moves the term: the tooltip follows it.
  function follow() {
    if (!shown || placing) return;
    placing = true;
    requestAnimationFrame(function () {
      placing = false;
      if (shown) place(shown);
    });
  }
  window.addEventListener("resize", follow);
  document.addEventListener("scroll", follow, { capture: true, passive: true });
})();
