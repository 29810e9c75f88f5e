export async function startStripeMock(_o: { port?: number; host?: string; logLevel?: string }): Promise<{ url: string; close(): Promise<void> }> { throw new Error('not yet'); }
