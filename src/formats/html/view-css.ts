/**
 * Styles for the attribution view (report and web page). Roles differ in colour *and* line style, so
 * colour is never the only signal: source = solid underline, cue = double underline and bold,
 * content = dotted underline; nested content gets a darker tint.
 */
export const VIEW_CSS = `
.ws-view { --ws-source: #0b5fa5; --ws-source-bg: rgba(0, 114, 178, 0.13); --ws-cue: #a65200; --ws-cue-bg: rgba(230, 159, 0, 0.32);
  --ws-content: #00775a; --ws-content-bg: rgba(0, 158, 115, 0.10); --ws-ink: #1d1d1f; --ws-muted: #5b5b66; --ws-line: #d9d9e0;
  color: var(--ws-ink); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.ws-view *, .ws-view *::before, .ws-view *::after { box-sizing: border-box; }
.ws-head { margin: 0 0 0.5rem; }
.ws-title { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.25rem; }
.ws-meta { color: var(--ws-muted); margin: 0; font-size: 0.9rem; }
.ws-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; padding: 0.5rem 0.75rem; margin: 0.5rem 0 1rem;
  border: 1px solid var(--ws-line); border-radius: 6px; font-size: 0.85rem; color: var(--ws-muted); }
.ws-key { color: var(--ws-ink); padding: 0 0.2em; }
.ws-layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem); gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .ws-layout { grid-template-columns: 1fr; } }
.ws-text { white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem;
  line-height: 2.05; max-width: 46rem; }
.ws-seg { cursor: pointer; border-radius: 2px; }
.ws-seg:focus-visible { outline: 2px solid #6a3fb5; outline-offset: 2px; }
.ws-r-content { background: var(--ws-content-bg); text-decoration: underline dotted var(--ws-content); text-decoration-thickness: 2px;
  text-underline-offset: 0.42em; text-decoration-skip-ink: none; }
.ws-r-content.ws-d2 { background: rgba(0, 158, 115, 0.22); }
.ws-r-content.ws-d3 { background: rgba(0, 158, 115, 0.34); }
.ws-r-source { background: var(--ws-source-bg); text-decoration: underline solid var(--ws-source); text-decoration-thickness: 2px;
  text-underline-offset: 0.16em; }
.ws-r-cue { background: var(--ws-cue-bg); font-weight: 650; text-decoration: underline double var(--ws-cue); text-decoration-thickness: 1.5px;
  text-underline-offset: 0.16em; }
.ws-sel, .ws-key-sel { outline: 2px solid #1d1d1f; outline-offset: 1px; }
.ws-seg.ws-sel { background: rgba(255, 235, 59, 0.35); }
.ws-hit { outline: 2px dashed #c2185b; outline-offset: 1px; }
.ws-side { position: sticky; top: 0.5rem; max-height: calc(100vh - 1rem); overflow: auto; font-size: 0.92rem; padding-right: 0.25rem; }
.ws-side section, .ws-side details { border: 1px solid var(--ws-line); border-radius: 6px; padding: 0.6rem 0.8rem; margin: 0 0 0.8rem; background: #fff; }
.ws-side h2 { font-size: 1rem; margin: 0 0 0.4rem; }
.ws-side h3 { font-size: 0.95rem; margin: 0.6rem 0 0.25rem; }
.ws-details { border-color: #9a9aa6; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }
.ws-aid { font-family: ui-monospace, Menlo, Consolas, monospace; }
.ws-facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 0.8rem; margin: 0; }
.ws-facts dt { color: var(--ws-muted); }
.ws-facts dd { margin: 0; overflow-wrap: anywhere; }
.ws-facts meter { width: 6rem; vertical-align: middle; }
.ws-hint { color: var(--ws-muted); margin: 0.3rem 0; }
.ws-badge { display: inline-block; font-size: 0.75rem; line-height: 1.4; padding: 0 0.4em; border-radius: 3px; border: 1px solid var(--ws-line);
  background: #f4f4f7; color: var(--ws-ink); font-weight: 500; vertical-align: 0.1em; }
.ws-type-person { background: #e8f1fb; border-color: #b6d0ee; }
.ws-type-organization { background: #efe9fb; border-color: #cdbdf0; }
.ws-type-media { background: #fdf0e1; border-color: #efcc9f; }
.ws-type-anonymous { background: #f6e3e8; border-color: #e2b1bf; }
.ws-type-unresolved { background: #f1f1f1; border-color: #cfcfcf; border-style: dashed; }
.ws-speaker { border-top: 1px solid var(--ws-line); padding-top: 0.3rem; }
.ws-speaker:first-of-type { border-top: 0; }
.ws-desc { margin: 0.1rem 0; color: var(--ws-muted); }
.ws-passages, .ws-all, .ws-flags, .ws-top { margin: 0.2rem 0; padding-left: 1.2rem; }
.ws-passages li, .ws-all li, .ws-flags li, .ws-top li { margin: 0.15rem 0; }
.ws-note { color: var(--ws-muted); }
.ws-view a { color: #0b5fa5; }
.ws-flag-code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; }
.ws-view button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.5rem; border: 1px solid #9a9aa6; border-radius: 4px; background: #f7f7fa; cursor: pointer; }
.ws-view button:hover { background: #ececf2; }
.ws-list summary { cursor: pointer; font-weight: 600; }
`;
