// Self-check of the practice questions (made by src/guide_build/practice.py from includes/questions/).
// Under each question a group of fields (in the page's HTML, hidden without JavaScript by
// overrides/main.html) takes a number (1.204, 10/3, ln(10/3), e^2, 86.7 %), a word, or a choice of
// the lettered list. Check marks every part right or not, gives the hint of a known slip or the
// explanation of each chosen choice, and keeps which questions were answered right in this browser
// only (localStorage), shown per chapter.
(function () {
  var KEY = "diffusion-vs-llms:practice";
  var FUNCTIONS = { ln: Math.log, log: Math.log, log2: Math.log2, log10: Math.log10, exp: Math.exp, sqrt: Math.sqrt };
  var CONSTANTS = { e: Math.E, pi: Math.PI, "π": Math.PI };

  function progress() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }
  function remember(id, state) {
    var all = progress();
    if (all[id] !== "right") all[id] = state; // a question once right stays right until reset
    try {
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch (error) {
      // storage off (private mode): the check still works, without memory
    }
  }

  // A number as a reader types it (1.204, 5,050, 786 432, 10/3, ln(10/3), ln2, e^2, 86.7 %, 4 s);
  // NaN when it is not one. A comma separates thousands, as in the guide's text.
  function parse(text) {
    var s = text.trim().replace(/\u2212/g, "-").replace(/[×·]/g, "*").replace(/÷/g, "/");
    s = s.replace(/(\d),(?=\d{3}\b)/g, "$1").replace(/(\d) (?=\d{3}\b)/g, "$1");
    var scale = 1;
    var percent = /\s*(%|percent)$/i;
    if (percent.test(s)) {
      scale = 0.01;
      s = s.replace(percent, "");
    }
    var value = evaluate(s);
    if (isNaN(value)) value = evaluate(s.replace(/\s*[a-zA-Zµ]+$/, "")); // a unit after the number: 4 s
    return value * scale;
  }
  function evaluate(s) {
    var tokens = s.match(/\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|log(?:2|10)(?=\s*\()|[a-zπ]+|[-+*/^()]|\S/gi) || [];
    var at = 0;
    function peek() {
      return tokens[at];
    }
    function take() {
      return tokens[at++];
    }
    function sum() {
      var value = product();
      while (peek() === "+" || peek() === "-") value = take() === "+" ? value + product() : value - product();
      return value;
    }
    function product() {
      var value = unary();
      for (;;) {
        if (peek() === "*" || peek() === "/") value = take() === "*" ? value * unary() : value / unary();
        else if (peek() !== undefined && /^[\d.a-zπ(]/i.test(peek())) value *= unary(); // 2 ln 2, 2(3)
        else return value;
      }
    }
    function unary() {
      if (peek() === "-") return take() && -unary();
      if (peek() === "+") return take() && unary();
      var base = atom();
      return peek() === "^" ? take() && Math.pow(base, unary()) : base;
    }
    function atom() {
      var token = take();
      if (token === undefined) return NaN;
      if (token === "(") {
        var inner = sum();
        return take() === ")" ? inner : NaN;
      }
      if (/^[\d.]/.test(token)) return parseFloat(token);
      var name = token.toLowerCase();
      if (name in CONSTANTS) return CONSTANTS[name];
      if (name in FUNCTIONS) return FUNCTIONS[name](peek() === "(" ? atom() : unary());
      return NaN;
    }
    var value = sum();
    return at === tokens.length && isFinite(value) ? value : NaN;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function checkChoices(list, section) {
    var correct = list.getAttribute("data-correct").split(",");
    var chosen = [].slice.call(list.querySelectorAll("input:checked")).map(function (input) {
      return input.value;
    });
    var explanations = section.querySelectorAll(
      '.choice-explanations[data-part="' + list.getAttribute("data-part") + '"] > ol > li'
    );
    var notes = chosen.map(function (index) {
      return { html: explanations[index] ? explanations[index].innerHTML : "" };
    });
    var right = chosen.length === correct.length && chosen.every(function (c) {
      return correct.indexOf(c) >= 0;
    });
    return { answered: chosen.length > 0, right: right, notes: notes };
  }

  function checkPart(part) {
    var input = part.querySelector("input");
    var text = input.value;
    if (!text.trim()) return { answered: false };
    if (part.getAttribute("data-kind") === "text") {
      var accepted = JSON.parse(part.getAttribute("data-accept")).map(function (a) {
        return a.trim().toLowerCase();
      });
      return { answered: true, right: accepted.indexOf(text.trim().toLowerCase()) >= 0, notes: [] };
    }
    var value = parse(text);
    if (isNaN(value)) {
      return { answered: true, right: false, notes: [{ text: "“" + text + "” is not a number this page can read." }] };
    }
    var answer = parseFloat(part.getAttribute("data-answer"));
    var tolerance = parseFloat(part.getAttribute("data-tolerance"));
    if (Math.abs(value - answer) <= tolerance) return { answered: true, right: true, notes: [] };
    var hints = JSON.parse(part.getAttribute("data-slips")).filter(function (slip) {
      return Math.abs(value - slip[0]) <= tolerance;
    });
    return {
      answered: true,
      right: false,
      notes: hints.map(function (slip) {
        return { text: slip[1] };
      }),
    };
  }

  function mark(node, result) {
    var badge = node.querySelector(".self-check__mark") || node.appendChild(element("span", "self-check__mark"));
    badge.textContent = !result.answered ? "" : result.right ? "right" : "not right";
    badge.className = "self-check__mark" + (result.answered ? (result.right ? " is-right" : " is-wrong") : "");
  }

  function setUp(group) {
    var question = group.getAttribute("data-question");
    group.classList.add("self-check--live"); // answers back from now on
    group.querySelector(".self-check__actions button").addEventListener("click", check);
    group.addEventListener("keydown", function (event) {
      // Enter in a written answer checks it, as it would submit a form
      if (event.key === "Enter" && event.target.matches("input[type=text]")) {
        event.preventDefault();
        check();
      }
    });
    function check() {
      var feedback = group.querySelector(".self-check__feedback");
      var results = [];
      var answer = group.nextElementSibling;
      group.querySelectorAll(".self-check__part, .choices").forEach(function (part) {
        var result = part.matches(".choices") ? checkChoices(part, answer) : checkPart(part);
        var labelled = part.matches(".choices")
          ? document.getElementById(part.getAttribute("aria-labelledby"))
          : part.querySelector("label");
        result.label = labelled ? labelled.textContent.trim() : "Your answer";
        var input = part.querySelector("input[type=text]");
        if (input) input.setAttribute("aria-invalid", result.answered && !result.right ? "true" : "false");
        mark(part, result);
        results.push(result);
      });
      var answered = results.filter(function (r) {
        return r.answered;
      });
      var right = answered.filter(function (r) {
        return r.right;
      }).length;
      feedback.textContent = "";
      if (results.length > 1) {
        // each part's verdict in words, so that a screen reader hears which part was wrong
        var verdicts = element("ul", "self-check__verdicts");
        results.forEach(function (result) {
          if (result.answered) verdicts.appendChild(element("li", "", result.label + ": " + (result.right ? "right" : "not right")));
        });
        if (verdicts.children.length) feedback.appendChild(verdicts);
      }
      var summary = element("p", "self-check__summary");
      if (!answered.length) summary.textContent = "Type an answer or pick a choice first.";
      else if (right === results.length) summary.textContent = results.length > 1 ? "All " + right + " parts right." : "Right.";
      else if (results.length === 1) summary.textContent = "Not right.";
      else summary.textContent = right + " of " + results.length + " parts right. " + (answered.length < results.length ? "Some are not answered yet." : "");
      feedback.appendChild(summary);
      results.forEach(function (result) {
        (result.notes || []).forEach(function (note) {
          var p = element("div", "self-check__note");
          if (note.html) p.innerHTML = note.html; // an explanation from this page's own answer block
          else if (note.text) p.textContent = note.text;
          else return;
          feedback.appendChild(p);
        });
      });
      if (answered.length) remember(question, right === results.length ? "right" : "tried");
      showProgress();
    }
  }

  function showProgress() {
    var all = progress();
    document.querySelectorAll(".practice-progress").forEach(function (node) {
      var ids = node.getAttribute("data-questions").split(" ");
      var right = ids.filter(function (id) {
        return all[id] === "right";
      }).length;
      node.textContent = right + " of " + ids.length + " right in this browser";
      node.hidden = false;
    });
  }

  function addReset() {
    document.querySelectorAll(".practice-reset").forEach(function (place) {
      if (place.querySelector("button")) return;
      var button = element("button", "md-button", "Forget my answers");
      button.type = "button";
      button.addEventListener("click", function () {
        try {
          localStorage.removeItem(KEY);
        } catch (error) {
          // nothing kept
        }
        showProgress();
      });
      place.appendChild(button);
      place.hidden = false;
    });
  }

  // The fields are not in a <form>: Chromium examines every form of a page as parsing ends (autofill).
  function start() {
    document.querySelectorAll(".self-check:not(.self-check--live)").forEach(setUp);
    addReset();
    showProgress();
  }
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
