// Lints the widget's JavaScript (service/widget/js/); `make lint` runs it after tsc.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["service/widget/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        ...globals.browser,
        // Written in by the server when it joins the modules (service/widget/js/server.d.ts).
        SERVER: "readonly",
      },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // count.js is served as it is: one plain script, not a module.
    files: ["service/widget/js/count.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
