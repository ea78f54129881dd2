import { resolve } from 'node:path';
import { generate } from '../../../fixtures/generator/index.ts';
import { UserError } from '../../db/errors.ts';
import { dateOption, intOption, parse } from '../args.ts';
import type { Output } from '../output.ts';
import { ProgressBar } from '../progress.ts';

export const generateHelp = `zhenjian generate --out DIR [--cases 50000] [--seed 1] [--from 2022-01-01] [--to 2025-12-31] [--json]
  生成一套交换格式的合成数据（每表一个 CSV、app-records.json、manifest.json），相同参数结果相同。`;

export async function generateCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('generate', args, {
    out: { type: 'string' },
    cases: { type: 'string' },
    seed: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  if (values.help) return (out.say(generateHelp), 0);
  if (!values.out)
    throw new UserError('缺少 --out 目录：zhenjian generate --out DIR', 'Missing --out DIR.', 2);
  const from = dateOption('from', values.from, '2022-01-01');
  const to = dateOption('to', values.to, '2025-12-31');
  if (from > to) throw new UserError(`--from（${from}）晚于 --to（${to}）。`, '--from is after --to.', 2);
  const bar = new ProgressBar();
  const started = Date.now();
  const manifest = await generate({
    out: resolve(values.out),
    cases: intOption('cases', values.cases, 50000, 1),
    seed: intOption('seed', values.seed, 1),
    from,
    to,
    onProgress: (done, total) => bar.update('生成', done / total, done),
  });
  bar.done();
  out.result(manifest);
  out.say(
    `已生成 ${manifest.cases} 个案件的合成数据到 ${resolve(values.out)}（${((Date.now() - started) / 1000).toFixed(1)} 秒），数据截止日期 ${manifest.as_of}。`,
  );
  return 0;
}
