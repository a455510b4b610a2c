// @vitest-environment jsdom
// Thebe pages as written: the config read as JSON5 with Thebe's defaults, errors with line and
// column, CodeMirror 5 options, code read from Pygments-highlighted blocks, prompts stripped.
import { describe, expect, test } from 'vitest';
import {
  describeConfigError,
  describeIgnoredCodeMirror,
  parseThebeConfigText,
  readThebeConfig,
  themeBrightness,
  toThebeConfig,
  withOptions,
} from '../../src/embed/thebe/config';
import { codeOf, splitInputPrompts, splitOutputPrompts } from '../../src/embed/thebe/markup';
import { installThebeGlobal, ThebeEvents } from '../../src/embed/thebe/api';
import { applyThebeConfig, thebeBlocks } from '../../src/embed/thebe/page';
import { mountCell } from '../../src/embed/cell';
import { DEFAULT_SELECTOR, type EmbedConfig } from '../../src/embed/config';

/** The config of issue 20, byte for byte as course pages write it. */
const COURSE_CONFIG = `
  {
      requestKernel: true,
      selector: "div.cell_input pre",   // a comment
      binderOptions: {
      repo: "someone/executable-cells",
      ref: "main",
      },
  }
`;

function page(html: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = html;
  return doc;
}

describe('Thebe config', () => {
  test('a JavaScript object literal (unquoted keys, comments, trailing commas) is read, server keys passed through', () => {
    const parsed = parseThebeConfigText(COURSE_CONFIG);
    expect('value' in parsed).toBe(true);
    const config = toThebeConfig('value' in parsed ? parsed.value : {});
    expect(config.selector).toBe('div.cell_input pre');
    expect(config.requestKernel).toBe(true);
    expect(config.binderOptions).toEqual({ repo: 'someone/executable-cells', ref: 'main' });
    expect(config.bootstrap).toBe(false);
    expect(config.outputSelector).toBe('[data-output]');
    expect(config.predefinedOutput).toBe(true);
  });

  test("single quotes, /* */ comments, Thebe's other spellings and server keys", () => {
    const parsed = parseThebeConfigText(`/* sphinx-thebe */ {
      bootstrap: true, useBinder: false, useJupyterLite: true,
      mountRunallButton: false, mountRestartAllButton: false, mountRunButton: false,
      kernelOptions: { name: 'python3', path: 'docs/.', serverSettings: { baseUrl: 'http://127.0.0.1:8888', token: 'x' } },
      stripPrompts: { inPrompt: 'In:', continuationPrompt: '..:' }, stripOutputPrompts: true,
      codeMirrorConfig: { theme: 'abcdef', lineNumbers: true, readOnly: true, mode: 'python', styleActiveLine: true, matchBrackets: true },
    }`);
    if (!('value' in parsed)) throw new Error(parsed.error.message);
    const config = toThebeConfig(parsed.value);
    expect(config).toMatchObject({
      bootstrap: true,
      useBinder: false,
      useJupyterLite: true,
      mountRunAllButton: false,
      mountRestartAllButton: false,
      mountRunButton: false,
      mountRestartButton: true,
      stripPrompts: { inPrompt: 'In:', continuationPrompt: '..:' },
      stripOutputPrompts: {},
      serverSettings: { baseUrl: 'http://127.0.0.1:8888', token: 'x' },
      codeMirror: { theme: 'dark', lineNumbers: true, readOnly: true, ignored: ['styleActiveLine', 'matchBrackets'] },
    });
    expect(config.kernelOptions['path']).toBe('docs/.');
    expect(describeIgnoredCodeMirror(config.codeMirror)).toContain('"styleActiveLine", "matchBrackets"');
    expect(describeIgnoredCodeMirror(toThebeConfig({ codeMirrorConfig: { theme: 'default' } }).codeMirror)).toBeUndefined();
  });

  test('a syntax error gives its line and column; the message says the cells still run', () => {
    const parsed = parseThebeConfigText('{\n  selector: "pre",\n  requestKernel: tru,\n}');
    if (!('error' in parsed)) throw new Error('expected an error');
    expect(parsed.error.line).toBe(3);
    // json5 stops at the character it cannot take: the comma after "tru".
    expect(parsed.error.column).toBe(21);
    expect(parsed.error.message).toBe("invalid character ','");
    const message = describeConfigError(parsed.error);
    expect(message).toContain('line 3, column 21 of its text (requestKernel: tru,)');
    expect(message).toContain('still run');
    const notObject = parseThebeConfigText('["a"]');
    expect('error' in notObject && notObject.error.message).toContain('not an object');
  });

  test('several config scripts merge (later wins, objects deeply); a broken one is skipped and reported', () => {
    const doc = page(`<script type="text/x-thebe-config">{ selector: 'pre.a', binderOptions: { repo: 'a/b', ref: 'x' } }</script>
      <script type="text/x-thebe-config">{ binderOptions: { ref: 'main' } }</script>
      <script type="text/x-thebe-config">{ oops </script>`);
    const { config, errors } = readThebeConfig(doc);
    expect(config.selector).toBe('pre.a');
    expect(config.binderOptions).toEqual({ repo: 'a/b', ref: 'main' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(1);
  });

  test('bootstrap(options) merges over the page config', () => {
    const config = toThebeConfig({ selector: 'pre.x', kernelOptions: { name: 'python3', path: 'a' } });
    const merged = withOptions(config, { requestKernel: true, kernelOptions: { path: 'b' } });
    expect(merged.requestKernel).toBe(true);
    expect(merged.selector).toBe('pre.x');
    expect(merged.kernelOptions).toEqual({ name: 'python3', path: 'b' });
  });

  test('CodeMirror 5 theme names map to light or dark', () => {
    expect(['abcdef', 'monokai', 'solarized dark', 'material-darker', 'tomorrow-night-bright'].map(themeBrightness)).toEqual(
      Array(5).fill('dark'),
    );
    expect(['default', 'eclipse', 'neat', 'solarized light', 'idea'].map(themeBrightness)).toEqual(Array(5).fill('light'));
  });
});

describe('code from page markup', () => {
  test('Pygments spans flattened, entities decoded, line numbers dropped, indentation kept', () => {
    const doc = page(
      '<pre><span class="linenos">1</span><span class="k">for</span> <span class="n">i</span> <span class="ow">in</span> <span class="nb">range</span><span class="p">(</span><span class="mi">3</span><span class="p">):</span>\n' +
        '<span class="linenos">2</span>    <span class="k">if</span> <span class="n">i</span> <span class="o">&lt;</span> <span class="mi">2</span> <span class="ow">and</span> <span class="s2">&quot;a&amp;b&quot;</span><span class="p">:</span>\n' +
        '<span class="linenos">3</span>        <span class="nb">print</span><span class="p">(</span><span class="n">i</span><span class="p">)</span>\n\n</pre>',
    );
    expect(codeOf(doc.querySelector('pre')!)).toBe('for i in range(3):\n    if i < 2 and "a&b":\n        print(i)');
  });

  test('doctest prompts: one cell per run of inputs, outputs dropped, indentation after the prompt kept', () => {
    const session = '>>> x = 2\n>>> for i in range(2):\n...     x += i\n...\n>>> x\n3\n>>> print("a")\na';
    expect(splitInputPrompts(session, {})).toEqual(['x = 2\nfor i in range(2):\n    x += i\n\nx', 'print("a")']);
    expect(splitInputPrompts('x = 1', {})).toBeUndefined();
  });

  test('IPython prompts and literal prompts', () => {
    expect(splitInputPrompts('In [1]: def f():\n   ...:     return 1\n   ...: \n\nIn [2]: f()\nOut[2]: 1', {})).toEqual([
      'def f():\n    return 1\n',
      'f()',
    ]);
    expect(splitInputPrompts('$ a = 1\n> b = a\nresult', { inPrompt: '$', continuationPrompt: '>' })).toEqual(['a = 1\nb = a']);
    expect(splitOutputPrompts('x = 1\nx\nOut[1]: 1\ny = 2', {})).toEqual(['x = 1\nx', 'y = 2']);
  });
});

describe('Thebe events', () => {
  test('on, one, off, and a throwing handler does not stop the others', () => {
    const events = new ThebeEvents();
    const seen: string[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      events.on('status', () => {
        throw new Error('page bug');
      });
      const off = events.on('status', (name, data) => seen.push(`${name}:${data.status}`));
      events.one('status', (_, data) => seen.push(`once:${data.status}`));
      events.trigger('status', { status: 'starting', message: '' });
      events.trigger('status', { status: 'ready', message: '' });
      off();
      events.trigger('status', { status: 'dead', message: '' });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual(['status:starting', 'once:starting', 'status:ready']);
  });
});

describe('Thebe config applied to the embed', () => {
  const base: EmbedConfig = {
    selector: DEFAULT_SELECTOR,
    outputSelector: '[data-output]',
    autorun: false,
    preload: false,
    theme: 'light',
    trust: false,
    timeout: 0,
    files: [],
  };
  const thebe = toThebeConfig({
    selector: 'div.cell_input pre',
    requestKernel: true,
    codeMirrorConfig: { theme: 'monokai' },
    kernelOptions: { name: 'python3', path: 'chapter' },
    binderOptions: { repo: 'a/b' },
  });

  test("Thebe's keys become the embed's, and the typed config rides along for the runtime", () => {
    const config = applyThebeConfig(base, new Set(), thebe);
    expect(config.selector).toBe(`div.cell_input pre, ${DEFAULT_SELECTOR}`);
    expect(config).toMatchObject({ theme: 'dark', preload: true, workingDirectory: 'chapter' });
    expect(config.thebe?.binderOptions).toEqual({ repo: 'a/b' });
  });

  test("the page's own Pyloom config wins", () => {
    const own = { ...base, selector: 'pre.mine', theme: 'light' as const };
    const config = applyThebeConfig(own, new Set(['selector', 'theme', 'preload'] as const), thebe);
    expect(config).toMatchObject({ selector: 'pre.mine', theme: 'light', preload: false });
  });
});

describe("Thebe 0.8's stripPrompts.selector and Thebe's DOM", () => {
  test('blocks named by stripPrompts.selector are split into cells although they lack data-executable; blocks without prompts there are left alone', () => {
    const doc = page(`<pre class="sage-input">
    sage: a = 3
    sage: a + \\
    ....: 4
    7

    sage: print(a)
  </pre><pre class="sage-input">no prompt here</pre><pre data-executable>1 + 1</pre>`);
    const config = toThebeConfig({ stripPrompts: { inPrompt: 'sage: ', continuationPrompt: '....: ', selector: '.sage-input' } });
    expect(config.stripPrompts).toEqual({ inPrompt: 'sage: ', continuationPrompt: '....: ', selector: '.sage-input' });
    const blocks = thebeBlocks(config, config.selector, doc);
    expect(blocks.map((b) => b.source ?? `(block) ${b.block.textContent}`)).toEqual(['a = 3\na + \\\n4', 'print(a)', '(block) 1 + 1']);
    // The second piece is a new pre[data-executable] right after the session block.
    expect(blocks[1]!.block.previousElementSibling).toBe(doc.querySelector('.sage-input'));
    // Without a selector of its own, stripPrompts splits the cells' blocks only.
    const plain = toThebeConfig({ stripPrompts: true });
    expect(
      thebeBlocks(plain, plain.selector, page('<pre class="x">&gt;&gt;&gt; 1</pre><pre data-executable>&gt;&gt;&gt; 2</pre>')).map(
        (b) => b.source,
      ),
    ).toEqual(['2']);
  });

  test("cells on Thebe pages carry Thebe's cell and button classes (sphinx-thebe finds div.thebe-cell and .thebelab-run-button); readOnly and data-readonly", () => {
    const doc = page(
      '<div class="cell"><pre data-executable>x = 1</pre></div><pre data-executable data-readonly="false">y</pre><pre data-executable data-readonly>z</pre>',
    );
    document.body.replaceChildren(...doc.body.childNodes);
    const [a, b, c] = [...document.querySelectorAll('pre')].map((pre) =>
      mountCell(pre, {
        outputSelector: '[data-output]',
        theme: 'light',
        autorunAll: false,
        thebeButtons: true,
        readOnly: true,
        buttons: { restart: true },
      }),
    );
    expect(document.querySelectorAll('div.thebe-cell')).toHaveLength(3);
    expect(document.querySelector('.cell')!.querySelector('.thebelab-run-button')).toBe(a!.run);
    expect(a!.buttons.get('restart')!.className).toContain('thebelab-restart-button');
    expect([a!.readonly, b!.readonly, c!.readonly]).toEqual([true, false, true]);
    const plain = mountCell(document.body.appendChild(document.createElement('pre')), {
      outputSelector: '[data-output]',
      theme: 'light',
      autorunAll: false,
    });
    expect(plain.host.className).toBe('pyloom-cell');
    document.body.replaceChildren();
  });

  test("predefinedOutput: the static output after a block is the cell's until it runs; false leaves it on the page untouched (Thebe 0.8)", () => {
    document.body.innerHTML =
      '<pre data-executable>1</pre><div data-output>saved</div><pre data-executable>2</pre><div data-output>kept</div>';
    const [kept, left] = [...document.querySelectorAll('pre')].map((pre, i) =>
      mountCell(pre, { outputSelector: '[data-output]', theme: 'light', autorunAll: false, predefinedOutput: i === 0 }),
    );
    expect(kept!.predefined?.textContent).toBe('saved');
    expect(left!.predefined).toBeNull();
    expect([...document.querySelectorAll('[data-output]')].map((el) => el.textContent)).toEqual(['saved', 'kept']);
    document.body.replaceChildren();
  });

  test("window.thebe: trigger reaches handlers as (name, data), as Thebe 0.9's ThebeEvents; thebe and thebelab are one object", async () => {
    const events = new ThebeEvents();
    const global = installThebeGlobal(events, new Promise(() => undefined));
    const seen: unknown[] = [];
    window.thebelab!.on('error', (name, data) => seen.push([name, data.status, data.message]));
    global.trigger('error', { status: 'error', message: 'no network', subject: 'kernel' });
    expect(seen).toEqual([['error', 'error', 'no network']]);
    expect(window.thebe).toBe(window.thebelab);
    delete window.thebe;
    delete window.thebelab;
  });
});
