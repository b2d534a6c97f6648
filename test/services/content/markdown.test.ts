import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../../../src/services/content/markdown.js';

// Payloads after the OWASP XSS filter evasion cheat sheet and common markdown-specific vectors.
const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src=`javascript:alert(1)`>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](javascript&#58;alert(1))',
  '![img](javascript:alert(1))',
  '![x](x" onerror="alert(1))',
  '[a](http://x.example "title\\" onmouseover=\\"alert(1)")',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="x:expression(alert(1))">x</p>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '<style>@import "javascript:alert(1)";</style>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</script>',
  '<a href="http://ok.example" onclick="alert(1)">x</a>',
  '<base href="javascript:alert(1)//">',
  '<video><source onerror="alert(1)"></video>',
  '<marquee onstart=alert(1)>',
  '```html\n<script>alert(1)</script>\n```',
  '`<script>alert(1)</script>`',
  '<template><script>alert(1)</script></template>',
  '<isindex action=javascript:alert(1) type=image>',
  '<x onmouseover=alert(1)>hover</x>',
];

/** What must never survive: an executable tag, an event handler attribute, or a script-capable URL. */
function unsafe(html: string): string | undefined {
  if (/<\s*(script|iframe|object|embed|style|link|meta|base|form|svg|math|template|body)\b/i.test(html)) return 'tag';
  // Quoted attribute values are inert text; an attribute name outside quotes is what a browser would run.
  const outsideQuotes = html.replace(/"[^"]*"|'[^']*'/g, '""');
  if (/<[^>]+\son\w+\s*=/i.test(outsideQuotes)) return 'event handler';
  if (/<[^>]+(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(html)) return 'url';
  if (/<[^>]+\sstyle\s*=/i.test(html)) return 'style attribute';
  return undefined;
}

describe('markdown rendering', () => {
  const render = createMarkdownRenderer();

  it('renders ordinary markdown to HTML', () => {
    const html = render(
      '# Title\n\nSome **bold** and a [link](https://example.com).\n\n- a\n- b\n\n```ts\nconst x = 1;\n```',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener">link</a>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<code class="language-ts">');
  });

  it('keeps Chinese text as it is', () => {
    expect(render('## 数据库迁移\n\n上线前先写好**回滚方案**。')).toBe(
      '<h2>数据库迁移</h2>\n<p>上线前先写好<strong>回滚方案</strong>。</p>\n',
    );
  });

  it.each(XSS_CORPUS)('no script survives: %s', (payload) => {
    for (const md of [payload, `text before\n\n${payload}\n\ntext after`, `- ${payload}`, `> ${payload}`]) {
      const html = render(md);
      expect(unsafe(html), html).toBeUndefined();
    }
  });

  it('the check itself catches unsafe HTML (so the corpus test can fail)', () => {
    expect(unsafe('<script>alert(1)</script>')).toBe('tag');
    expect(unsafe('<img src=x onerror=alert(1)>')).toBe('event handler');
    expect(unsafe('<a href="javascript:alert(1)">')).toBe('url');
  });
});
