/**
 * A tiny HTML template: `html` escapes every interpolated value unless it is already `SafeHtml`
 * (the result of another `html` call, or of `raw` for trusted constant markup). Arrays are
 * rendered item by item; `null`, `undefined` and `false` render nothing, so
 * `${cond && html`…`}` works. Attribute values must be quoted in the template (`href="${x}"`):
 * the escaping covers `&`, `<`, `>`, `"`, `'` and backtick, which is enough inside a quoted
 * attribute and in text, but never put user input in an unquoted attribute, a `<script>`,
 * a `style`, an event handler or a URL attribute that could hold `javascript:`.
 */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Marks trusted, constant markup as safe. Never pass user input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return escapeHtml(JSON.stringify(value) ?? '');
}

/** Tagged template that escapes every interpolation. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Joins rendered items with a separator (both escaped unless SafeHtml). */
export function join(items: readonly unknown[], separator: unknown = ''): SafeHtml {
  return new SafeHtml(items.map(render).join(render(separator)));
}

/**
 * Pretty-prints JSON text with syntax classes for the payload viewer; every token is escaped.
 * Text that is not JSON is shown as is (escaped).
 */
export function prettyJson(text: string): SafeHtml {
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return html`${text}`;
  }
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let out = '';
  let last = 0;
  for (const m of pretty.matchAll(token)) {
    out += escapeHtml(pretty.slice(last, m.index));
    const [all, str, colon, lit, num] = m;
    if (str !== undefined) {
      const cls = colon !== undefined ? 'j-key' : 'j-str';
      out += `<span class="${cls}">${escapeHtml(str)}</span>${colon !== undefined ? escapeHtml(colon) : ''}`;
    } else if (lit !== undefined) out += `<span class="j-lit">${escapeHtml(lit)}</span>`;
    else if (num !== undefined) out += `<span class="j-num">${escapeHtml(num)}</span>`;
    else out += escapeHtml(all);
    last = m.index + all.length;
  }
  out += escapeHtml(pretty.slice(last));
  return new SafeHtml(out);
}
