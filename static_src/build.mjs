// Compiles static_src/ into static_build/, which Django collects (and whitenoise hashes).
import { compile } from "sass";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

copyFileSync(join(govuk, "all.bundle.js"), join(out, "js", "govuk-frontend.js"));
// The bundle ends with a sourceMappingURL comment; ship the map so hashed static storage can resolve it.
copyFileSync(join(govuk, "all.bundle.js.map"), join(out, "js", "all.bundle.js.map"));
copyFileSync(join(root, "static_src", "js", "init.js"), join(out, "js", "init.js"));
copyFileSync(join(root, "static_src", "js", "js-enabled.js"), join(out, "js", "js-enabled.js"));
copyFileSync(join(root, "static_src", "js", "search-suggest.js"), join(out, "js", "search-suggest.js"));
copyFileSync(join(root, "static_src", "favicon.svg"), join(out, "favicon.svg"));
copyFileSync(join(root, "static_src", "favicon.ico"), join(out, "favicon.ico"));
console.log(`Built ${out}`);
