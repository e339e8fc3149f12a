import { markEdits, tokenize, type HunkData, type HunkTokens, type TokenNode } from "react-diff-view";
import { refractor } from "refractor/core";
import bash from "refractor/bash";
import c from "refractor/c";
import cpp from "refractor/cpp";
import css from "refractor/css";
import docker from "refractor/docker";
import go from "refractor/go";
import java from "refractor/java";
import json from "refractor/json";
import makefile from "refractor/makefile";
import markdown from "refractor/markdown";
import markup from "refractor/markup";
import python from "refractor/python";
import ruby from "refractor/ruby";
import rust from "refractor/rust";
import scss from "refractor/scss";
import sql from "refractor/sql";
import toml from "refractor/toml";
import tsx from "refractor/tsx";
import yaml from "refractor/yaml";

// Only the languages languageOf() names (session-diff.ts), not refractor's 36-language
// "common" bundle: the session page carries the grammars it can use. tsx brings jsx,
// typescript and javascript with it.
for (const syntax of [
  bash,
  c,
  cpp,
  css,
  docker,
  go,
  java,
  json,
  makefile,
  markdown,
  markup,
  python,
  ruby,
  rust,
  scss,
  sql,
  toml,
  tsx,
  yaml,
])
  refractor.register(syntax);

/**
 * react-diff-view 3 was written against refractor 3, whose `highlight`
 * returned the token nodes; refractor 4+ returns a hast root around them.
 * This adapter hands the library the children, which have the shape it
 * reads (element / text nodes with `properties.className`).
 */
const refractorForDiff = {
  highlight: (text: string, language: string) => refractor.highlight(text, language).children as unknown as TokenNode[],
};

/**
 * Tokens for one file's hunks: syntax classes (Prism's `token keyword` …,
 * themed in globals.css) when the language is known and registered, and the
 * changed characters of a modified line marked (`diff-code-edit`) either way.
 * Null when tokenizing fails: the diff then shows as plain text.
 */
export function computeDiffTokens(hunks: HunkData[], language: string | null): HunkTokens | null {
  if (hunks.length === 0) return null;
  const enhancers = [markEdits(hunks, { type: "block" })];
  try {
    return language && refractor.registered(language)
      ? tokenize(hunks, { highlight: true, refractor: refractorForDiff as never, language, enhancers })
      : tokenize(hunks, { enhancers });
  } catch {
    return null;
  }
}
