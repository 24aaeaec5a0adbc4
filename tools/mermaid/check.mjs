// Parses Mermaid files with the real Mermaid parser (mermaid 11 under jsdom).
// usage: node tools/mermaid/check.mjs FILE.mmd [...]   exit 1 on any error
import fs from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ['navigator', 'Element', 'HTMLElement', 'SVGElement', 'DOMParser', 'Node', 'getComputedStyle', 'Option'])
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
// Mermaid must be imported after the DOM globals exist (stateDiagram needs DOMPurify).
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let bad = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  if (text.length > 50000) {
    console.log(`${file}: ERROR ${text.length} characters, over Mermaid's 50,000 limit`);
    bad++;
    continue;
  }
  try {
    const r = await mermaid.parse(text);
    console.log(`${file}: OK ${r.diagramType} (${text.length} chars)`);
  } catch (e) {
    console.log(`${file}: ERROR ${String(e.message).split('\n').slice(0, 4).join(' | ')}`);
    bad++;
  }
}
console.log(`${process.argv.length - 2 - bad} passed, ${bad} failed`);
process.exitCode = bad ? 1 : 0;
