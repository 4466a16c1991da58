import fs from 'node:fs';
import path from 'node:path';

interface JestResults {
  testResults: {
    name: string;
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as JestResults;
for (const file of results.testResults) {
  const name = path.basename(file.name);
  const a = file.assertionResults;
  console.log(`${name}: ${a.filter((t) => t.status === 'passed').length}/${a.length}`);
  if (!a.length) console.log(`   ${file.message.split('\n').slice(0, 6).join('\n   ')}`);
  for (const t of a)
    if (t.status !== 'passed')
      console.log(
        `   ${t.status}: ${t.fullName} — ${(t.failureMessages[0] ?? '').split('\n')[0].slice(0, 200)}`,
      );
}
