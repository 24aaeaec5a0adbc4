// Browser tests of the web page (build/web): Debian's chromium, headless, with
// swiftshader's WebGL, driven through the DevTools protocol by puppeteer-core
// (tools/mermaid's node_modules), the page served by `python3 -m http.server`.
//
//   node browser_test.mjs CASE SITE_DIR OUT_DIR [extra...]
//
// Cases (one ctest each):
//   welcome    the welcome page lists the bundled lessons and golden traces; the
//              "run live" place says live runs need the desktop
//   lesson     ?lesson=1-read-path: keys step, PageDown turns slides, L switches to
//              Chinese, F5 to presenter mode; screenshots checked at each stage
//   url        ?lesson=...&slide=3&lang=zh and ?trace=URL&seek=N&view=state
//   bad-file   a bad trace picked from disk: the error line equals the desktop's
//              (extra: the desktop line, from pollscope-gui --open under xvfb)
//   bench      (make web-bench) load time of a big trace, frame times at 1920x1080
//              (extra: the trace file)
//
// Sections: 1. PNG pixels  2. server and browser  3. the cases  4. main
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const puppeteer = require(process.env.PUPPETEER_CORE || 'puppeteer-core');

const servers = [];  // stopped on the way out, pass or fail
function fail(msg) {
  console.error('FAIL: ' + msg);
  for (const p of servers) p.kill();
  process.exit(1);
}
function check(cond, msg) {
  if (!cond) fail(msg);
  console.log('ok: ' + msg);
}

// ---- 1. PNG pixels ------------------------------------------------------------------------
// Decodes chromium's screenshots (8-bit RGB or RGBA, not interlaced).
function decodePng(buf) {
  let pos = 8, w = 0, h = 0, bpp = 4;
  const idat = [];
  while (pos < buf.length) {
    const n = buf.readUInt32BE(pos), kind = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + n);
    if (kind === 'IHDR') {
      w = body.readUInt32BE(0); h = body.readUInt32BE(4);
      if (body[8] !== 8 || (body[9] !== 2 && body[9] !== 6)) fail('unexpected PNG format');
      bpp = body[9] === 6 ? 4 : 3;
    } else if (kind === 'IDAT') idat.push(body);
    pos += 12 + n;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat)), stride = w * bpp;
  const px = Buffer.alloc(w * h * 3);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      if (f === 1) line[x] = (line[x] + a) & 255;
      else if (f === 2) line[x] = (line[x] + b) & 255;
      else if (f === 3) line[x] = (line[x] + ((a + b) >> 1)) & 255;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        line[x] = (line[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
    }
    for (let x = 0; x < w; x++) line.copy(px, (y * w + x) * 3, x * bpp, x * bpp + 3);
    prev = line;
  }
  return { w, h, px };
}

const LIT = [255, 170, 40];  // viz/views/views.hpp Palette::kLit: the current event / state

// What a screenshot shows: distinct colours (not blank) and pixels of the highlight colour.
function looksAt(png) {
  const { w, h, px } = decodePng(png);
  const colours = new Set();
  let lit = 0;
  for (let i = 0; i < w * h; i += 3) {
    const r = px[i * 3], g = px[i * 3 + 1], b = px[i * 3 + 2];
    colours.add((r << 16) | (g << 8) | b);
    if (Math.abs(r - LIT[0]) <= 3 && Math.abs(g - LIT[1]) <= 3 && Math.abs(b - LIT[2]) <= 3) lit++;
  }
  return { w, h, colours: colours.size, lit, px };
}

// The fraction of pixels that differ between two screenshots of the same size.
function difference(a, b) {
  if (a.w !== b.w || a.h !== b.h) return 1;
  let d = 0;
  for (let i = 0; i < a.w * a.h; i++)
    if (a.px[i * 3] !== b.px[i * 3] || a.px[i * 3 + 1] !== b.px[i * 3 + 1] || a.px[i * 3 + 2] !== b.px[i * 3 + 2]) d++;
  return d / (a.w * a.h);
}

// ---- 2. server and browser -------------------------------------------------------------------
// python3 -m http.server on a free port, serving `dir`.
function serve(dir) {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir],
                    { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(p);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) resolve({ port: +m[1], stop: () => p.kill() });
    });
    p.on('exit', (code) => reject(new Error('http.server exited ' + code)));
  });
}

// The site plus extra files, in a folder of links (the build's folder stays as it is).
function siteWith(site, out, extra) {
  const dir = path.join(out, 'served');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(site)) fs.symlinkSync(path.resolve(site, f), path.join(dir, f));
  for (const [name, file] of Object.entries(extra)) fs.symlinkSync(path.resolve(file), path.join(dir, name));
  return dir;
}

async function browser(width, height) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    defaultViewport: { width, height },
    args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  });
}

const state = (page) => page.evaluate(() => pollscopeState());

// Waits until the page's viewer state satisfies `pred` (it renders on animation frames).
async function until(page, pred, what, ms = 30000) {
  const t0 = Date.now();
  let s;
  while (Date.now() - t0 < ms) {
    s = await page.evaluate(() => (typeof Module !== 'undefined' && Module.urlApplied ? pollscopeState() : null));
    if (s && pred(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  fail(`timed out waiting for ${what}; state: ${JSON.stringify(s)}`);
}

// A few frames later (what the keys did is drawn), a screenshot.
async function shot(page, out, name) {
  const f = (await state(page)).frame;
  await until(page, (s) => s.frame >= f + 3, 'three more frames');
  const png = await page.screenshot({ type: 'png' });
  fs.writeFileSync(path.join(out, name), png);
  return looksAt(png);
}

// Held down until a frame has seen it: ImGui 1.86's input (pre-1.87 API) reads
// which keys are down at each frame, so a press and release between two frames,
// as keyboard.press() sends them, can go unseen (a person's key press lasts longer).
async function press(page, key, times = 1) {
  for (let i = 0; i < times; i++) {
    let f = (await state(page)).frame;
    await page.keyboard.down(key);
    await until(page, (s) => s.frame >= f + 1, 'a frame with the key down');
    await page.keyboard.up(key);
    f = (await state(page)).frame;
    await until(page, (s) => s.frame >= f + 2, 'the key to be seen');
  }
}

function openPage(b, url) {
  return b.newPage().then(async (page) => {
    page.on('pageerror', (e) => console.error('page error: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') console.error('console: ' + m.text()); });
    await page.goto(url);
    return page;
  });
}

// ---- 3. the cases ---------------------------------------------------------------------------
async function welcome(site, out) {
  const srv = await serve(site);
  const b = await browser(1280, 800);
  try {
    const page = await openPage(b, `http://127.0.0.1:${srv.port}/`);
    const s = await until(page, (s) => s.frame > 5, 'the welcome page');
    check(s.events === 0 && s.error === '', 'nothing open and no error on the welcome page');
    const lists = await page.evaluate(() => ({
      lessons: Module.FS.readdir('/pollscope/lessons').filter((f) => f.endsWith('.lesson.json')),
      traces: Module.FS.readdir('/pollscope/traces').filter((f) => f.endsWith('.trace.json')),
    }));
    check(lists.lessons.length >= 4 && lists.traces.length >= 20,
          `bundled: ${lists.lessons.length} lessons, ${lists.traces.length} golden traces`);
    const look = await shot(page, out, 'web-welcome.png');
    check(look.colours > 12, `the welcome page is drawn (${look.colours} colours)`);
    // A scenario from disk: no live run in a browser; its golden trace replays instead.
    const scen = fs.readFileSync(path.join(process.env.SOURCE_DIR, 'scenarios/read-before-data.json'));
    await page.evaluate((bytes) => openBytes('read-before-data.json', Uint8Array.from(bytes)), [...scen]);
    const s2 = await until(page, (s) => s.events > 0, 'the golden trace of a dropped scenario');
    check(/is a scenario: Live runs need the desktop app/.test(s2.status) && s2.error === '',
          `a scenario opens its golden trace and says why: "${s2.status}"`);
  } finally {
    await b.close();
    srv.stop();
  }
}

async function lesson(site, out) {
  const srv = await serve(site);
  const b = await browser(1280, 800);
  try {
    const t0 = Date.now();
    const page = await openPage(b, `http://127.0.0.1:${srv.port}/?lesson=1-read-path`);
    let s = await until(page, (s) => s.events > 0 && s.frame > 3, 'lesson 1');
    console.log(`figure: lesson 1 shown ${Date.now() - t0} ms after navigation (lesson and trace ${s.loadMs.toFixed(0)} ms)`);
    check(s.slide === 1 && s.slides > 3 && /read path/.test(s.lesson), `lesson 1, slide 1 of ${s.slides}`);
    const first = await shot(page, out, 'web-lesson-slide1.png');
    check(first.colours > 12, `slide 1 is drawn (${first.colours} colours)`);
    check(first.lit > 20, `the current event is drawn in the highlight colour (${first.lit} pixels)`);

    const c0 = s.cursor;
    await press(page, 'ArrowRight', 3);
    s = await state(page);
    check(s.cursor === c0 + 3, `three right arrows step three events (${c0} -> ${s.cursor})`);
    await press(page, 'ArrowLeft');
    s = await state(page);
    check(s.cursor === c0 + 2, `a left arrow steps back one (${s.cursor})`);
    const stepped = await shot(page, out, 'web-lesson-stepped.png');
    check(stepped.lit > 20 && difference(first, stepped) > 0.001, 'after stepping, the current event moved on the page');

    await press(page, 'PageDown');
    s = await state(page);
    check(s.slide === 2, `PageDown turns to slide 2`);
    const second = await shot(page, out, 'web-lesson-slide2.png');
    check(difference(first, second) > 0.01, `slide 2 looks different (${(difference(first, second) * 100).toFixed(1)}% of pixels)`);

    await press(page, 'l');
    s = await until(page, (s) => s.lang === 'zh', 'Chinese');
    check(s.cjk && /[\u4e00-\u9fff]/.test(s.narration), `L: narration in Chinese with the page's Chinese font ("${s.narration.slice(0, 24)}...")`);
    const zh = await shot(page, out, 'web-lesson-zh.png');
    check(difference(second, zh) > 0.005, 'the Chinese page differs from the English one');

    await press(page, 'F5');
    s = await until(page, (s) => s.presenter, 'presenter mode');
    check(s.presenter && s.lang === 'zh' && s.slide === 2, 'F5: presenter mode, still Chinese, still slide 2');
    const pres = await shot(page, out, 'web-presenter-zh.png');
    check(pres.lit > 20 && pres.colours > 12, `presenter mode is drawn with the current event lit (${pres.lit} pixels)`);
    check(difference(zh, pres) > 0.02, 'presenter mode looks different from the normal window');
    await press(page, 'PageDown');
    const pres3 = await shot(page, out, 'web-presenter-zh-slide3.png');
    check((await state(page)).slide === 3 && difference(pres, pres3) > 0.01, 'in presenter mode, slide 3 differs from slide 2');
  } finally {
    await b.close();
    srv.stop();
  }
}

async function url(site, out) {
  const fixture = path.join(process.env.SOURCE_DIR, 'traces/read-deadline.trace.json');
  const dir = siteWith(site, out, { 'shared.trace.json': fixture });
  const srv = await serve(dir);
  const b = await browser(1280, 800);
  try {
    let page = await openPage(b, `http://127.0.0.1:${srv.port}/?lesson=1-read-path&slide=3&lang=zh`);
    let s = await until(page, (s) => s.events > 0 && s.frame > 3, 'a shared lesson link');
    check(s.slide === 3 && s.lang === 'zh' && s.cjk, 'lesson=1-read-path&slide=3&lang=zh opens slide 3 in Chinese');
    await page.close();
    page = await openPage(b, `http://127.0.0.1:${srv.port}/?trace=shared.trace.json&seek=40&view=state`);
    s = await until(page, (s) => s.events > 0 && s.view === 'state', 'a trace fetched by URL');
    const events = JSON.parse(fs.readFileSync(fixture, 'utf8')).events.length;
    check(s.events === events && s.cursor === 40, `trace=URL&seek=40&view=state: ${s.events} events, cursor ${s.cursor}, state view`);
    const look = await shot(page, out, 'web-url-state.png');
    check(look.lit > 20, 'the state view lights the current state');
    await page.close();
    page = await openPage(b, `http://127.0.0.1:${srv.port}/?trace=missing.trace.json`);
    s = await until(page, (s) => s.error !== '', 'the error for a missing URL');
    check(/missing.trace.json: cannot fetch \(HTTP 404/.test(s.error), `a missing URL is an error: "${s.error}"`);
  } finally {
    await b.close();
    srv.stop();
  }
}

async function badFile(site, out, desktopLine) {
  const bad = path.join(process.env.SOURCE_DIR, 'tests/data/bad-traces/unknown-kind.json');
  const srv = await serve(site);
  const b = await browser(1280, 800);
  try {
    const page = await openPage(b, `http://127.0.0.1:${srv.port}/`);
    await until(page, (s) => s.frame > 3, 'the page');
    const input = await page.$('#picker');
    await input.uploadFile(bad);  // as the file picker does
    const s = await until(page, (s) => s.error !== '', 'the error dialog');
    console.log(`web:     ${s.error}\ndesktop: ${desktopLine}`);
    check(!s.error.includes('\n') && s.error === desktopLine, 'the page gives the desktop app\'s one-line error');
    const look = await shot(page, out, 'web-bad-file.png');
    check(look.colours > 12 && s.events === 0, 'the page keeps running with the error dialog shown');
  } finally {
    await b.close();
    srv.stop();
  }
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

async function bench(site, out, bigTrace) {
  const dir = siteWith(site, out, { 'big.trace.json': bigTrace });
  const srv = await serve(dir);
  const b = await browser(1920, 1080);
  try {
    // Load: from navigation to the trace in hand (fetch, parse, replay index, layout).
    const t0 = Date.now();
    let page = await openPage(b, `http://127.0.0.1:${srv.port}/?trace=big.trace.json`);
    const s = await until(page, (s) => s.events > 0 || s.error !== '', 'the big trace', 180000);
    const total = Date.now() - t0;
    const fetchMs = await page.evaluate(() => Module.fetchMs);
    if (s.error) fail(s.error);
    console.log(`figure: ${s.events} events (${(fs.statSync(bigTrace).size / 1e6).toFixed(1)} MB): shown ${total} ms after navigation; fetch ${fetchMs.toFixed(0)} ms, read+layout ${s.loadMs.toFixed(0)} ms`);
    // Frames at 1920x1080 while playing through it, each timed to the GPU's finish.
    const frames = async (label) => {
      await page.evaluate(() => Module.ccall('pollscope_measure', null, ['number'], [1]));
      await new Promise((r) => setTimeout(r, 4000));
      const ms = (await page.evaluate(() => Module.ccall('pollscope_frame_times', 'string', [], [])))
                     .split(',').map(Number).slice(5);
      await page.evaluate(() => Module.ccall('pollscope_measure', null, ['number'], [0]));
      console.log(`figure: ${label}: ${ms.length} frames, median ${percentile(ms, 0.5).toFixed(1)} ms, p95 ${percentile(ms, 0.95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
    };
    await press(page, 'End');
    await frames('1M trace, sequence view at the last event, 1920x1080');
    await page.close();
    page = await openPage(b, `http://127.0.0.1:${srv.port}/?lesson=1-read-path&slide=2&presenter=1`);
    await until(page, (s) => s.events > 0 && s.frame > 3, 'lesson 1');
    await press(page, ' ');  // play
    await frames('lesson 1 playing in presenter mode, 1920x1080');
  } finally {
    await b.close();
    srv.stop();
  }
}

// ---- 4. main --------------------------------------------------------------------------------
const [, , which, site, out, extra] = process.argv;
if (!which || !site || !out) fail('usage: browser_test.mjs CASE SITE_DIR OUT_DIR [extra]');
if (!fs.existsSync(path.join(site, 'index.html'))) fail(`${site}/index.html is missing: run make web`);
fs.mkdirSync(out, { recursive: true });
const cases = { welcome, lesson, url, 'bad-file': badFile, bench };
if (!cases[which]) fail('unknown case ' + which);
const timer = setTimeout(() => fail('the case took over 4 minutes'), 240000);
try {
  await cases[which](site, out, extra);
  console.log(`passed: ${which}`);
} catch (e) {
  fail(e.stack || String(e));
}
clearTimeout(timer);
