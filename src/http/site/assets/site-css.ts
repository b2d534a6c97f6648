// The site's stylesheet, kept in a module (not a .css file) so the build ships it without a copy step.
// Served fingerprinted by assets.ts. System fonts with CJK fallbacks; one column that reads well from phones up.
export const siteCss = `
:root{--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--line:#e3e3e6;--accent:#1a5fb4;--error:#b3261e;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#ececee;--muted:#a8abb0;--bg:#121214;--line:#2c2c30;--accent:#8ab4f8;--error:#f2b8b5}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.7 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","PingFang SC","Hiragino Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif;overflow-wrap:break-word}
:lang(zh),:lang(ja){line-break:strict;text-align:start}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.wrap{max-width:44rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:1}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site-header{border-bottom:1px solid var(--line);padding:.75rem 0;margin-bottom:2rem}
.site-header .wrap{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
.search{display:flex;gap:.25rem}
input,textarea,button{font:inherit;color:inherit}
input,textarea{border:1px solid var(--line);border-radius:4px;padding:.4rem .5rem;background:var(--bg);max-width:100%}
button{border:1px solid var(--accent);background:var(--accent);color:var(--bg);border-radius:4px;padding:.4rem .9rem;cursor:pointer}
h1{font-size:2rem;line-height:1.25;margin:0 0 .5rem}
h2{line-height:1.3}
.post-card{padding:1.25rem 0;border-bottom:1px solid var(--line)}
.post-card h2{margin:.25rem 0;font-size:1.4rem}
.post-card h2 a{color:var(--fg);text-decoration:none}.post-card h2 a:hover{text-decoration:underline}
.byline,.comment-meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.tags{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.4rem}
.tags a{font-size:.85rem;border:1px solid var(--line);border-radius:999px;padding:.05rem .6rem;text-decoration:none}
img.cover{display:block;width:100%;height:auto;border-radius:6px;margin:.75rem 0}
.content img{max-width:100%;height:auto}
.content pre{overflow-x:auto;padding:1rem;border:1px solid var(--line);border-radius:6px}
.content table{display:block;overflow-x:auto;border-collapse:collapse}
.pagination{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0;color:var(--muted)}
#comments{margin-top:3rem;border-top:1px solid var(--line)}
.comments{list-style:none;padding:0}.comment{padding:.75rem 0;border-bottom:1px solid var(--line)}
.comment-form label{display:block;font-weight:600}
.comment-form input,.comment-form textarea{width:100%}
.hp{position:absolute;left:-9999px}
.field-error,.form-error{color:var(--error);margin:.25rem 0}
.notice{border-left:4px solid var(--accent);padding:.5rem 1rem}
.error-page{text-align:center;padding:3rem 0}.error-page .status{font-size:3rem;color:var(--muted);margin:0}
.site-footer{border-top:1px solid var(--line);margin-top:3rem;padding:1.5rem 0;color:var(--muted)}
@media (max-width:30rem){h1{font-size:1.6rem}.post-card h2{font-size:1.2rem}}
`;
