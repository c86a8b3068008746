// Placeholder until the 'import' command lands; it fails loudly rather than pretending to work.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('segscope import: not built yet\n');
  return 1;
}
