/** `npm run docs:machines`: rewrites the diagram section of docs/ARCHITECTURE.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractDiagramSection, renderDiagramSection } from './machine-diagrams.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const docPath = `${root}docs/ARCHITECTURE.md`;

const text = readFileSync(docPath, 'utf8');
const current = extractDiagramSection(text);
if (current === undefined) {
  process.stderr.write(`${docPath} has no machines:begin / machines:end markers.\n`);
  process.exit(1);
}

const fresh = await renderDiagramSection(`${root}machines`);
writeFileSync(docPath, text.replace(current, fresh));
process.stdout.write(current === fresh ? 'diagrams already current\n' : 'diagrams updated\n');
