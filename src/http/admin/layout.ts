import type { Role } from '../../domain/roles.js';
import { can, type Actor } from '../../domain/policy.js';
import { escapeHtml } from './html.js';

export interface Viewer {
  actor: Actor;
  name: string;
}

interface NavItem {
  href: string;
  label: string;
  key: string;
  allowed: (role: Role, actor: Actor) => boolean;
}

const NAV: readonly NavItem[] = [
  { href: '/admin', label: 'Dashboard', key: 'dashboard', allowed: () => true },
  { href: '/admin/articles', label: 'Articles', key: 'articles', allowed: () => true },
  { href: '/admin/comments', label: 'Comments', key: 'comments', allowed: (_r, a) => can(a, 'comment:moderate') },
  { href: '/admin/media', label: 'Media', key: 'media', allowed: () => true },
  { href: '/admin/users', label: 'Users', key: 'users', allowed: (_r, a) => can(a, 'user:manage') },
  { href: '/admin/settings', label: 'Settings', key: 'settings', allowed: (_r, a) => can(a, 'settings:manage') },
  { href: '/admin/ops', label: 'Ops', key: 'ops', allowed: (_r, a) => can(a, 'ops:manage') },
];

/** Which admin sections a user sees; the API refuses the rest anyway, this only keeps dead controls away. */
export function mayOpen(actor: Actor, section: string): boolean {
  const item = NAV.find((n) => n.key === section);
  return item === undefined || item.allowed(actor.role, actor);
}

function head(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Inkstone admin</title>
<link rel="stylesheet" href="/admin/assets/admin.css">
</head>`;
}

/**
 * A signed-in page: the shell only (navigation for the viewer's role, empty regions with labels); the page's
 * module fills it from the JSON API. Nothing secret is in the HTML: the CSRF token comes from /api/auth/session.
 */
export function signedInPage(opts: {
  viewer: Viewer;
  section: string;
  title: string;
  script: string;
  body: string;
}): string {
  const { viewer, section, title, script, body } = opts;
  const links = NAV.filter((n) => n.allowed(viewer.actor.role, viewer.actor))
    .map((n) => {
      const current = n.key === section ? ' aria-current="page"' : '';
      return `<li><a href="${n.href}"${current}>${escapeHtml(n.label)}</a></li>`;
    })
    .join('');
  return `${head(title)}
<body data-role="${escapeHtml(viewer.actor.role)}" data-user-id="${viewer.actor.id}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
<a class="brand" href="/admin">Inkstone</a>
<nav aria-label="Admin sections"><ul>${links}</ul></nav>
<div class="who"><span>${escapeHtml(viewer.name)} <small>(${escapeHtml(viewer.actor.role)})</small></span>
<button type="button" id="sign-out" class="link-button">Sign out</button></div>
</header>
<main id="main" tabindex="-1">
<h1>${escapeHtml(title)}</h1>
<div id="flash" role="alert" aria-live="assertive" class="flash" hidden></div>
${body}
</main>
<script type="module" src="/admin/assets/${script}"></script>
</body>
</html>
`;
}

export function loginPage(next: string): string {
  return `${head('Sign in')}
<body class="login-body">
<main id="main" class="login-box">
<h1>Inkstone admin</h1>
<form id="login-form" data-next="${escapeHtml(next)}" novalidate>
<div id="flash" role="alert" aria-live="assertive" class="flash" hidden></div>
<p><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
</main>
<script type="module" src="/admin/assets/login.js"></script>
</body>
</html>
`;
}

/** A plain HTML error page (404, 403, 500) for the admin's own URLs. */
export function errorPage(status: number, title: string, message: string): string {
  return `${head(title)}
<body>
<main id="main" class="error-page">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="/admin">Back to the dashboard</a></p>
<p class="status">HTTP ${status}</p>
</main>
</body>
</html>
`;
}
