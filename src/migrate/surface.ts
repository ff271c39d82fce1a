/**
 * The OCX surface table (`compat/migrate/ocx-surface.json`): for each of the 58 OCX methods and
 * 9 events, the APIServer method that replaces it, what it becomes on the wire, and what a
 * legacy program changes at such a site.
 */
import { readFileSync } from 'node:fs';

/** How one OCX method is served. */
export interface MethodRow {
  /** The APIServer method, or null when kiwoom-compat does not provide it. */
  facade: string | null;
  /** The REST api-id(s) or WebSocket message it becomes. */
  wire: string;
  /** What a legacy program changes at such a call site. */
  change: string;
  /** `unsupported` for a member that exists but has nothing behind it; default: ok when provided. */
  severity?: 'ok' | 'check' | 'unsupported';
}

/** Where one OCX event comes from now. */
export interface EventRow {
  source: string;
  change: string;
}

/** What a KOA_Functions sub-command becomes. */
export interface KoaFunctionRow {
  severity: 'ok' | 'unsupported';
  change: string;
}

interface SurfaceFile {
  methods: Record<string, MethodRow>;
  koaFunctions: Record<string, KoaFunctionRow>;
  events: Record<string, EventRow>;
}

const file = JSON.parse(readFileSync(new URL('../../compat/migrate/ocx-surface.json', import.meta.url), 'utf8')) as SurfaceFile;

/** Every OCX method by name. */
export const OCX_METHODS: Readonly<Record<string, MethodRow>> = file.methods;
/** KOA_Functions sub-commands by name. */
export const KOA_FUNCTIONS: Readonly<Record<string, KoaFunctionRow>> = file.koaFunctions;
/** Every OCX event by name. */
export const OCX_EVENTS: Readonly<Record<string, EventRow>> = file.events;
