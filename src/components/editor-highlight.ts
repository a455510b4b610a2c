// Syntax colours for <py-editor> from theme custom properties (src/render/theme.ts), so the light
// and dark themes both keep code readable (WCAG AA contrast on the editor background).
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const v = (name: string, fallback: string) => `var(--pyloom-syntax-${name}, ${fallback})`;

export const themedHighlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: v('keyword', '#8b1aa0') },
  { tag: [t.string, t.special(t.string), t.regexp], color: v('string', '#0a6b2a') },
  { tag: [t.number, t.bool, t.null, t.atom], color: v('number', '#0550ae') },
  { tag: [t.comment, t.lineComment, t.blockComment], color: v('comment', '#5c6370'), fontStyle: 'italic' },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))],
    color: v('function', '#6a3bb5'),
  },
  { tag: [t.className, t.definition(t.className), t.typeName], color: v('class', '#8a4b00') },
  { tag: [t.operator, t.punctuation], color: v('operator', '#4a5160') },
  { tag: t.heading, fontWeight: 'bold', color: v('heading', '#0550ae') },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strong, fontWeight: 'bold' },
  { tag: t.link, color: v('link', '#0550ae'), textDecoration: 'underline' },
  { tag: t.invalid, color: v('invalid', '#b3261e') },
]);
