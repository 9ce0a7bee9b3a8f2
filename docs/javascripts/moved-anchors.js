// A link made when a chapter was one page (llms/#the-causal-mask, in a teacher's slides or a
// bookmark) goes on to the section that now holds its anchor (llms/attention/#the-causal-mask).
// The anchors each chapter's sections took with them; Summary and Check yourself, which every
// section now has, stay on the chapter's page.
(function () {
  var MOVED = {
    "diffusion/": {
      "faster-samplers": "fewer-steps/",
      "figure-forward-process-photo": "forward-process/",
      "figure-noise-schedules": "noise-schedules/",
      "figure-reverse-process-2d": "sampling/",
      "noise-schedules": "noise-schedules/",
      "sampling-the-reverse-process": "sampling/",
      "the-forward-process": "forward-process/",
      "train-one-yourself": "fewer-steps/",
      "training-predict-the-noise": "training/",
      "why-sampling-takes-many-network-evaluations": "fewer-steps/",
    },
    "llms/": {
      "byte-pair-encoding": "tokens/",
      "embeddings": "tokens/",
      "figure-causal-attention": "attention/",
      "figure-cross-entropy-curve": "training/",
      "figure-next-token-temperature": "sampling/",
      "figure-tiny-lm-generation": "sampling/",
      "figure-transformer-block": "transformer/",
      "from-pretrained-model-to-assistant": "sampling/",
      "generating-text-sampling-strategies": "sampling/",
      "heads-layers-and-positions": "transformer/",
      "layer-normalization": "transformer/",
      "logits-and-softmax": "next-token/",
      "mixture-of-experts": "transformer/",
      "next-token-prediction-and-the-chain-rule": "next-token/",
      "teacher-forcing": "training/",
      "the-causal-mask": "attention/",
      "the-context-window": "tokens/",
      "the-generation-loop": "sampling/",
      "tokens-and-tokenization": "tokens/",
      "train-one-yourself": "sampling/",
      "training-cross-entropy-with-teacher-forcing": "training/",
      "transformer-attention-and-the-causal-mask": "attention/",
      "why-scale-by-the-square-root-of-the-key-dimension": "attention/",
      "why-subwords": "tokens/",
    },
  };
  var chapter = Object.keys(MOVED).find(function (folder) {
    var path = location.pathname.replace(/index\.html$/, "");
    return path.endsWith("/" + folder);
  });
  var id = decodeURIComponent(location.hash.slice(1));
  var section = chapter && MOVED[chapter][id];
  if (section) location.replace(section + location.hash);
  // A question's link from when the practice questions were one page (practice/#q-top-p-nucleus)
  // goes on to the page that now shows it, by the link to it in the table of questions by chapter.
  else if (/^q-/.test(id) && !document.getElementById(id)) {
    var link = document.querySelector('article a[href$="#' + CSS.escape(id) + '"]');
    if (link) location.replace(link.href);
  }
})();
