import type { ApiSpec } from '../src/registry/index.js';

export declare const REGISTRY_PATH: string;
export declare function readRepoJson(rel: string): any;
export declare function buildRegistry(spec: unknown): { generatedFrom: string; apis: Record<string, ApiSpec> };
export declare function renderRegistry(): string;
export declare function writeOrCheck(files: Record<string, string>, check: boolean): string[];
export declare function runCli(files: Record<string, string>): void;
