import { api } from './api.ts';

export interface Me {
  user: {
    user_id: number;
    username: string;
    role: 'admin' | 'city' | 'district' | 'auditor';
    role_label: string;
    agency: string | null;
    districts: string[];
  };
  districts: { code: string; name: string }[];
  data_as_of: string | null;
  idle_minutes: number;
}

/** The signed-in user, shared by the layout and the pages; null until /me answered, or when signed out. */
export const session = $state<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false });

export async function loadMe(): Promise<Me | null> {
  try {
    session.me = await api<Me>('/me');
  } catch {
    session.me = null;
  }
  session.loaded = true;
  return session.me;
}

export function districtName(code: string | null | undefined): string {
  if (!code) return '—';
  return session.me?.districts.find((d) => d.code === code)?.name ?? code;
}
