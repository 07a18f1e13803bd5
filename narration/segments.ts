/**
 * The narration segments, in lesson order: which section each one plays in.
 * Shared by the renderer (Node) and the player (browser); plain data only.
 */
export interface Segment {
  /** File stem: narration/scripts/<id>.txt, audio/<id>.mp3, captions/<id>.vtt. */
  readonly id: string;
  readonly section: string;
  readonly title: string;
}

export const SEGMENTS: readonly Segment[] = [
  { id: '01-intro', section: 'why', title: 'Introduction' },
  { id: '02-intuition', section: 'intuition', title: 'Intuition' },
  { id: '03-math', section: 'math', title: 'The math' },
  { id: '04-data-setup', section: 'data', title: 'The data' },
  { id: '05-masking-function', section: 'masking', title: 'The masking function' },
  { id: '06-statistics-bert', section: 'statistics', title: 'Statistics and BERT' },
  { id: '07-transformer', section: 'transformer', title: 'The Transformer' },
  { id: '08-training', section: 'training', title: 'Training' },
  { id: '09-todo1', section: 'exercises', title: 'TODO 1' },
  { id: '10-todo2', section: 'exercises', title: 'TODO 2' },
  { id: '11-results', section: 'results', title: 'Results' },
  { id: '12-accuracy', section: 'results', title: 'Accuracy against masking ratio' },
  { id: '12b-beyond', section: 'beyond', title: 'Beyond the notebook' },
  { id: '13-closing', section: 'reflection', title: 'Closing' },
];

/** What the audio depends on besides the script: change it and everything re-renders. */
export const VOICE = Object.freeze({
  engine: 'festival text2wave',
  voice: 'voice_cmu_us_slt_arctic_hts',
  pauseSeconds: 0.35,
  loudness: 'loudnorm=I=-16:TP=-1.5:LRA=11',
  encoding: 'mp3 mono 24 kHz 32 kbit/s',
});
