import type { QueryModule } from '../module.ts';

export const modules: QueryModule[] = [];
