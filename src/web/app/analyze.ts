/** The "Analyze" panel: paste, upload or load the example, send it to /api/analyze, show the view. */
import { getExample, postAnalyze, type Health } from './api.js';
import { byId } from './ui.js';

export interface AnalyzePanel {
  say(message: string, isError?: boolean): void;
}

export function setUpAnalyze(health: () => Health, show: (analysis: import('../../core/types.js').Analysis, text: string) => void): AnalyzePanel {
  const form = byId<HTMLFormElement>('ws-form');
  const input = byId<HTMLTextAreaElement>('ws-input');
  const titleInput = byId<HTMLInputElement>('ws-title');
  const isHtml = byId<HTMLInputElement>('ws-is-html');
  const status = byId('ws-status');
  const analyzeBtn = byId<HTMLButtonElement>('ws-analyze');

  function say(message: string, isError = false): void {
    status.textContent = message;
    status.classList.toggle('ws-error', isError);
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = input.value;
    const maxBytes = health().maxBytes;
    if (!value.trim()) return say('Paste an article or open a file first.', true);
    const size = new Blob([value]).size;
    if (size > maxBytes) return say(`This article is ${Math.round(size / 1024)} KiB, over the server limit of ${Math.round(maxBytes / 1024)} KiB.`, true);
    const html = isHtml.checked;
    const body: Record<string, unknown> = html ? { html: value } : { text: value, includeText: false };
    if (titleInput.value.trim()) body.title = titleInput.value.trim();
    analyzeBtn.disabled = true;
    say('Analyzing…');
    const started = performance.now();
    postAnalyze(body)
      .then((analysis) => {
        show(analysis, html ? String(analysis.document.text ?? '') : value);
        const n = analysis.attributions.length;
        say(`Found ${n} ${n === 1 ? 'attribution' : 'attributions'} in ${Math.round(performance.now() - started)} ms. Click a marked passage to see who said it.`);
        if (location.hash && location.hash !== '#/') history.replaceState(null, '', '#/');
      })
      .catch((err: Error) => say('Could not analyze: ' + err.message, true))
      .finally(() => {
        analyzeBtn.disabled = false;
      });
  });

  byId<HTMLInputElement>('ws-file').addEventListener('change', (ev) => {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const maxBytes = health().maxBytes;
    if (file.size > maxBytes) return say(`${file.name} is over the server limit of ${Math.round(maxBytes / 1024)} KiB.`, true);
    void file.text().then((t) => {
      input.value = t;
      isHtml.checked = /\.html?$/i.test(file.name) || /^\s*<(!doctype|html)/i.test(t);
      say(`Loaded ${file.name}. Press Analyze.`);
    });
  });

  byId('ws-example').addEventListener('click', () => {
    getExample()
      .then((ex) => {
        input.value = ex.text;
        isHtml.checked = false;
        titleInput.value = ex.title ?? '';
        say('Loaded the example article. Press Analyze.');
      })
      .catch((err: Error) => say('Could not load the example: ' + err.message, true));
  });

  return { say };
}
