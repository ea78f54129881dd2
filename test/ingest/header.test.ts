import { describe, expect, it } from 'vitest';
import { inferTable, planHeader } from '../../ingest/contract/header.ts';

describe('header → table and columns (contract.md)', () => {
  it('infers the table from the first key column found, in the contract order', () => {
    expect(inferTable(['案件编号', '罪名'])).toBe('cases');
    expect(inferTable(['嫌疑人编号', '案件编号'])).toBe('suspects');
    expect(inferTable(['措施编号', '嫌疑人编号'])).toBe('measures');
    expect(inferTable(['决定编号', '案件编号', '嫌疑人编号'])).toBe('decisions');
    expect(inferTable(['Record_ID ', 'case_id'])).toBe('supervision');
    expect(inferTable(['\uFEFF节点编号'])).toBe('events');
    expect(inferTable(['物品编号'])).toBe('property');
    expect(inferTable(['编号', '名称'])).toBeUndefined();
  });

  it('maps aliases per table: 办案单位 in cases and 被监督单位 in supervision are both police_unit', () => {
    const cases = planHeader('c.csv', 'cases', [
      '案件编号',
      '所属区',
      '办案单位',
      '罪名',
      '立案日期',
      '案件状态',
      '备注',
    ]);
    expect(cases.sources.get('police_unit')).toBe(2);
    expect(cases.sources.get('district_code')).toBe(1);
    expect(cases.extra).toEqual(['备注']);
    const sup = planHeader('s.csv', 'supervision', [
      '监督编号',
      '区划',
      '被监督单位',
      '监督类别',
      '违法情形',
      '情节',
      '监督方式',
      '发出日期',
    ]);
    expect(sup.sources.get('police_unit')).toBe(2);
    expect(() =>
      planHeader('s.csv', 'supervision', [
        '监督编号',
        '区划',
        '办案单位',
        '监督类别',
        '违法情形',
        '情节',
        '监督方式',
        '发出日期',
      ]),
    ).toThrow(/police_unit（被监督单位）/);
  });
});
