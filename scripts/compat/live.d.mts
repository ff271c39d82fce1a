export interface LiveLimitsFixture {
  limits: { key: string; value: number; row: number; quote: string; note: string }[];
  codes: { key: string; rc: number; row: number; message: string; exact: boolean; note: string }[];
  behaviour: { key: string; row: number; text: string }[];
}
export declare function buildLive(sources: { liveLimits: LiveLimitsFixture; liveMd: string }): unknown;
