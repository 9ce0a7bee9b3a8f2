// Explorable figures: controls that move a figure, with numbers computed at build time by the
// guide's package (src/diffusion_vs_llms/figures, figures/<name>.json). Without JavaScript, and on
// paper, the drawn figure stays. Loaded only on pages that have one (overrides/main.html).
(function () {
  var SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // 3 significant digits; below 0.001 as "4.04 × 10⁻⁵"
  function significant(value) {
    if (value !== 0 && Math.abs(value) < 0.001) {
      var parts = value.toExponential(2).split("e");
      var power = String(Number(parts[1])).replace(/./g, function (c) {
        return SUPERSCRIPT[c];
      });
      return parts[0] + " × 10" + power;
    }
    return String(Number(value.toPrecision(3)));
  }

  function bytes(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  // The noise level: x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps for any t, on either schedule.
  function noiseLevel(figure, id) {
    var canvas = element("canvas", { class: "explorable__image", role: "img" });
    var slider = element("input", { type: "range", id: id + "-t", min: "0", max: "1000", step: "1", value: "250" });
    var shown = element("output", { for: id + "-t", class: "explorable__value" }, "250");
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var schedules = element("fieldset", { class: "explorable__choice" });
    schedules.appendChild(element("legend", {}, "Noise schedule"));
    ["linear", "cosine"].forEach(function (name, index) {
      var radio = element("input", { type: "radio", name: id + "-schedule", id: id + "-" + name, value: name });
      radio.checked = index === 0;
      schedules.append(radio, element("label", { for: id + "-" + name }, name));
    });
    var timestep = element("p", { class: "explorable__slider" });
    timestep.append(element("label", { for: id + "-t" }, "Timestep t"), slider, shown);
    var controls = element("div", { class: "explorable__controls" });
    controls.append(timestep, schedules, readout);
    var box = element("div", { class: "explorable", role: "group", "aria-label": "Noise level: move t" });
    box.append(canvas, controls);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    function draw() {
      var t = Number(slider.value);
      var schedule = schedules.querySelector("input:checked").value;
      shown.textContent = String(t);
      if (!data) return;
      var alphaBar = data.schedules[schedule][t];
      var signal = Math.sqrt(alphaBar);
      var noise = Math.sqrt(1 - alphaBar);
      var snr = alphaBar < 1 ? significant(alphaBar / (1 - alphaBar)) : "infinite (no noise yet)";
      var lines = [
        "t = " + t + ", " + schedule + " schedule",
        "ᾱₜ = " + significant(alphaBar),
        "signal weight √ᾱₜ = " + signal.toFixed(2),
        "noise weight √(1 − ᾱₜ) = " + noise.toFixed(2),
        "signal-to-noise ratio ᾱₜ / (1 − ᾱₜ) = " + snr,
      ];
      readout.textContent = lines.join("\n");
      slider.setAttribute("aria-valuetext", lines.join("; "));
      canvas.setAttribute("aria-label", "The photograph at " + lines.join("; "));
      var size = data.size;
      var image = canvas.getContext("2d").createImageData(size, size);
      var scale = (2 * data.noise_range) / 255;
      for (var pixel = 0, i = 0; pixel < size * size; pixel++) {
        for (var channel = 0; channel < 3; channel++, i++) {
          var x0 = data.x0[i] / 127.5 - 1;
          var eps = data.noise[i] * scale - data.noise_range;
          var value = signal * x0 + noise * eps;
          image.data[pixel * 4 + channel] = Math.round((Math.min(1, Math.max(-1, value)) + 1) * 127.5);
        }
        image.data[pixel * 4 + 3] = 255;
      }
      canvas.getContext("2d").putImageData(image, 0, 0);
    }
    slider.addEventListener("input", draw);
    schedules.addEventListener("change", draw);
    return function (loaded) {
      data = loaded;
      data.x0 = bytes(data.x0);
      data.noise = bytes(data.noise);
      canvas.width = canvas.height = data.size;
      draw();
    };
  }

  var KINDS = { "figure-forward-process-photo": noiseLevel };

  function start() {
    var figures = [].slice.call(document.querySelectorAll("figure[data-explorable]")).filter(function (figure) {
      return KINDS[figure.id] && !figure.classList.contains("explorable--live");
    });
    var ready = figures.map(function (figure) {
      figure.classList.add("explorable--live"); // hides the drawn figure on screen (extra.css), before it loads
      return KINDS[figure.id](figure, figure.id);
    });
    function load(index) {
      var figure = figures[index];
      fetch(figure.getAttribute("data-explorable"))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.url);
          return response.json();
        })
        .then(ready[index])
        .catch(function (error) {
          figure.classList.remove("explorable--live"); // the drawn figure again
          figure.querySelector(".explorable").remove();
          console.error("explorable " + figure.id + ": " + error.message);
        });
    }
    if (!("IntersectionObserver" in window)) return figures.forEach(function (_, index) { load(index); });
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          load(figures.indexOf(entry.target));
        });
      },
      { rootMargin: "100% 0px" }
    );
    figures.forEach(function (figure) {
      observer.observe(figure);
    });
  }
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
