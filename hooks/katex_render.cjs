// Render many TeX formulas with KaTeX in one process.
// stdin: JSON [{"tex": "...", "display": true|false}, ...]
// stdout: JSON [{"html": "..."} | {"error": "..."}, ...] in the same order.
"use strict";
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    try {
      return {
        html: katex.renderToString(tex, {
          displayMode: display,
          output: "htmlAndMathml",
          throwOnError: true,
          strict: "error",
          trust: false,
        }),
      };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
