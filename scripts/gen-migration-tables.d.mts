export declare function renderTables(): string;
export declare function renderMigration(current?: string): string;
