export function isMulesoftNotebook(t: string): boolean { return false; }
export function importMulesoft(..._a: unknown[]): never { throw new Error('todo'); }
