export declare function stableJson(value: unknown, inlineDepth?: number): string;
