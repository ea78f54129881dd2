import type { RequestHandler } from 'express';
import { HttpError } from './http-errors.ts';

/**
 * Response headers for every API answer (ASVS 3.4.x, 14.3.2): no caching of case data, no sniffing, no framing,
 * no referrer; HSTS only when served over TLS (a plain-HTTP loopback server must stay reachable).
 */
export function securityHeaders(secure: boolean): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    if (secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF (ASVS 3.5.x): writes need SameSite=Strict cookies (set at login) and, when the browser says where the
 * request comes from, that place must be this server. Clients that send no Origin (the CLI, scripts) hold no
 * browser cookies to abuse.
 */
export const originCheck: RequestHandler = (req, _res, next) => {
  if (!UNSAFE.has(req.method)) return next();
  const origin = req.get('origin');
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none')
    return next(new HttpError(403, 'cross_site', '拒绝跨站请求。'));
  if (origin) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.get('host')) return next(new HttpError(403, 'cross_site', '拒绝跨站请求。'));
  }
  next();
};
