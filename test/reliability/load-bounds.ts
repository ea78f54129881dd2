import type { LoadReport } from './load-suite.ts';

/** Peak resident memory of the server allowed under overload (DuckDB memory_limit 768 MB + Node's heap). */
export const RSS_BOUND_MB = 1536;

/** The bounds of issue 8, as messages; empty when the run met them all. */
export function loadViolations(r: LoadReport): string[] {
  const v: string[] = [];
  const n = r.normal;
  const o = r.overload;
  const non200 = Object.entries(n.status).filter(([k]) => k !== '200');
  if (n.requests === 0) v.push('正常负载：没有完成任何请求');
  if (non200.length || n.errors || n.timeouts)
    v.push(
      `正常负载：出现错误（状态 ${JSON.stringify(n.status)}，连接错误 ${n.errors}，超时 ${n.timeouts}）`,
    );
  const other = Object.keys(o.status).filter((k) => k !== '200' && k !== '503');
  if (!o.status['503']) v.push(`过载：没有以 503 拒绝任何请求（状态 ${JSON.stringify(o.status)}）`);
  if (other.length) v.push(`过载：出现 200/503 以外的状态 ${other.join('、')}`);
  if (o.timeouts) v.push(`过载：${o.timeouts} 个请求超时（应快速以 503 拒绝）`);
  if (o.rssPeakMb > RSS_BOUND_MB) v.push(`过载：服务内存峰值 ${o.rssPeakMb} MB 超过 ${RSS_BOUND_MB} MB`);
  if (r.afterStatus !== 200) v.push(`过载之后服务应答 HTTP ${r.afterStatus}`);
  return v;
}
