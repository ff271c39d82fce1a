export declare function renderCompat(): Record<string, string>;
