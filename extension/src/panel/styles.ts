/** The panel's look: narrow, dense, readable beside an accounting app. */
export const PANEL_CSS = `
:root { font: 13px/1.45 system-ui, sans-serif; color: #1f2933; background: #fff; }
body { margin: 0; }
.panel { padding: 12px; display: flex; flex-direction: column; gap: 12px; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
header h1 { font-size: 15px; margin: 0; color: #0f766e; }
.section h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #52606d; margin: 0 0 4px; }
.section p { margin: 2px 0; }
.headline { font-size: 15px; font-weight: 600; }
.muted { color: #52606d; }
.late { color: #b42318; font-weight: 600; }
.success { color: #027a48; }
.figures { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
.figures dt { color: #52606d; }
.figures dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.rows, .plain { list-style: none; padding: 0; margin: 0; }
.rows li { display: flex; flex-direction: column; padding: 4px 0; border-bottom: 1px solid #e4e7eb; }
.notice { padding: 8px 10px; border-radius: 6px; background: #f0f4f8; }
.notice.error { background: #fef3f2; }
.notice p { margin: 4px 0 0; }
.loading { color: #52606d; padding: 8px 0; }
.badge { border-radius: 10px; padding: 0 6px; background: #e4e7eb; }
.badge.overdue { background: #fee4e2; color: #b42318; }
.badge.paid { background: #d1fadf; color: #027a48; }
form { display: flex; flex-direction: column; gap: 6px; }
label { display: flex; flex-direction: column; gap: 2px; color: #52606d; }
input, textarea { font: inherit; padding: 4px 6px; border: 1px solid #cbd2d9; border-radius: 4px; }
button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #0f766e; background: #0f766e; color: #fff; cursor: pointer; align-self: flex-start; }
button:disabled { opacity: .5; cursor: default; }
button.link { background: none; border: none; color: #0f766e; padding: 0; text-decoration: underline; text-align: left; }
a { color: #0f766e; }
`;
