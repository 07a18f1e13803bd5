/**
 * `npm run narration`: render every script to speech, offline, with Debian's
 * festival and its HTS voice (cmu_us_slt_arctic_hts: the most natural of the
 * three offline engines here; flite's diphones and espeak-ng's formants sound
 * plainly synthetic). Each line of a script is one sentence, rendered alone, so
 * the caption times are exact: start = sum of earlier sentences and pauses.
 * Then the clip is loudness-normalised (EBU R128, -16 LUFS) and encoded to MP3.
 *
 * A script quotes measured numbers as `{{value KEY FORMAT}}` (src/lesson/measured.ts),
 * spelled out with a say-* format: they are filled in from the data files
 * before speaking, so the audio and captions say the current numbers.
 *
 * Writes audio/<id>.mp3, captions/<id>.vtt and manifest.json (with the hash of
 * each script as spoken, so a test can tell when a script, or a number it
 * quotes, changed but was not re-rendered). Needs: apt-get install festival festvox-us-slt-hts sox ffmpeg.
 *
 *   npm run narration            render what changed
 *   npm run narration -- --all   render everything
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRepoJson } from '../src/build/repo-json.ts';
import { expandValues } from '../src/lesson/measured.ts';
import { SEGMENTS, VOICE } from './segments.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const MANIFEST = here('./manifest.json');

export interface ManifestEntry {
  readonly id: string;
  readonly hash: string;
  readonly duration: number;
  readonly sentences: number;
}

/** The hash that ties audio to its script and voice settings. */
export function scriptHash(script: string): string {
  return createHash('sha256').update(JSON.stringify(VOICE)).update(script).digest('hex').slice(0, 16);
}

/** A script as it is spoken: its quoted measurements filled in from their data files. */
export function spokenScript(id: string): string {
  return expandValues(readFileSync(here(`./scripts/${id}.txt`), 'utf8'), readRepoJson, `narration/scripts/${id}.txt`);
}

export function sentencesOf(script: string): string[] {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function vttTime(sec: number): string {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();

function render(id: string, script: string): ManifestEntry {
  const dir = mkdtempSync(join(tmpdir(), 'unmask-tts-'));
  try {
    const sentences = sentencesOf(script);
    const pause = join(dir, 'pause.wav');
    run('sox', ['-n', '-r', '16000', '-c', '1', pause, 'trim', '0', String(VOICE.pauseSeconds)]);
    const parts: string[] = [];
    const cues: string[] = ['WEBVTT', ''];
    let t = 0;
    sentences.forEach((sentence, i) => {
      const txt = join(dir, `s${i}.txt`);
      const raw = join(dir, `s${i}.raw.wav`);
      const wav = join(dir, `s${i}.wav`);
      writeFileSync(txt, sentence);
      run('text2wave', ['-eval', `(${VOICE.voice})`, txt, '-o', raw]);
      run('sox', [raw, '-r', '16000', '-c', '1', wav]); // one format for concatenation
      const duration = Number(run('soxi', ['-D', wav]));
      cues.push(String(i + 1), `${vttTime(t)} --> ${vttTime(t + duration)}`, sentence, '');
      parts.push(wav, pause);
      t += duration + VOICE.pauseSeconds;
    });
    const joined = join(dir, 'all.wav');
    run('sox', [...parts.slice(0, -1), joined]); // no pause after the last sentence
    run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      joined,
      '-af',
      VOICE.loudness,
      '-ar',
      '24000',
      '-ac',
      '1',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '32k',
      here(`./audio/${id}.mp3`),
    ]);
    writeFileSync(here(`./captions/${id}.vtt`), cues.join('\n'));
    const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', here(`./audio/${id}.mp3`)]));
    return { id, hash: scriptHash(script), duration: Math.round(duration * 100) / 100, sentences: sentences.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const all = process.argv.includes('--all');
  const old: ManifestEntry[] = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : [];
  const manifest: ManifestEntry[] = [];
  for (const { id } of SEGMENTS) {
    const script = spokenScript(id);
    const previous = old.find((e) => e.id === id);
    const fresh = !all && previous?.hash === scriptHash(script) && existsSync(here(`./audio/${id}.mp3`)) && existsSync(here(`./captions/${id}.vtt`));
    if (fresh) {
      manifest.push(previous!);
      continue;
    }
    process.stderr.write(`rendering ${id} …`);
    const entry = render(id, script);
    process.stderr.write(` ${entry.duration.toFixed(1)} s, ${entry.sentences} sentences\n`);
    manifest.push(entry);
  }
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
