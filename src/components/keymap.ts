// Key names for the notebook's bindings: "Shift+M", "Ctrl+Shift+-", chords "D D". One spelling for
// matching events and for showing keys in the toolbar tooltips, the help panel and the palette.

/** The parts of a KeyboardEvent a binding looks at. */
export interface KeyPress {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock']);

/**
 * A key press as a binding string: modifiers in the order Ctrl, Alt, Shift, then the key (letters
 * upper-case). Cmd on macOS counts as Ctrl (JupyterLab's Accel). Shifted digits and '-' are named by
 * their key cap ("Ctrl+Shift+-", not "_"), whatever the layout prints. Undefined for a bare modifier.
 */
export function keyName(press: KeyPress): string | undefined {
  if (MODIFIERS.has(press.key)) return undefined;
  let key = press.key;
  const cap = /^Key([A-Z])$|^Digit(\d)$/.exec(press.code);
  if (cap) key = cap[1] ?? cap[2]!;
  else if (press.code === 'Minus') key = '-';
  else if (press.code === 'Slash') key = '/';
  if (key === ' ') key = 'Space';
  if (key.length === 1) key = key.toUpperCase();
  const parts: string[] = [];
  if (press.ctrlKey || press.metaKey) parts.push('Ctrl');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** Arrow names as people read them in a help table. */
export function displayKey(binding: string): string {
  return binding
    .split(' ')
    .map((press) => press.replace('ArrowUp', '↑').replace('ArrowDown', '↓').replace('ArrowLeft', '←').replace('ArrowRight', '→'))
    .join(', ');
}

/**
 * Matches presses against bindings, chords included: "D D" fires on the second D within
 * `chordMs` of the first. Feed it every press; it answers the binding completed, if any.
 */
export class KeySequence {
  #pending: { name: string; at: number } | undefined;
  constructor(
    private readonly bindings: () => Iterable<string>,
    private readonly chordMs = 800,
  ) {}

  /** The binding this press completes (a single key or the end of a chord), or undefined. */
  feed(name: string, now: number): string | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    const chord = pending && now - pending.at < this.chordMs ? `${pending.name} ${name}` : undefined;
    let startsChord = false;
    for (const binding of this.bindings()) {
      if (chord && binding === chord) return binding;
      if (binding === name) return binding;
      if (binding.startsWith(`${name} `)) startsChord = true;
    }
    if (startsChord) this.#pending = { name, at: now };
    return undefined;
  }

  /** Whether a press started a chord and waits for its second key. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }
}
