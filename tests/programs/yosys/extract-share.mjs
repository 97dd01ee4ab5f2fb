// Writes the data files that @yowasp/yosys mounts at /share (its gen/resources-yosys.js
// lists them: small files inline as strings, large ones as URLs of files in the package)
// into a directory, so a plain WASI runtime can preopen them as the guest's /share.
//
// Usage: node extract-share.mjs <package>/gen/resources-yosys.js <out-dir>
// Prints the number of files written. Used by scripts/fetch-programs.sh.
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const [resources, outDir] = process.argv.slice(2);
if (!resources || !outDir) {
  console.error('usage: node extract-share.mjs <resources-yosys.js> <out-dir>');
  process.exit(2);
}
const { filesystem } = await import(pathToFileURL(path.resolve(resources)).href);
let count = 0;
function write(tree, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const target = path.join(dir, name);
    if (typeof value === 'string' || value instanceof Uint8Array) {
      fs.writeFileSync(target, value);
      count++;
    } else if (value instanceof URL) {
      fs.copyFileSync(fileURLToPath(value), target);
      count++;
    } else if (value && typeof value === 'object') {
      write(value, target);
    } else {
      throw new Error(`unexpected entry ${target}: ${typeof value}`);
    }
  }
}
// `filesystem` is { share: {...} }: write it so that <out-dir>/share is the guest's /share.
write(filesystem, outDir);
console.log(count);
