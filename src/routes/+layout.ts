// Client-rendered: every figure comes from /api/v1 with the session cookie, where scope and audit are enforced;
// the page server holds no data and renders none.
export const ssr = false;
export const prerender = false;
