// `segscope <command>`: each command lives in src/cli/<command>.ts and exports `run(argv)`.
export {};
const COMMANDS: Record<string, { help: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { help: 'serve the report UI and API (default port 3000)', load: () => import('./cli/serve.ts') },
  dev: { help: 'serve the API with the UI in live-reload mode', load: () => import('./cli/dev.ts') },
  query: { help: 'run one segmentation query and print it', load: () => import('./cli/query.ts') },
  import: { help: 'import Mixpanel-format JSON lines or JSON array files', load: () => import('./cli/import.ts') },
  eval: { help: 'evaluate JSON lines {"expr", "event"} from stdin', load: () => import('./cli/eval.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.help}`);
  return `usage: segscope <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

// A reader that goes away (`segscope import big.jsonl | head`) only ends the output: the command
// carries on (an import still finishes and still exits non-zero on rejected lines), without a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const [commandName, ...rest] = process.argv.slice(2);
if (!commandName || commandName === '--help' || commandName === "-h" || commandName === "help") {
  process.stdout.write(usage());
  process.exit(commandName ? 0 : 2);
}
const command = COMMANDS[commandName];
if (!command) {
  process.stderr.write(`segscope: unknown command '${commandName}'\n${usage()}`);
  process.exit(2);
}
const code = await (await command.load()).run(rest);
process.exitCode = code;
