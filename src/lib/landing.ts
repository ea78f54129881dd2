/**
 * Where a user lands after signing in (spec/api.md: agency "picks the user's landing page"): the city office on the
 * overview; a prosecutor stationed at a case centre on the supervision ledger; a police legal department on its
 * pending cases; the admin on data import; the auditor on the audit trail.
 */
export function landingPage(role: string, agency: string | null): string {
  if (role === 'admin') return '/import';
  if (role === 'auditor') return '/audit';
  if (role === 'district') return agency === '检察' ? '/supervision' : '/pending';
  return '/';
}
