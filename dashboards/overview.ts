import { defineDashboard } from './spec.ts';

/**
 * 总览: the joint-meeting figures of the period with 同比/环比, filings month by month over two years, and the
 * districts (or, drilled into one district, its police units) side by side. City → district → unit → case list.
 */
export const overview = defineDashboard({
  page: '/',
  title: '总览',
  panels: [
    {
      id: 'kpis',
      title: '关键指标（同比 / 环比）',
      module: 'joint-meeting-pack',
      params: { period: '{period}', level: '{level}', district: '{district}' },
      chart: 'kpi',
    },
    {
      id: 'filings-trend',
      title: '刑事立案 月度趋势',
      module: 'case-filings',
      params: { group_by: 'month', from: '{trend_from}', to: '{to}', district: '{district}' },
      chart: 'line',
      category: 'month',
      values: [{ column: 'filed', name: '立案数' }],
    },
    {
      id: 'rates-by-district',
      title: '各区 不捕率 / 不诉率',
      module: 'decision-rates',
      params: { group_by: 'district', from: '{from}', to: '{to}' },
      show: 'city',
      chart: 'bar',
      category: 'district_code',
      values: [
        { column: 'non_arrest_rate', name: '不捕率' },
        { column: 'non_prosecution_rate', name: '不诉率' },
      ],
      percent: true,
      unit: '率',
      drill: { page: '/', param: 'district' },
    },
    {
      id: 'filings-by-district',
      title: '各区 刑事立案',
      module: 'case-filings',
      params: { group_by: 'district', from: '{from}', to: '{to}' },
      show: 'city',
      chart: 'bar',
      category: 'district_code',
      values: [{ column: 'filed', name: '立案数' }],
      drill: { page: '/', param: 'district' },
    },
    {
      id: 'filings-by-unit',
      title: '各办案单位 刑事立案',
      module: 'case-filings',
      params: { group_by: 'police_unit', from: '{from}', to: '{to}', district: '{district}' },
      show: 'district',
      chart: 'bar',
      category: 'police_unit',
      values: [{ column: 'filed', name: '立案数' }],
      drill: { page: '/pending', param: 'police_unit' },
    },
    {
      id: 'rates-by-unit',
      title: '各办案单位 不捕率 / 不诉率',
      module: 'decision-rates',
      params: { group_by: 'police_unit', from: '{from}', to: '{to}', district: '{district}' },
      show: 'district',
      chart: 'bar',
      category: 'police_unit',
      values: [
        { column: 'non_arrest_rate', name: '不捕率' },
        { column: 'non_prosecution_rate', name: '不诉率' },
      ],
      percent: true,
      unit: '率',
      drill: { page: '/pending', param: 'police_unit' },
    },
  ],
});
