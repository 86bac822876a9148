/**
 * The roadmap's only stylesheet, served as /roadmap.css (the CSP allows same-origin styles and
 * nothing inline). Phone first: one column, no fixed widths, long words wrap.
 */
export const ROADMAP_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;background:#f9fafb}
a{color:#1d4ed8}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #93c5fd;outline-offset:1px}
header.site,footer.site,main{max-width:56rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid #e5e7eb}
header.site .home{font-weight:700;font-size:1.15rem;text-decoration:none;color:#111827}
header.site nav a{margin-left:.75rem;font-size:.9rem}
footer.site{color:#6b7280;font-size:.85rem;padding-top:1.5rem;padding-bottom:2rem}
h1{font-size:1.5rem;line-height:1.25;margin:1rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem;display:flex;justify-content:space-between;align-items:baseline;gap:.5rem;flex-wrap:wrap}
h2 .more{font-size:.85rem;font-weight:400}
.muted{color:#6b7280}
.notice{background:#fef3c7;border:1px solid #fcd34d;border-radius:6px;padding:.5rem .75rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:1rem 0;padding:.75rem;background:#fff;border:1px solid #e5e7eb;border-radius:8px}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:#374151;flex:1 1 9rem;min-width:0}
form.filters label.search{flex:3 1 14rem}
form.filters input,form.filters select{font:inherit;padding:.4rem .5rem;border:1px solid #d1d5db;border-radius:6px;background:#fff;width:100%;min-width:0}
form.filters button{font:inherit;padding:.45rem 1rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
form.filters .reset{align-self:center;font-size:.9rem}
ol.requests{list-style:none;margin:0;padding:0}
li.req{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.75rem .9rem;margin:.5rem 0}
.req-head{display:flex;gap:.5rem;align-items:baseline;flex-wrap:wrap}
.req-head .num{font-weight:600;text-decoration:none;color:#6b7280;flex:none}
.req-head .title{font-weight:600;text-decoration:none;color:#111827;overflow-wrap:anywhere;flex:1 1 12rem}
.req-head .title:hover{text-decoration:underline}
.status{font-size:.75rem;border-radius:999px;padding:.05rem .55rem;background:#e5e7eb;color:#374151;white-space:nowrap;flex:none}
.status-planned{background:#ede9fe;color:#5b21b6}
.status-in_progress{background:#fef3c7;color:#92400e}
.status-shipped{background:#dcfce7;color:#166534}
.status-declined,.status-merged{background:#f3f4f6;color:#6b7280}
.meta{margin:.35rem 0 0;font-size:.9rem;color:#374151;display:flex;flex-wrap:wrap;gap:.25rem .9rem;align-items:center}
.who,.credits,.links{margin:.25rem 0 0;font-size:.9rem;color:#4b5563;overflow-wrap:anywhere}
svg.bar{vertical-align:middle}
svg.bar .bar-track{fill:#e5e7eb}
svg.bar .bar-fill{fill:#2563eb}
svg.chart{display:block;width:100%;max-width:40rem;height:auto;background:#fff;border:1px solid #e5e7eb;border-radius:8px}
svg.chart .tick{font-size:13px;fill:#6b7280}
svg.chart .chart-line{stroke:#1d4ed8}
svg.chart .chart-area{fill:#dbeafe}
nav.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.body{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.75rem .9rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{color:#6b7280}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.history{padding-left:1.25rem}
ol.history li{margin:.25rem 0;overflow-wrap:anywhere}
table.data{border-collapse:collapse;font-size:.9rem}
table.data th,table.data td{padding:.2rem .75rem .2rem 0;text-align:left}
header.site{border-top:4px solid var(--accent)}
header.site .home{display:flex;align-items:center;gap:.5rem}
header.site img.logo{width:32px;height:32px;object-fit:contain}
header.site nav{display:flex;flex-wrap:wrap;align-items:center;justify-content:flex-end;gap:.25rem}
header.site .account{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-left:.75rem;font-size:.9rem}
header.site .account a{margin-left:0}
form.inline{display:inline;margin:0}
button.link{font:inherit;background:none;border:0;padding:0;color:#1d4ed8;text-decoration:underline;cursor:pointer}
.org{max-width:56rem;margin:0 auto;padding:.5rem 1rem 0;color:#374151}
.org .intro{margin:.25rem 0;white-space:pre-wrap}
.org-links a{margin-right:.75rem}
.flash{background:#dcfce7;border:1px solid #86efac;border-radius:6px;padding:.5rem .75rem;white-space:pre-wrap;overflow-wrap:anywhere}
.flash-error{background:#fee2e2;border-color:#fca5a5}
section.act{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.25rem .9rem .75rem;margin:1rem 0}
section.act form{margin:.5rem 0}
section.act button,form.fields button,.account-page button{font:inherit;padding:.45rem 1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
section.act button.secondary,button.secondary{background:#e5e7eb;color:#111827;font:inherit;padding:.45rem 1rem;border:0;border-radius:6px;cursor:pointer}
form.fields label{display:flex;flex-direction:column;font-size:.9rem;color:#374151;margin:.25rem 0}
form.fields input,form.fields textarea{font:inherit;padding:.4rem .5rem;border:1px solid #d1d5db;border-radius:6px;width:100%;max-width:36rem}
.voted{margin:.25rem 0;color:#166534;font-weight:600}
a.signin-link{display:inline-block;padding:.2rem .6rem;border:1px solid var(--accent);border-radius:6px;text-decoration:none;color:var(--accent);white-space:nowrap}
.board{display:grid;grid-template-columns:1fr;gap:1rem;margin:1rem 0}
.board section.column{background:#f3f4f6;border-radius:8px;padding:.5rem;min-width:0}
.board h2{margin:.25rem .25rem .5rem}
@media (min-width:48rem){.board{grid-template-columns:repeat(4,minmax(0,1fr))}main.wide{max-width:80rem}}
ul.accounts,ul.refs{padding-left:1.25rem}
ul.refs li{margin:.3rem 0;overflow-wrap:anywhere}
@media (min-width:40rem){h1{font-size:1.75rem}}
`;

/** The organization's accent colour (validated as #rrggbb by the config), as a CSS variable. */
export const accentCss = (accent: string | undefined): string => `:root{--accent:${accent && /^#[0-9a-fA-F]{6}$/.test(accent) ? accent : "#1d4ed8"}}\n`;
