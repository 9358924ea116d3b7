// Prints each failed test of the given .trx files with its message and first stack frames, so the
// end of a test run (often all a CI log keeps) says what failed, not only how many.
import { existsSync, readFileSync } from "node:fs";

const unescape = (s) => s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name, dec, hex) =>
  dec ? String.fromCodePoint(+dec) : hex ? String.fromCodePoint(parseInt(hex, 16))
    : { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" }[name]);
const firstLines = (text, count) => {
  const lines = unescape(text).trim().split(/\r?\n/);
  return lines.slice(0, count).concat(lines.length > count ? ["…"] : []);
};

for (const file of process.argv.slice(2).filter(existsSync)) {
  const trx = readFileSync(file, "utf8");
  for (const [result] of trx.matchAll(/<UnitTestResult [^>]*outcome="(Failed|Aborted|Timeout)"[^>]*>[\s\S]*?(<\/UnitTestResult>|$)/g)) {
    const name = unescape(/testName="([^"]*)"/.exec(result)[1]);
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(result)?.[1] ?? "(no message)";
    const stack = /<StackTrace>([\s\S]*?)<\/StackTrace>/.exec(result)?.[1] ?? "";
    console.log(`FAILED ${name}`);
    for (const line of firstLines(message, 15)) console.log(`    ${line}`);
    for (const line of stack ? firstLines(stack, 6) : []) console.log(`    ${line.trim()}`);
  }
}
