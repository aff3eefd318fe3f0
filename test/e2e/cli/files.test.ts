// Files through the real binary and a real relay (local media backend): send-file from a path
// and from stdin, the file message in receive / history / listen, download to a directory, a
// path or stdout, no overwrite without --force, a name from the sender made safe, a refused
// unsafe --name, and a download whose stored ciphertext was altered on the relay.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost, RunningSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
let relay: TestRelay;
let alice: string;
let bob: string;
let aliceId: string;
const running: RunningSealpost[] = [];

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  const values = jsonLines(result.stdout).filter((v) => v.type !== 'progress');
  expect(values).toHaveLength(1);
  return values[0] as Record<string, unknown>;
}

/** Bob fetches his backlog; returns the message events. */
async function bobReceives(): Promise<Array<Record<string, unknown>>> {
  const received = await json(bob, 'receive');
  return (received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message');
}

/** Files in `dir`, hidden ones included (a leftover temporary file would show here). */
function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-files-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')));
  alice = join(root, 'alice');
  bob = join(root, 'bob');
  aliceId = String((await json(alice, 'init', '--relay', relay.origin, '--username', 'alice')).accountId);
  await json(bob, 'init', '--relay', relay.origin, '--username', 'bob');
});

afterAll(async () => {
  for (const process of running) await process.stop();
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('send-file and download', () => {
  it('round trip of a file: progress events, the file message everywhere, download to a directory', async () => {
    const content = randomBytes(300_000);
    const path = join(root, 'report.pdf');
    writeFileSync(path, content);
    const result = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'bob', path]);
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    const sent = lines.at(-1) as Record<string, unknown>;
    expect(sent).toMatchObject({ type: 'send-file', v: 1, state: 'sent', file: { name: 'report.pdf', contentType: 'application/pdf', size: 300_000 } });
    // Progress comes first: from 0 to the padded ciphertext size, in order.
    const progress = lines.slice(0, -1);
    expect(progress.every((p) => p.type === 'progress' && p.v === 1 && p.phase === 'upload')).toBe(true);
    const bytes = progress.map((p) => Number(p.bytes));
    expect(bytes[0]).toBe(0);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes.at(-1)).toBe(progress[0]?.total);
    expect(Number(progress[0]?.total)).toBeGreaterThan(300_000);

    const [message] = await bobReceives();
    expect(message).toMatchObject({ id: sent.id, direction: 'in', peer: aliceId, body: '', file: { name: 'report.pdf', contentType: 'application/pdf', size: 300_000 } });
    const history = await json(bob, 'history', 'alice');
    expect((history.messages as Array<Record<string, unknown>>).at(-1)).toMatchObject({ id: sent.id, file: { name: 'report.pdf', size: 300_000 } });
    const text = await runSealpost(['--data-dir', bob, 'history', 'alice']);
    expect(text.stdout).toContain(`[file] report.pdf (application/pdf, 293 KiB) — sealpost download ${String(sent.id)}`);

    const downloads = join(root, 'downloads');
    mkdirSync(downloads);
    const download = await runSealpost(['--data-dir', bob, '--json', 'download', String(sent.id), '--out', downloads]);
    expect(download.code, download.stderr).toBe(0);
    const events = jsonLines(download.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'download', id: sent.id, path: join(downloads, 'report.pdf'), name: 'report.pdf', size: 300_000 });
    // The digest is checked (verify) before anything is decrypted.
    expect([...new Set(events.slice(0, -1).map((e) => e.phase))]).toEqual(['download', 'verify', 'decrypt']);
    expect(readFileSync(join(downloads, 'report.pdf')).equals(content)).toBe(true);
    expect(statSync(join(downloads, 'report.pdf')).mode & 0o777).toBe(0o600);
    expect(entries(downloads)).toEqual(['report.pdf']);

    // Never overwritten without --force; the file stays as it was.
    writeFileSync(join(downloads, 'report.pdf'), 'mine');
    const again = await runSealpost(['--data-dir', bob, '--json', 'download', String(sent.id), '--out', downloads]);
    expect(again.code).toBe(1);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: 'error', code: 'CLI_ERR_FILE_EXISTS', exitCode: 1 });
    expect(readFileSync(join(downloads, 'report.pdf'), 'utf8')).toBe('mine');
    const forced = await runSealpost(['--data-dir', bob, 'download', String(sent.id), '--out', downloads, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.trim()).toBe(join(downloads, 'report.pdf'));
    expect(readFileSync(join(downloads, 'report.pdf')).equals(content)).toBe(true);
    expect(entries(downloads)).toEqual(['report.pdf']);

    // The sender can fetch its own file too (and a plain text message is not a file).
    const own = await runSealpost(['--data-dir', alice, 'download', String(sent.id), '--out', join(root, 'alice-copy.pdf')]);
    expect(own.code, own.stderr).toBe(0);
    expect(readFileSync(join(root, 'alice-copy.pdf')).equals(content)).toBe(true);
    const textId = String((await json(alice, 'send', 'bob', 'just text')).id);
    const notFile = await runSealpost(['--data-dir', alice, '--json', 'download', textId]);
    expect(notFile.code).toBe(6);
    expect(jsonLines(notFile.stdout)[0]).toMatchObject({ code: 'CLI_ERR_FILE_MESSAGE_NOT_FOUND' });
    await bobReceives();
  });

  it('stdin is sent as a file (spooled first), also while listen runs; downloads to stdout or the current directory', async () => {
    const bobListens = RunningSealpost.start(['--data-dir', bob, '--json', 'listen']);
    const aliceListens = RunningSealpost.start(['--data-dir', alice, '--json', 'listen']);
    running.push(bobListens, aliceListens);
    await bobListens.waitForJson((e) => e.type === 'drained');
    await aliceListens.waitForJson((e) => e.type === 'drained');
    // Alice's `listen` holds her relay connection: send-file uploads by itself and hands the
    // pointer to it, which sends the message (its `sent` event shows it went that way).
    const sent = await runSealpost(['--data-dir', alice, 'send-file', 'bob', '-', '--name', 'notes.txt'], { input: 'line one\nline two\n' });
    expect(sent.code, sent.stderr).toBe(0);
    const id = sent.stdout.trim();
    await aliceListens.waitForJson((e) => e.type === 'sent' && e.messageId === id);
    const event = await bobListens.waitForJson((e) => e.type === 'message' && e.id === id);
    expect(event).toMatchObject({ direction: 'in', file: { name: 'notes.txt', contentType: 'text/plain; charset=utf-8', size: 18 } });
    await bobListens.stop();
    await aliceListens.stop();

    const toStdout = await runSealpost(['--data-dir', bob, 'download', id, '--out', '-']);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout).toBe('line one\nline two\n');
    const usage = await runSealpost(['--data-dir', bob, '--json', 'download', id, '--out', '-']);
    expect(usage.code).toBe(1);

    const cwd = mkdtempSync(join(root, 'cwd-'));
    const here = await runSealpost(['--data-dir', bob, 'download', id], { cwd });
    expect(here.code, here.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('line one\nline two\n');
  });

  it("a sender's unsafe name is made safe on arrival; an unsafe --name is refused before anything is sent", async () => {
    const dir = mkdtempSync(join(root, 'names-'));
    writeFileSync(join(dir, '.bashrc'), 'alias ls=rm');
    const sent = await json(alice, 'send-file', 'bob', join(dir, '.bashrc'));
    // The pointer carries ".bashrc" as the sender's suggestion; both sides show and save the safe
    // form (client-cli/test/session/file-names.test.ts covers crafted pointers on arrival).
    expect(sent.file).toMatchObject({ name: 'bashrc' });
    const [message] = await bobReceives();
    // No hidden file, no leading dot: the name cannot land as a dotfile in the target directory.
    expect(message?.file).toMatchObject({ name: 'bashrc' });
    const saveIn = mkdtempSync(join(root, 'save-'));
    const saved = await json(bob, 'download', String(sent.id), '--out', `${saveIn}/`);
    expect(saved.path).toBe(join(saveIn, 'bashrc'));
    expect(entries(saveIn)).toEqual(['bashrc']);

    for (const name of ['../../etc/passwd', '..', '-rf', 'a\u202egnp.exe', 'two\nlines']) {
      const refused = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'bob', join(dir, '.bashrc'), `--name=${name}`]);
      expect(refused.code, name).toBe(1);
      expect(jsonLines(refused.stdout).at(-1)).toMatchObject({ type: 'error', code: 'CLI_ERR_UNSAFE_FILE_NAME' });
    }
    expect(await bobReceives()).toEqual([]);
    const missing = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'bob', join(dir, 'no-such-file')]);
    expect(missing.code).toBe(1);
    expect(jsonLines(missing.stdout)[0]).toMatchObject({ code: 'CLI_ERR_FILE_UNREADABLE' });
  });

  it('a ciphertext altered on the relay is refused before any plaintext exists', async () => {
    const path = join(root, 'photo.png');
    writeFileSync(path, randomBytes(200_000));
    const sent = await json(alice, 'send-file', 'bob', path);
    await bobReceives();
    // The relay's local backend keeps each object as <dataDir>/media/<mediaId>: flip one byte of
    // the newest one (the one just uploaded).
    const mediaDir = join(relay.dataDir, 'media');
    const newest = readdirSync(mediaDir)
      .map((name) => ({ name, at: statSync(join(mediaDir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at)[0];
    expect(newest).toBeDefined();
    const object = join(mediaDir, String(newest?.name));
    const bytes = readFileSync(object);
    bytes[100_000] = (bytes[100_000] as number) ^ 0x01;
    writeFileSync(object, bytes);

    const target = mkdtempSync(join(root, 'tampered-'));
    const result = await runSealpost(['--data-dir', bob, '--json', 'download', String(sent.id), '--out', target]);
    expect(result.code).toBe(3);
    const lines = jsonLines(result.stdout);
    expect(lines.at(-1)).toMatchObject({ type: 'error', code: 'CLI_ERR_MEDIA_DIGEST_MISMATCH', exitCode: 3 });
    // It got as far as the digest check, never to decryption, and left nothing behind.
    expect(lines.some((l) => l.phase === 'verify')).toBe(true);
    expect(lines.some((l) => l.phase === 'decrypt')).toBe(false);
    expect(entries(target)).toEqual([]);
  });
});
