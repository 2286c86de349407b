import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, prettyJson, raw, SafeHtml } from './html.js';

/** `t` under another name, so Prettier leaves these exact templates alone. */
const t = html;

describe('html tagged template', () => {
  it('escapes every interpolated string', () => {
    const name = `<img src=x onerror="alert('x')">&\``;
    expect(t`<td>${name}</td>`.value).toBe(
      '<td>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;&#96;</td>',
    );
  });

  it('escapes inside quoted attributes so a value cannot break out', () => {
    const v = `" autofocus onfocus="alert(1)`;
    const out = t`<input value="${v}">`.value;
    expect(out).toBe('<input value="&quot; autofocus onfocus=&quot;alert(1)">');
    expect(out.match(/"/g)).toHaveLength(2);
  });

  it('does not double-escape nested templates, and renders arrays item by item', () => {
    const rows = ['<a>', 'b&c'].map((x) => t`<li>${x}</li>`);
    expect(t`<ul>${rows}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
  });

  it('renders nothing for null, undefined and false; numbers and true as text', () => {
    expect(t`${null}|${undefined}|${false}|${0}|${true}|${12.5}`.value).toBe('|||0|true|12.5');
  });

  it('escapes objects as JSON text, never as markup', () => {
    expect(t`${{ a: '<b>' }}`.value).toBe('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}');
  });

  it('passes raw() and SafeHtml through unchanged', () => {
    expect(t`${raw('<br>')}`.value).toBe('<br>');
    expect(t`${new SafeHtml('<hr>')}`.toString()).toBe('<hr>');
  });

  it('join escapes items and separator', () => {
    expect(join(['<a>', t`<b>`], ' & ').value).toBe('&lt;a&gt; &amp; <b>');
  });

  it('escapeHtml covers the five HTML specials and backtick', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
    expect(escapeHtml('plain text')).toBe('plain text');
  });
});

describe('prettyJson', () => {
  it('pretty-prints with syntax classes and escapes keys and values', () => {
    const out = prettyJson('{"<k>":"<script>alert(1)</script>","n":-1.5e3,"t":true,"z":null}').value;
    expect(out).toContain('<span class="j-key">&quot;&lt;k&gt;&quot;</span>:');
    expect(out).toContain('<span class="j-str">&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</span>');
    expect(out).toContain('<span class="j-num">-1500</span>');
    expect(out).toContain('<span class="j-lit">true</span>');
    expect(out).toContain('<span class="j-lit">null</span>');
    expect(out).not.toMatch(/<script|<k>/);
    expect(out.split('\n')).toHaveLength(6);
  });

  it('keeps escaped quotes inside strings', () => {
    const out = prettyJson(JSON.stringify({ q: 'say "hi" \\ <b>' })).value;
    expect(out).toContain('&quot;say \\&quot;hi\\&quot; \\\\ &lt;b&gt;&quot;');
  });

  it('shows non-JSON text escaped', () => {
    expect(prettyJson('<not json>').value).toBe('&lt;not json&gt;');
  });
});
