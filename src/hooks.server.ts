import type { HandleServerError } from '@sveltejs/kit';

/**
 * Page-server errors: a 404 for a page that does not exist is the browser's business, not an operational event; any
 * other error is written as one JSON line to stderr (no console, no request data) and the user gets a generic
 * Chinese message.
 */
export const handleError: HandleServerError = ({ status, error }) => {
  if (status !== 404) {
    process.stderr.write(
      `${JSON.stringify({ ts: new Date().toISOString(), level: 'error', event: 'page_error', status, error: String((error as Error)?.stack ?? error) })}\n`,
    );
  }
  return { message: status === 404 ? '页面不存在' : '服务器内部错误，请联系管理员。' };
};
