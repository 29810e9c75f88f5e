export function isOpenApi(d: unknown): boolean { return false; }
export function importOpenApi(..._a: unknown[]): never { throw new Error('todo'); }
