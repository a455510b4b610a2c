// The notebook page's theme: the shared theme variables on :root, following prefers-color-scheme
// unless the reader picked light or dark (kept in localStorage for the next visit).
import { themeCss, type ThemeChoice } from '../render/theme';

const KEY = 'pyloom:theme';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto'; // storage blocked (privacy mode): follow the system
  }
}

/** Apply a choice to the document: `data-theme` on <html>, absent for auto. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'auto') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}

/** Install the theme rules, apply the stored choice and wire the switch (a <select> of ThemeChoice). */
export function setUpTheme(select: HTMLSelectElement): void {
  const style = document.createElement('style');
  style.dataset['pyloomTheme'] = '';
  style.textContent = themeCss(':root', ':root[data-theme=dark]', ':root:not([data-theme=light])');
  document.head.prepend(style);
  const choice = stored();
  applyTheme(choice);
  select.value = choice;
  select.addEventListener('change', () => {
    const value = select.value === 'light' || select.value === 'dark' ? select.value : 'auto';
    applyTheme(value);
    try {
      if (value === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, value);
    } catch {
      // Not kept across visits; the choice still applies now.
    }
  });
}
