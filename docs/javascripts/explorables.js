// Explorable figures: controls that move a figure (the noise level of a photograph, the next-token
// distribution, a generation by the tiny language model step by step, attention with and without the
// causal mask, the race of the two generation loops, a DDPM or DDIM run step by step), from data
// computed at build time by the guide's package (src/diffusion_vs_llms/figures, figures/<name>.json). Without JavaScript, and on paper, the drawn
// figure stays. Loaded only on pages that have one (overrides/main.html).
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

  // A canvas is an image, with its description, once something is drawn on it: blank while its
  // figure's data is on its way, it has nothing to describe.
  function describe(canvas, text) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", text);
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

  // count standard normal numbers from seed: mulberry32, then Box–Muller, as the package's
  // seeded_normal (src/diffusion_vs_llms/figures/diffusion_figures.py) makes them
  function seededNormal(count, seed) {
    var state = seed >>> 0;
    function uniform() {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    var out = new Float64Array(count + (count % 2));
    for (var i = 0; i < out.length; i += 2) {
      var radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      var angle = 2 * Math.PI * uniform();
      out[i] = radius * Math.cos(angle);
      out[i + 1] = radius * Math.sin(angle);
    }
    return out;
  }

  function bytes(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  // The noise level: x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps for any t, on either schedule.
  function noiseLevel(figure, id) {
    var canvas = element("canvas", { class: "explorable__image" });
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
      describe(canvas, "The photograph at " + lines.join("; "));
      var size = data.size;
      var image = canvas.getContext("2d").createImageData(size, size);
      for (var pixel = 0, i = 0; pixel < size * size; pixel++) {
        for (var channel = 0; channel < 3; channel++, i++) {
          var x0 = data.x0[i] / 127.5 - 1;
          var value = signal * x0 + noise * data.noise[i];
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
      data.noise = seededNormal(data.size * data.size * 3, data.noise_seed);
      canvas.width = canvas.height = data.size;
      draw();
    };
  }

  // The next-token distribution softmax(l / tau) after top-k, then top-p on the survivors, as
  // diffusion_vs_llms.sampling.next_token_distribution computes it (ties: the lower index first).
  function distribution(logits, temperature, topK, topP, tolerance) {
    var order = function (values) {
      return values
        .map(function (value, index) {
          return index;
        })
        .sort(function (a, b) {
          return values[b] - values[a] || a - b;
        });
    };
    var kept = logits.slice();
    order(logits).slice(topK).forEach(function (index) {
      kept[index] = -Infinity;
    });
    var probabilities = softmax(kept, temperature);
    var ranked = order(probabilities);
    var total = 0;
    var keep = ranked.length;
    for (var i = 0; i < ranked.length; i++) {
      total += probabilities[ranked[i]];
      if (total >= topP - tolerance) {
        keep = i + 1;
        break;
      }
    }
    ranked.slice(keep).forEach(function (index) {
      kept[index] = -Infinity;
    });
    return softmax(kept, temperature);
  }
  function softmax(logits, temperature) {
    var top = Math.max.apply(null, logits);
    var weights = logits.map(function (logit) {
      return Math.exp((logit - top) / temperature);
    });
    var sum = weights.reduce(function (a, b) {
      return a + b;
    });
    return weights.map(function (w) {
      return w / sum;
    });
  }

  function slider(id, label, min, max, value) {
    var row = element("p", { class: "explorable__slider" });
    var input = element("input", { type: "range", id: id, min: String(min), max: String(max), step: "1", value: String(value) });
    var shown = element("output", { for: id, class: "explorable__value" });
    row.append(element("label", { for: id }, label), input, shown);
    return { row: row, input: input, shown: shown };
  }

  // The temperature, top-k and top-p sliders of the next-token and generation explorables, starting at
  // temperature ``tenths`` / 10, every candidate kept. read() gives [τ, k, p] and writes them beside
  // the sliders; keepAtMost(n) lets top-k reach n candidates and sets it there ("all").
  function decodingSliders(id, tenths) {
    var sliders = {
      temperature: slider(id + "-temperature", "Temperature τ", 1, 30, tenths),
      topK: slider(id + "-top-k", "Top-k: keep the k most likely", 1, 2, 2),
      topP: slider(id + "-top-p", "Top-p: keep the likeliest until their mass reaches p", 1, 20, 20),
    };
    sliders.all = [sliders.temperature, sliders.topK, sliders.topP];
    sliders.read = function () {
      var settings = [
        Number(sliders.temperature.input.value) / 10,
        Number(sliders.topK.input.value),
        Number(sliders.topP.input.value) / 20,
      ];
      var most = Number(sliders.topK.input.max);
      sliders.temperature.shown.textContent = String(settings[0]);
      sliders.topK.shown.textContent = settings[1] === most ? most + " (all)" : String(settings[1]);
      sliders.topP.shown.textContent = String(settings[2]);
      return settings;
    };
    sliders.keepAtMost = function (count) {
      sliders.topK.input.max = String(count); // the maximum first: a value above the old one would be cut to it
      sliders.topK.input.value = String(count);
    };
    return sliders;
  }

  // One bar per label, its value written beside it (or ``zero`` when it is 0); the bar at ``marked``,
  // if given, is set apart (hatched and bold: the title says what it marks).
  function drawBars(bars, title, labels, values, zero, marked) {
    bars.textContent = "";
    bars.appendChild(element("p", { class: "explorable__context" }, title));
    labels.forEach(function (label, index) {
      var kind = (values[index] > 0 ? "" : " is-cut") + (index === marked ? " is-marked" : "");
      var row = element("div", { class: "explorable__bar" + kind });
      var fill = element("span", { class: "explorable__fill" });
      fill.style.width = (100 * values[index]).toFixed(1) + "%";
      var track = element("span", { class: "explorable__track" });
      track.appendChild(fill);
      var number = values[index] > 0 ? significant(values[index]) : zero;
      row.append(element("span", { class: "explorable__label" }, "'" + label + "'"), track,
        element("span", { class: "explorable__number" }, number));
      bars.appendChild(row);
    });
  }

  // Attention: the weights of one query token over the keys, with the causal mask on or off. A token
  // is picked by focus, hover or click.
  function attention(figure, id) {
    var tokens = element("div", { class: "explorable__tokens", role: "group", "aria-label": "Query token" });
    var mask = element("input", { type: "checkbox", id: id + "-mask" });
    mask.checked = true;
    var maskRow = element("p", { class: "explorable__check" });
    maskRow.append(mask, element("label", { for: id + "-mask" }, "Causal mask: a token sees only itself and earlier tokens"));
    var bars = element("div", { class: "explorable__bars" });
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var box = element("div", { class: "explorable explorable--bars", role: "group", "aria-label": "Attention: pick a token" });
    box.append(tokens, maskRow, bars, readout);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    var query = 2;
    function draw() {
      if (!data) return;
      var weights = data[mask.checked ? "causal" : "full"][query];
      [].forEach.call(tokens.children, function (button, index) {
        button.setAttribute("aria-pressed", String(index === query));
      });
      var title = "Weights of '" + data.tokens[query] + "' (query " + (query + 1) + ") over the keys";
      drawBars(bars, title, data.tokens, weights, "0 (masked)");
      readout.textContent =
        "'" + data.tokens[query] + "', causal mask " + (mask.checked ? "on" : "off") + ": " +
        data.tokens.map(function (token, index) {
          return "'" + token + "' " + (weights[index] > 0 ? significant(weights[index]) : "0 (masked)");
        }).join(", ");
    }
    mask.addEventListener("change", draw);
    return function (loaded) {
      data = loaded;
      data.tokens.forEach(function (token, index) {
        var button = element("button", { type: "button", class: "md-button" }, token);
        var pick = function () {
          query = index;
          draw();
        };
        ["focus", "mouseenter", "click"].forEach(function (event) {
          button.addEventListener(event, pick);
        });
        tokens.appendChild(button);
      });
      draw();
    };
  }

  function seconds(value) {
    return Number(value.toFixed(2)) + " s";
  }

  // The race: one network evaluation per click; the image is refined all at once, the text grows
  // by one word.
  function race(figure, id) {
    var canvas = element("canvas", { class: "explorable__image explorable__image--pixels" });
    var text = element("p", { class: "explorable__text" });
    var more = element("button", { type: "button", class: "md-button", id: id + "-more" }, "One more network evaluation");
    var again = element("button", { type: "button", class: "md-button", id: id + "-again" }, "Start over");
    var buttons = element("p", { class: "explorable__buttons" });
    buttons.append(more, again);
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var panes = element("div", { class: "explorable__panes" });
    var imagePane = element("div");
    imagePane.append(element("p", { class: "explorable__context" }, "Diffusion"), canvas);
    var textPane = element("div");
    textPane.append(element("p", { class: "explorable__context" }, "Language model"), text);
    panes.append(imagePane, textPane);
    var box = element("div", { class: "explorable explorable--bars", role: "group", "aria-label": "The race: one evaluation at a time" });
    box.append(panes, buttons, readout);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    var evaluations = 0;
    function draw() {
      if (!data) return;
      var steps = data.frames.length - 1;
      var size = data.side;
      var grey = data.frames[evaluations];
      var image = canvas.getContext("2d").createImageData(size, size);
      for (var i = 0; i < size * size; i++) {
        image.data.set([grey[i], grey[i], grey[i], 255], i * 4);
      }
      canvas.getContext("2d").putImageData(image, 0, 0);
      var words = data.words.slice(0, evaluations + 1);
      text.textContent = "";
      words.forEach(function (word, index) {
        var span = element("span", index === evaluations && index > 0 ? { class: "explorable__new" } : {}, word);
        text.append(span, " ");
      });
      var state =
        evaluations + " network evaluation" + (evaluations === 1 ? "" : "s") + ". Diffusion: the whole image after " +
        evaluations + " of " + steps + " denoising steps" + (evaluations === steps ? ", finished" : "") +
        ". Language model: " + evaluations + " new token" + (evaluations === 1 ? "" : "s") + " after '" +
        data.words[0] + "': " + words.join(" ") + (evaluations === steps ? ", and one more evaluation for every further token" : "") +
        ". Time at " + data.seconds_per_step + " s per denoising step and " + data.seconds_per_token + " s per token: image " +
        seconds(data.image_seconds[evaluations]) + ", text " + seconds(data.text_seconds[evaluations]) + ".";
      readout.textContent = state;
      describe(canvas, "The image after " + evaluations + " of " + steps + " denoising steps");
      more.disabled = evaluations === steps;
    }
    more.addEventListener("click", function () {
      evaluations = Math.min(evaluations + 1, data.frames.length - 1);
      draw();
      if (more.disabled) again.focus(); // a disabled button would drop the keyboard focus
    });
    again.addEventListener("click", function () {
      evaluations = 0;
      draw();
      more.focus();
    });
    return function (loaded) {
      data = loaded;
      data.frames = data.frames.map(bytes);
      canvas.width = canvas.height = data.side;
      draw();
    };
  }

  function percent(share) {
    return Math.round(100 * share) + " %";
  }

  // Denoising step by step: the samples x_t of a DDPM or a DDIM run on the 2-D data, and the step's
  // prediction x0_hat, with the network evaluations so far.
  function denoising(figure, id) {
    var panes = element("div", { class: "explorable__panes explorable__panes--two" });
    var canvases = ["Samples xₜ", "Prediction x̂₀"].map(function (title) {
      var pane = element("div");
      var canvas = element("canvas", { class: "explorable__image", width: "320", height: "320" });
      pane.append(element("p", { class: "explorable__context" }, title), canvas);
      panes.appendChild(pane);
      return canvas;
    });
    var step = slider(id + "-step", "Step through the run", 0, 1, 0);
    var runs = element("fieldset", { class: "explorable__choice" });
    runs.appendChild(element("legend", {}, "Sampler"));
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var controls = element("div", { class: "explorable__controls" });
    controls.append(step.row, runs, readout);
    var box = element("div", { class: "explorable explorable--bars", role: "group", "aria-label": "Denoising: step through a run" });
    box.append(panes, controls);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    function plot(canvas, points, label) {
      var style = getComputedStyle(figure);
      var context = canvas.getContext("2d");
      var size = canvas.width;
      var scale = size / (2 * data.range);
      context.clearRect(0, 0, size, size);
      context.strokeStyle = style.getPropertyValue("--md-default-fg-color--light");
      context.lineWidth = 2;
      data.means.forEach(function (mean, index) {
        context.beginPath();
        context.arc((mean[0] + data.range) * scale, (data.range - mean[1]) * scale, 2 * data.stds[index] * scale, 0, 2 * Math.PI);
        context.stroke();
      });
      context.fillStyle = style.getPropertyValue("--md-typeset-a-color");
      for (var i = 0; i < points.length; i += 2) {
        context.beginPath();
        context.arc((points[i] / 255) * size, size - (points[i + 1] / 255) * size, 3, 0, 2 * Math.PI);
        context.fill();
      }
      describe(canvas, label);
    }
    function draw() {
      if (!data) return;
      var name = runs.querySelector("input:checked").value;
      var frames = data.frames[name];
      var frame = frames[Number(step.input.value)];
      var total = frames[frames.length - 1].evaluations;
      var evaluations = frame.evaluations + " of " + total + " network evaluations";
      step.shown.textContent = frame.evaluations + " / " + total;
      step.input.setAttribute("aria-valuetext", "t = " + frame.t + ", " + evaluations);
      var near = "samples inside a grey circle: " + percent(frame.near);
      var nearPrediction = frame.t > 0 ? "predictions x̂₀ inside a grey circle: " + percent(frame.near_x0_hat) : "t = 0: the samples are the output";
      readout.textContent = [name + ", t = " + frame.t, evaluations + " so far", near, nearPrediction].join("\n");
      plot(canvases[0], frame.x, "The samples at t = " + frame.t + " of the " + name + " run; " + near);
      plot(canvases[1], frame.x0_hat, "The prediction x̂₀ at t = " + frame.t + "; " + nearPrediction);
    }
    step.input.addEventListener("input", draw);
    runs.addEventListener("change", function () {
      var frames = data.frames[runs.querySelector("input:checked").value];
      step.input.max = String(frames.length - 1);
      step.input.value = "0";
      draw();
    });
    new MutationObserver(draw).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    return function (loaded) {
      data = loaded;
      data.frames = {};
      data.runs.forEach(function (run, index) {
        var radio = element("input", { type: "radio", name: id + "-run", id: id + "-" + run.name, value: run.name });
        radio.checked = index === 0;
        var label = run.name + " (" + run.frames[run.frames.length - 1].evaluations + " steps)";
        runs.append(radio, element("label", { for: id + "-" + run.name }, label));
        run.frames.forEach(function (frame) {
          frame.x = bytes(frame.x);
          frame.x0_hat = bytes(frame.x0_hat);
        });
        data.frames[run.name] = run.frames;
      });
      step.input.max = String(data.runs[0].frames.length - 1);
      draw();
    };
  }

  // Temperature, top-k and top-p re-draw the bars of the next-token distribution.
  function nextToken(figure, id) {
    var sliders = decodingSliders(id, 10);
    var bars = element("div", { class: "explorable__bars" });
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var controls = element("div", { class: "explorable__controls" });
    sliders.all.forEach(function (control) {
      controls.append(control.row);
    });
    var box = element("div", { class: "explorable explorable--bars", role: "group", "aria-label": "Next token: move the settings" });
    box.append(bars, controls, readout);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    function draw() {
      var settings = sliders.read();
      if (!data) return;
      var probabilities = distribution(data.logits, settings[0], settings[1], settings[2], data.top_p_tolerance);
      var described = data.candidates.map(function (candidate, index) {
        var p = probabilities[index];
        return "'" + candidate + "' " + (p > 0 ? significant(p) : "0 (cut)");
      });
      drawBars(bars, "P(next token | '" + data.context + "')", data.candidates, probabilities, "0 (cut)");
      readout.textContent =
        "τ = " + settings[0] + ", top-k = " + settings[1] + ", top-p = " + settings[2] + ": " + described.join(", ");
      sliders.all.forEach(function (control) {
        control.input.setAttribute("aria-valuetext", control.shown.textContent);
      });
    }
    sliders.all.forEach(function (control) {
      control.input.addEventListener("input", draw);
    });
    draw();
    return function (loaded) {
      data = loaded;
      sliders.keepAtMost(data.candidates.length);
      draw();
    };
  }

  // A generation by the tiny language model, one character per step: the context so far, the likeliest
  // next characters under the sliders' settings (computed from the step's logits as nextToken does),
  // and the character the run drew.
  function generation(figure, id) {
    var step = slider(id + "-step", "Step", 1, 1, 1);
    var sliders = decodingSliders(id, 5); // the run's temperature, 0.5
    var controlled = [step].concat(sliders.all);
    var text = element("p", { class: "explorable__text" });
    var bars = element("div", { class: "explorable__bars" });
    var readout = element("p", { class: "explorable__readout", "aria-live": "polite" });
    var controls = element("div", { class: "explorable__controls" });
    controlled.forEach(function (control) {
      controls.append(control.row);
    });
    var box = element("div", { class: "explorable explorable--bars", role: "group", "aria-label": "Generation: step through it" });
    box.append(text, bars, controls, readout);
    figure.insertBefore(box, figure.querySelector("figcaption"));

    var data = null;
    function shown(character) {
      return character === " " ? "␣" : character === "\n" ? "↵" : character;
    }
    function spoken(character) {
      return character === " " ? "space" : character === "\n" ? "line break" : "'" + character + "'";
    }
    function draw() {
      var settings = sliders.read();
      var n = Number(step.input.value);
      step.shown.textContent = n + " of " + step.input.max;
      if (data) {
        var logits = data.logits[n - 1];
        var drawn = data.drawn[n - 1];
        var before = data.drawn.slice(0, n - 1).map(function (i) { return data.vocabulary[i]; }).join("");
        text.textContent = "";
        text.append(element("span", { class: "explorable__prompt" }, data.prompt), before,
          element("mark", { class: "explorable__next" }, shown(data.vocabulary[drawn])));
        var probabilities = distribution(logits, settings[0], settings[1], settings[2], data.top_p_tolerance);
        var ranked = logits.map(function (_, index) { return index; }).sort(function (a, b) {
          return logits[b] - logits[a] || a - b;
        });
        var top = ranked.slice(0, data.bars);
        if (top.indexOf(drawn) < 0) top.push(drawn);
        var labels = top.map(function (index) { return shown(data.vocabulary[index]); });
        var context = data.prompt + before;
        drawBars(bars, "P(next character | '…" + context.slice(-16) + "'); hatched: the one the run drew", labels,
          top.map(function (index) { return probabilities[index]; }), "0 (cut)", top.indexOf(drawn));
        var p = probabilities[drawn];
        readout.textContent =
          "Step " + n + ", after '" + context + "': the run drew " + spoken(data.vocabulary[drawn]) +
          (p > 0 ? ", probability " + significant(p) : ", which these settings would cut") +
          " at τ = " + settings[0] + ", top-k = " + sliders.topK.shown.textContent + ", top-p = " + settings[2] + ". Likeliest: " +
          top.slice(0, 3).map(function (index) {
            var q = probabilities[index];
            return spoken(data.vocabulary[index]) + " " + (q > 0 ? significant(q) : "0 (cut)");
          }).join(", ") + ".";
      }
      controlled.forEach(function (control) {
        control.input.setAttribute("aria-valuetext", control.shown.textContent);
      });
    }
    controlled.forEach(function (control) {
      control.input.addEventListener("input", draw);
    });
    draw();
    return function (loaded) {
      data = loaded;
      step.input.max = String(data.drawn.length);
      sliders.keepAtMost(data.vocabulary.length);
      draw();
    };
  }

  var KINDS = {
    "figure-forward-process-photo": noiseLevel,
    "figure-next-token-temperature": nextToken,
    "figure-tiny-lm-generation": generation,
    "figure-causal-attention": attention,
    "figure-generation-side-by-side": race,
    "figure-reverse-process-2d": denoising,
  };

  function start() {
    var figures = [].slice.call(document.querySelectorAll("figure[data-explorable]")).filter(function (figure) {
      return KINDS[figure.id] && !figure.classList.contains("explorable--live");
    });
    var ready = figures.map(function (figure) {
      figure.classList.add("explorable--live"); // hides the drawn figure on screen (extra.css), before it loads
      figure.setAttribute("aria-busy", "true"); // its controls are dimmed until its numbers arrive (extra.css)
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
        .then(function () {
          figure.removeAttribute("aria-busy");
        })
        .catch(function (error) {
          figure.removeAttribute("aria-busy");
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
