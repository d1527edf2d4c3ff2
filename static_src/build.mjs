// Compiles static_src/ into static_build/, which Django collects (and whitenoise hashes).
import { compile } from "sass";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static_build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = compile(join(root, "static_src", "scss", "main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "main.css"), css.css);
// Our additions to the Wagtail admin (home/wagtail_hooks.py): no govuk-frontend, only what the admin lacks.
const adminCss = compile(join(root, "static_src", "scss", "admin.scss"), { style: "compressed" });
writeFileSync(join(out, "css", "admin.css"), adminCss.css);

writeGovukFrontend(join(out, "js", "govuk-frontend.js"));
copyFileSync(join(root, "static_src", "js", "init.js"), join(out, "js", "init.js"));
copyFileSync(join(root, "static_src", "js", "js-enabled.js"), join(out, "js", "js-enabled.js"));
copyFileSync(join(root, "static_src", "js", "search-suggest.js"), join(out, "js", "search-suggest.js"));
copyFileSync(join(root, "static_src", "favicon.svg"), join(out, "favicon.svg"));
copyFileSync(join(root, "static_src", "favicon.ico"), join(out, "favicon.ico"));
console.log(`Built ${out}`);

// govuk-frontend ships minified only as an ES module (govuk-frontend.min.js; all.bundle.js is the same code
// unminified, about twice the size). We keep one classic deferred script that sets window.GOVUKFrontend, which
// static_src/js/init.js starts, so the module's closing `export{...}` becomes that assignment inside a function.
// Its source map (shipped, so hashed static storage can resolve the reference) moves down the one line added.
function writeGovukFrontend(file) {
  const source = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8");
  const end = /export\s*\{([^}]*)\};?\s*\/\/# sourceMappingURL=\S+\s*$/.exec(source);
  if (!end || /\bimport\b\s*[({"'*]|\bexport\b/.test(source.slice(0, end.index))) {
    throw new Error("govuk-frontend.min.js no longer ends with one export statement: update build.mjs");
  }
  const exported = end[1].split(",").map((name) => {
    const [local, as = local] = name.trim().split(/\s+as\s+/);
    return `${as}:${local}`;
  });
  const name = basename(file);
  writeFileSync(
    file,
    '(function(){"use strict";\n' +
      source.slice(0, end.index) +
      `window.GOVUKFrontend={${exported.join(",")}}})();\n//# sourceMappingURL=${name}.map\n`,
  );
  const map = JSON.parse(readFileSync(join(govuk, "govuk-frontend.min.js.map"), "utf8"));
  writeFileSync(`${file}.map`, JSON.stringify({ ...map, file: name, mappings: `;${map.mappings}` }));
}
