// The box input() and getpass() are answered in: shown in the running cell's output area.
import type { InputRequest } from '../runtime/runtime';

/** Show a labelled input (a password box for getpass) in `container`; resolves with the line. */
export function askInput(container: HTMLElement, request: InputRequest): Promise<string> {
  const document = container.ownerDocument;
  const form = document.createElement('form');
  form.className = 'pyloom-input';
  form.setAttribute('part', 'input');
  const label = document.createElement('label');
  label.textContent = request.prompt || (request.password ? 'Password:' : 'Input:');
  const field = document.createElement('input');
  field.type = request.password ? 'password' : 'text';
  field.autocomplete = request.password ? 'current-password' : 'off';
  field.setAttribute('aria-label', request.prompt || 'Python input()');
  label.append(' ', field);
  form.append(label);
  container.append(form);
  field.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      form.remove();
      resolve(field.value);
    });
  });
}
