// Placeholder until the 'dev' command lands; it fails loudly rather than pretending to work.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('segscope dev: not built yet\n');
  return 1;
}
