/**
 * One `environments/NAME.yaml` an importer writes (Bruno's environments, http-client.env.json).
 * The name comes from the imported files, so it is made safe twice: as a file name (no folder, no
 * separator) and in the heading comment (no line break that would start a YAML line of its own).
 */
import { stringify } from 'yaml';

export interface EnvironmentFile {
  path: string;
  text: string;
}

export function environmentFile(name: string, origin: string, content: Record<string, unknown>): EnvironmentFile {
  const heading = `# Imported by api-notebook from ${origin}.`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  const body = Object.keys(content).length ? stringify(content, { lineWidth: 0 }) : '{}\n';
  return { path: `environments/${name.replace(/[^\w.-]+/g, '-')}.yaml`, text: `${heading}\n${body}` };
}
