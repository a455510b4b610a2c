// @vitest-environment jsdom
// The markup renderers: text/html (sanitized, isolated or trusted), text/markdown (GFM with math)
// and text/latex, with the real sanitizer injected.
import { describe, expect, test } from 'vitest';
import { renderBundle } from '../../src/render/registry';
import { splitMath } from '../../src/render/math';
import { host, inner, renderContext } from './helpers/render';

describe('text/html', () => {
  const markup =
    '<style>td { color: red }</style><table><tr><td>1</td></tr></table><img src=x onerror="alert(1)"><script>alert(2)</script>';

  test('untrusted: sanitized, in a shadow root of its own with the shared styles', () => {
    let styled: ShadowRoot | undefined;
    const el = host(renderBundle({ 'text/html': markup }, {}, renderContext({ styleRoot: (root) => (styled = root) })));
    const root = inner(el);
    expect(styled).toBe(root);
    expect(root.querySelector('td')?.textContent).toBe('1');
    expect(root.querySelector('style')?.textContent).toBe('td { color: red }');
    expect(root.querySelector('img')?.hasAttribute('onerror')).toBe(false);
    expect(root.querySelector('script')).toBeNull();
    expect(el.querySelector('td, style')).toBeNull(); // nothing outside the output's own root
  });

  test('isolated: unsanitized in a sandboxed frame that never gets allow-same-origin', () => {
    const untrusted = host(renderBundle({ 'text/html': markup }, { 'text/html': { isolated: true, height: 120 } }, renderContext()));
    const frame = untrusted.querySelector('iframe')!;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.srcdoc).toBe(markup);
    expect(frame.style.height).toBe('120px');
    const trusted = host(renderBundle({ 'text/html': markup }, { isolated: true }, renderContext({ trusted: true })));
    expect(trusted.querySelector('iframe')?.getAttribute('sandbox')).toBe('allow-scripts');
    expect(trusted.querySelector('iframe')?.style.height).toBe('300px');
  });

  test('trusted: live markup whose scripts are real script elements', () => {
    const root = inner(
      host(renderBundle({ 'text/html': '<script>window.ranTrusted = 1</script><i>x</i>' }, {}, renderContext({ trusted: true }))),
    );
    expect(root.querySelector('script')?.textContent).toBe('window.ranTrusted = 1');
    expect(root.querySelector('i')?.textContent).toBe('x');
  });
});

describe('text/markdown', () => {
  const render = (source: string, trusted = false) =>
    inner(host(renderBundle({ 'text/markdown': source }, {}, renderContext({ trusted }))));

  test('GFM, inline and display math, $ kept literal in code', () => {
    const root = render(
      '# Title\n\n| a |\n|---|\n| 1 |\n\nEuler $e^{i\\pi}=-1$ and `$HOME`\n\n$$\\int_0^1 x\\,dx$$\n\n```\nprice = $5 + $6\n```',
    );
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('table td')?.textContent).toBe('1');
    expect(root.querySelectorAll('.katex')).toHaveLength(2);
    expect(root.querySelectorAll('.katex-display')).toHaveLength(1);
    expect(root.querySelector('p code')?.textContent).toBe('$HOME');
    expect(root.querySelector('pre code')?.textContent).toBe('price = $5 + $6\n');
  });

  test('dollars that are not math stay text', () => {
    const root = render('costs $5 and $10, or $ 3 $ each; escaped \\$x\\$');
    expect(root.querySelector('.katex')).toBeNull();
    expect(root.textContent).toBe('costs $5 and $10, or $ 3 $ each; escaped $x$\n');
  });

  test('inline $$…$$ is display math; TeX errors show in place', () => {
    const root = render('before $$x^2$$ after $\\frac{1}{$');
    expect(root.querySelectorAll('.katex-display')).toHaveLength(1);
    expect(root.querySelector('.katex-error')?.textContent).toContain('\\frac{1}{');
  });

  test('Markdown cannot smuggle HTML payloads, trusted or not', () => {
    for (const trusted of [false, true]) {
      const root = render('[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>', trusted);
      expect(root.querySelector('a')?.getAttribute('href') ?? null).toBeNull();
      expect(root.querySelector('img')?.hasAttribute('onerror')).toBe(false);
      expect(root.querySelector('script')).toBeNull();
    }
  });

  test('links open in a new tab without an opener', () => {
    const a = render('[site](https://example.org)').querySelector('a')!;
    expect([a.href, a.target, a.rel]).toEqual(['https://example.org/', '_blank', 'noopener noreferrer']);
  });
});

describe('text/latex', () => {
  test('each kind of delimiter is found', () => {
    expect(splitMath('a $x$ b $$y$$ \\[z\\] \\(w\\) \\begin{equation}v\\end{equation} \\begin{align*}u\\end{align*}')).toEqual([
      'a ',
      { tex: 'x', display: false },
      ' b ',
      { tex: 'y', display: true },
      ' ',
      { tex: 'z', display: true },
      ' ',
      { tex: 'w', display: false },
      ' ',
      { tex: '\\begin{equation}v\\end{equation}', display: true },
      ' ',
      { tex: '\\begin{align*}u\\end{align*}', display: true },
    ]);
    expect(splitMath('no math here')).toEqual(['no math here']);
  });

  test('math is typeset with KaTeX, the text between stays text', () => {
    const el = host(renderBundle({ 'text/latex': 'Area: $\\pi r^2$ and \\begin{equation}E = mc^2\\end{equation}' }, {}, renderContext()));
    expect(el.querySelector('.latex')?.firstChild?.textContent).toBe('Area: ');
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
    expect(el.querySelectorAll('.katex-display')).toHaveLength(1);
    // MathML for screen readers, without the TeX source (it would be read out after the formula).
    expect(el.querySelector('.katex-mathml math')?.textContent).toBe('πr2');
  });

  test('broken TeX shows an error in place; untrusted commands make no links', () => {
    const broken = host(renderBundle({ 'text/latex': '$\\frac{1}{$' }, {}, renderContext()));
    expect(broken.querySelector('.katex-error')).not.toBeNull();
    const link = host(renderBundle({ 'text/latex': '$\\href{javascript:alert(1)}{x}$ $\\url{https://example.org}$' }, {}, renderContext()));
    expect(link.querySelector('a')).toBeNull();
    expect(link.querySelectorAll('.katex-error').length + link.querySelectorAll('.katex').length).toBeGreaterThan(0);
  });
});
