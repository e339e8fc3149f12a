import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * SQL in a string: one that starts with a statement keyword, or holds a statement's shape
 * (SELECT … FROM, INSERT INTO, UPDATE x SET, DELETE FROM, a row lock). Upper case only, so prose passes.
 */
const SQL_TEXT =
  "/(^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\s)|(\\bSELECT\\s[\\s\\S]*\\sFROM\\s)|(\\bINSERT\\s+INTO\\s)|(\\bUPDATE\\s+\\w+\\s+SET\\s)|(\\bDELETE\\s+FROM\\s)|(\\bFOR\\s+(NO\\s+KEY\\s+)?UPDATE\\b)/";
const SQL_MESSAGE =
  "SQL belongs in @industrial/db: add a function to the aggregate's module there and call it (packages/db/AGENTS.md).";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      ".orchestrator/**",
      ".test-results/**",
      "artifacts/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  // All SQL lives in @industrial/db (packages/db/AGENTS.md): a statement in a string anywhere else in
  // the packages and apps is an error at its file and line. Tests and test harnesses may seed rows.
  {
    files: ["packages/**/*.{ts,tsx,js,mjs}", "apps/**/*.{ts,tsx,js,mjs}"],
    ignores: [
      "packages/db/**",
      "packages/testkit/**",
      "**/*.test.{ts,tsx}",
      "**/*.spec.{ts,tsx}",
      "**/testing/**",
      "**/test/**",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: `Literal[value=${SQL_TEXT}]`, message: SQL_MESSAGE },
        { selector: `TemplateElement[value.raw=${SQL_TEXT}]`, message: SQL_MESSAGE },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
