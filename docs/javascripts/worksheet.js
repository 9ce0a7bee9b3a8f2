// The worksheet page (made by src/guide_build/worksheet.py): choose a seed and the edition, tick the
// questions, print. The page holds every question with seed 0's numbers; the parametrised ones of
// another seed come from a small file next to the page (seed-7.html), made at build time by the
// same code as `make worksheet`. The chosen questions are numbered 1, 2 ... in the page's order.
(function () {
  var form = document.querySelector(".worksheet-controls");
  var sheet = document.querySelector(".worksheet-sheet");
  if (!form || !sheet) return;
  var entries = Array.prototype.slice.call(sheet.querySelectorAll(".worksheet-question"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=question]"));
  var seedField = form.elements.seed;
  var status = form.querySelector(".worksheet-status");
  var printButton = form.querySelector("[data-print]");
  var seeded = entries.filter(function (entry) {
    return "seeded" in entry.dataset;
  });
  var seeds = { 0: {} }; // seed -> question id -> its HTML for that seed
  seeded.forEach(function (entry) {
    seeds[0][entry.dataset.question] = entry.innerHTML;
  });
  var shownSeed = "0";

  function title(entry) {
    return entry.querySelector("h3").firstChild;
  }

  function show(announce) {
    var chosen = {};
    boxes.forEach(function (box) {
      chosen[box.value] = box.checked;
    });
    var key = form.elements.edition.value === "answer-key";
    var number = 0;
    entries.forEach(function (entry) {
      entry.hidden = !chosen[entry.dataset.question];
      if (entry.hidden) return;
      number += 1;
      title(entry).nodeValue = title(entry).nodeValue.replace(/^Question \d+/, "Question " + number);
    });
    var edition = key ? "Answer key" : "Student edition";
    sheet.dataset.edition = key ? "answer-key" : "student";
    sheet.querySelector(".worksheet-seed").textContent = shownSeed;
    sheet.querySelector(".worksheet-edition-name").textContent = edition;
    printButton.disabled = number === 0;
    if (announce) {
      var count = number === 1 ? "1 question" : number + " questions";
      status.textContent = count + ", seed " + shownSeed + ", " + edition.toLowerCase() + ".";
    }
  }

  function useSeed(seed) {
    seeded.forEach(function (entry) {
      entry.innerHTML = seeds[seed][entry.dataset.question];
      var name = title(entry).nodeValue.replace(/^Question \d+: /, "");
      form.querySelector('input[value="' + entry.dataset.question + '"] + span').textContent = name;
    });
    shownSeed = seed;
    show(true);
  }

  function load(seed) {
    if (seeds[seed]) return useSeed(seed);
    var url = sheet.dataset.fragment.replace("{seed}", seed);
    status.textContent = "Loading the numbers of seed " + seed + " ...";
    fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.text();
      })
      .then(function (text) {
        var template = document.createElement("template");
        template.innerHTML = text;
        var found = {};
        template.content.querySelectorAll(".worksheet-question").forEach(function (entry) {
          found[entry.dataset.question] = entry.innerHTML;
        });
        seeded.forEach(function (entry) {
          if (!(entry.dataset.question in found)) throw new Error("it lacks " + entry.dataset.question);
        });
        seeds[seed] = found;
        if (seedField.value === seed) useSeed(seed);
      })
      .catch(function (error) {
        if (seedField.value !== seed) return; // the reader has chosen another seed since
        seedField.value = shownSeed;
        status.textContent = "The numbers of seed " + seed + " could not be loaded (" + error.message + "); the worksheet keeps seed " + shownSeed + "'s.";
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target === seedField) load(seedField.value);
    else show(true);
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.select) {
      boxes.forEach(function (box) {
        box.checked = button.dataset.select === "all";
      });
      show(true);
    } else if ("print" in button.dataset) {
      window.print();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  // a browser may put back the controls' earlier values (back button, reload): show what they say
  addEventListener("pageshow", function () {
    if (seedField.value !== shownSeed) load(seedField.value);
    else show(false);
  });
  show(false);
})();
