export declare const REST_TYPES_PATH: string;
export declare function buildRestTypes(registry: unknown): string;
export declare function renderRestTypes(): string;
