// Renders Vega-Lite specifications to SVG with the npm registry's vega-lite and vega, as react-vega or
// vega-embed would draw them (tests/test_charts_render.py).
//
//   node render_vega.js < specs.json > rendered.json
//
// stdin: {name: Vega-Lite spec}; stdout: {name: {svg, warnings}}, where warnings are what vega-lite's
// compiler and vega's view logged at warning level or above. No network, no browser.
"use strict";

const vl = require("vega-lite");
const vega = require("vega");

function collector(into, prefix) {
  const logger = {
    level() { return logger; },
    error: (...args) => into.push(`${prefix} error: ${args.join(" ")}`),
    warn: (...args) => into.push(`${prefix} warning: ${args.join(" ")}`),
    info() {},
    debug() {},
  };
  return logger;
}

async function render(spec) {
  const warnings = [];
  const compiled = vl.compile(spec, { logger: collector(warnings, "vega-lite") }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  view.logger(collector(warnings, "vega"));
  const svg = await view.toSVG();
  view.finalize();
  return { svg, warnings };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const specs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const out = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = await render(spec);
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
