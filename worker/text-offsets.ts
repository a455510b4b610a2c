// UTF-16 (JavaScript string index) ↔ code point (Python string index) offsets for cursors.

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Code points in `text.slice(0, offset)`: Python counts a surrogate pair (an emoji) as one. */
export function codePointOffset(text: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset; i++, points++) {
    if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < offset && isLowSurrogate(text.charCodeAt(i + 1))) i++;
  }
  return points;
}

/** The UTF-16 offset of code point `points` in `text` (the inverse of codePointOffset). */
export function utf16Offset(text: string, points: number): number {
  let i = 0;
  for (let p = 0; p < points && i < text.length; p++) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** Is `offset` between the two halves of a surrogate pair (not a place a cursor can be)? */
export function insidePair(text: string, offset: number): boolean {
  return isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset));
}
