import { defineDashboard } from './spec.ts';

/**
 * 监督台账: supervision opinions issued, replied, adopted and overdue (rules.md §3), by district or by unit, the
 * open overdue list, Art. 6 level findings (rules.md §4) and objections (复议/复核/复查).
 */
export const supervision = defineDashboard({
  page: '/supervision',
  title: '监督台账',
  panels: [
    {
      id: 'ledger-by-district',
      title: '各区 发出监督意见与采纳',
      module: 'supervision-ledger',
      params: { group_by: 'district', from: '{from}', to: '{to}' },
      show: 'city',
      chart: 'bar',
      category: 'district_code',
      values: [
        { column: 'issued', name: '发出' },
        { column: 'adopted', name: '采纳' },
        { column: 'overdue', name: '逾期' },
      ],
      drill: { page: '/supervision', param: 'district' },
    },
    {
      id: 'ledger-by-unit',
      title: '各办案单位 发出监督意见与采纳',
      module: 'supervision-ledger',
      params: { group_by: 'police_unit', from: '{from}', to: '{to}', district: '{district}' },
      show: 'district',
      chart: 'bar',
      category: 'police_unit',
      values: [
        { column: 'issued', name: '发出' },
        { column: 'adopted', name: '采纳' },
        { column: 'overdue', name: '逾期' },
      ],
    },
    {
      id: 'ledger-by-month',
      title: '监督意见 采纳率 月度',
      module: 'supervision-ledger',
      params: { group_by: 'month', from: '{from}', to: '{to}', district: '{district}' },
      chart: 'line',
      category: 'period',
      values: [{ column: 'adoption_rate', name: '采纳率' }],
      percent: true,
      unit: '率',
    },
    {
      id: 'overdue',
      title: '逾期未回复 / 逾期回复（截至数据日期）',
      module: 'supervision-overdue',
      params: { district: '{district}' },
      chart: 'table',
      columns: [
        'case_id',
        'district_code',
        'police_unit',
        'form',
        'issued_on',
        'due_on',
        'replied_on',
        'days_overdue',
        'status',
      ],
      rowLink: 'case',
    },
    {
      id: 'levels',
      title: '监督层级不当（第6条）',
      module: 'supervision-levels',
      params: { from: '{from}', to: '{to}', district: '{district}' },
      chart: 'table',
      columns: [
        'case_id',
        'district_code',
        'police_unit',
        'issue',
        'severity',
        'form',
        'expected_form',
        'finding',
        'issued_on',
      ],
      rowLink: 'case',
    },
    {
      id: 'objections',
      title: '复议、复核、复查',
      module: 'objections',
      params: { summary: 'true', from: '{from}', to: '{to}', district: '{district}' },
      chart: 'table',
      columns: ['district_code', 'kind', 'filed', 'decided', 'changed', 'change_rate', 'late'],
    },
  ],
});
