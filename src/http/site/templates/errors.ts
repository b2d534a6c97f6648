import { html, type SafeHtml } from '../html.js';

const TEXT: Record<number, { title: string; message: string }> = {
  400: { title: 'Bad request', message: 'The address has something we could not read.' },
  404: { title: 'Page not found', message: 'There is nothing at this address. It may have moved or never existed.' },
  429: { title: 'Too many requests', message: 'Please wait a moment and try again.' },
  500: { title: 'Something went wrong', message: 'The error has been logged. Please try again in a moment.' },
};

export function errorTitle(status: number): string {
  return (TEXT[status] ?? TEXT[status >= 500 ? 500 : 400]!).title;
}

/** The body of an error page; `detail` is a client error's own message (never a server error's). */
export function errorBody(status: number, detail?: string): SafeHtml {
  const text = TEXT[status] ?? TEXT[status >= 500 ? 500 : 400]!;
  return html`<div class="error-page">
    <p class="status">${status}</p>
    <h1>${text.title}</h1>
    <p>${detail ?? text.message}</p>
    <p><a href="/">Go to the home page</a></p>
  </div>`;
}
