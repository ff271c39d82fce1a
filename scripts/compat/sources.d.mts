import type { LiveLimitsFixture } from './live.mjs';
export declare function loadSources(): { liveLimits: LiveLimitsFixture; liveMd: string } & Record<string, unknown>;
export declare function byNumberThenText(a: string, b: string): number;
export declare function minus<T>(a: T[], b: T[]): T[];
