#!/usr/bin/env node
// Speeds up @microsoft/recognizers-text (every package bundles its own copy of the core), without
// changing any result. Runs on `npm install` (postinstall), before the Prisma clients are generated.
//
// Why: RegExpUtility.getMatchesSimple calls StringUtility.removeDiacriticsFromWordBoundaries(source)
// before EVERY regex it runs, i.e. hundreds of times per date-time parse of the same short text;
// the function splits the text on spaces and looks the first and last letter of every word up in a
// 777-entry table. `--cpu-prof` put it at 30 % of the English date-time model's time (bench:nlu).
// The patched function returns its input unchanged when the input is pure ASCII (every key of the
// table is a non-ASCII letter, so the original returns the same string) and remembers its last
// input and output otherwise. The original body stays, renamed kefuRemoveDiacriticsFromWordBoundaries;
// test/nlu/recognizersPatch.test.ts checks the two agree.
//
// Idempotent; a file whose text differs (another version) is left alone with a warning: it still
// works, only slower.
const fs = require('node:fs');
const path = require('node:path');

const MARKER = 'kefu-patch:diacritics';
const HEADER = /static removeDiacriticsFromWordBoundaries\(input\) \{(\r?\n)/g;

function patchText(text) {
  if (text.includes(MARKER)) return { text, count: 0, already: true };
  let count = 0;
  const patched = text.replace(HEADER, (_m, eol) => {
    count += 1;
    return [
      `static removeDiacriticsFromWordBoundaries(input) { // ${MARKER}`,
      `        if (typeof input !== 'string') return StringUtility.kefuRemoveDiacriticsFromWordBoundaries(input);`,
      `        if (!/[^\\x00-\\x7f]/.test(input)) return input;`,
      `        if (input !== StringUtility.kefuMemoIn) {`,
      `            StringUtility.kefuMemoOut = StringUtility.kefuRemoveDiacriticsFromWordBoundaries(input);`,
      `            StringUtility.kefuMemoIn = input;`,
      `        }`,
      `        return StringUtility.kefuMemoOut;`,
      `    }`,
      `    static kefuRemoveDiacriticsFromWordBoundaries(input) {`,
      '',
    ].join(eol);
  });
  return { text: patched, count, already: false };
}

function packageDirs(root) {
  const dirs = [];
  const walk = (nodeModules, depth) => {
    const scope = path.join(nodeModules, '@microsoft');
    if (fs.existsSync(scope)) {
      for (const name of fs.readdirSync(scope)) {
        if (!name.startsWith('recognizers-text')) continue;
        const dir = path.join(scope, name);
        dirs.push(dir);
        if (depth < 3) walk(path.join(dir, 'node_modules'), depth + 1);
      }
    }
    if (depth < 3 && fs.existsSync(nodeModules)) {
      // Nested copies (e.g. botbuilder-dialogs/node_modules/@microsoft/recognizers-text-*).
      for (const name of fs.readdirSync(nodeModules)) {
        if (name.startsWith('.') || name === '@microsoft') continue;
        const nested = path.join(nodeModules, name, 'node_modules');
        if (!name.startsWith('@') && fs.existsSync(nested)) walk(nested, depth + 1);
      }
    }
  };
  walk(path.join(root, 'node_modules'), 0);
  return dirs;
}

function filesOf(dir) {
  const out = [];
  for (const sub of ['dist', 'compiled']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) if (/\.(umd|es5)\.js$|^utilities\.js$/.test(f)) out.push(path.join(d, f));
  }
  return out;
}

function main() {
  const root = path.resolve(__dirname, '..');
  let patched = 0;
  let already = 0;
  for (const dir of packageDirs(root)) {
    for (const file of filesOf(dir)) {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes('removeDiacriticsFromWordBoundaries(input)')) continue;
      const result = patchText(text);
      if (result.already) {
        already += 1;
      } else if (result.count === 1) {
        fs.writeFileSync(file, result.text);
        patched += 1;
      } else {
        process.stderr.write(`kefu: ${path.relative(root, file)}: unexpected text (${result.count} matches), left unpatched\n`);
      }
    }
  }
  process.stdout.write(`kefu: recognizers-text speed patch applied to ${patched} file(s), ${already} already patched\n`);
}

if (require.main === module) main();
module.exports = { patchText, MARKER };
