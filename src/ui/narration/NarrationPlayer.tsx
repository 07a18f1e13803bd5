/**
 * A narration clip. Folded, it is one small "▶ Listen 1:36" button; pressing it plays the
 * clip and unfolds the player: play/pause, seek, speed, captions, transcript, and an
 * option to have the system voice read the script instead. Nothing is fetched until the
 * first play (no audio metadata, no captions), so the page's first load stays light.
 * Only one clip plays at a time across the page.
 */
import { useEffect, useRef, useState } from 'react';
import { formatDuration } from '../figures/format.ts';
import { clipsFor, transcript, type Clip } from './clips.ts';

let playing: HTMLAudioElement | null = null;
const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];

const clock = (s: number) => formatDuration(s, 'clock');

function Player({ clip, autoPlay, named }: { clip: Clip; autoPlay: boolean; named: boolean }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [folded, setFolded] = useState(true);
  const [paused, setPaused] = useState(true);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [showCaptions, setShowCaptions] = useState(true);
  const [caption, setCaption] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (folded) return;
    void transcript(clip.id).then(setText);
  }, [clip.id, folded]);

  useEffect(() => {
    const a = audio.current;
    if (!a || folded) return;
    const track = a.textTracks[0];
    if (!track) return;
    track.mode = 'hidden'; // loads the captions now; we draw them ourselves, under the controls
    const onCue = () => setCaption(Array.from(track.activeCues ?? [], (c) => (c as VTTCue).text).join(' '));
    track.addEventListener('cuechange', onCue);
    return () => track.removeEventListener('cuechange', onCue);
  }, [folded]);

  const play = async () => {
    const a = audio.current;
    if (!a) return;
    setFolded(false);
    globalThis.speechSynthesis?.cancel(); // absent in some browsers (and jsdom)
    try {
      await a.play();
      setNotice(null);
    } catch {
      setNotice('The browser did not let the narration start by itself. Press Play to listen.');
    }
  };

  useEffect(() => {
    if (autoPlay) void play();
    // Only when the section opens.
  }, [autoPlay]);

  useEffect(() => () => audio.current?.pause(), []);

  const readAloud = () => {
    if (!text || typeof speechSynthesis === 'undefined') return;
    audio.current?.pause();
    speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text.replace(/\n/g, ' '));
    u.rate = speed;
    speechSynthesis.speak(u);
  };

  const length = duration || clip.duration || 0;
  return (
    <div className="narration" data-clip={clip.id} data-folded={folded || undefined}>
      <audio
        ref={audio}
        src={clip.audio}
        preload="none"
        onPlay={(e) => {
          if (playing && playing !== e.currentTarget) playing.pause();
          playing = e.currentTarget;
          setPaused(false);
        }}
        onPause={() => setPaused(true)}
        onEnded={() => setPaused(true)}
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
        onRateChange={(e) => setSpeed(e.currentTarget.playbackRate)}
      >
        {clip.captions && <track kind="captions" src={clip.captions} srcLang="en" label="English" />}
      </audio>
      {folded ? (
        // Its name is what it shows, plus what it is: voice control users say what they see.
        <button type="button" className="listen" onClick={() => void play()}>
          <span aria-hidden="true">▶</span> Listen{named ? `: ${clip.title}` : ''} <span className="num">{clock(length)}</span>
          <span className="visually-hidden">{named ? ', narration' : `, narration: ${clip.title}`}</span>
        </button>
      ) : (
        <>
          <div className="narration-controls" role="group" aria-label={`Narration: ${clip.title}`}>
            <button
              type="button"
              onClick={() => (paused ? void play() : audio.current?.pause())}
              aria-label={`${paused ? 'Play' : 'Pause'} narration: ${clip.title}`}
            >
              {paused ? '▶ Play' : '❚❚ Pause'}
            </button>
            <span className="narration-title">{clip.title}</span>
            <input
              type="range"
              min={0}
              max={length}
              step={0.1}
              value={time}
              aria-label="Position in the narration"
              aria-valuetext={`${clock(time)} of ${clock(length)}`}
              onChange={(e) => {
                if (audio.current) audio.current.currentTime = Number(e.target.value);
              }}
            />
            <span className="num">
              {clock(time)} / {clock(length)}
            </span>
            <label className="inline">
              Speed
              <select
                value={speed}
                onChange={(e) => {
                  if (audio.current) audio.current.playbackRate = Number(e.target.value);
                }}
              >
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              <input type="checkbox" checked={showCaptions} onChange={(e) => setShowCaptions(e.target.checked)} /> Captions
            </label>
            {typeof speechSynthesis !== 'undefined' && text && (
              <button type="button" className="quiet" onClick={readAloud}>
                Read with the system voice
              </button>
            )}
            <button
              type="button"
              className="quiet"
              onClick={() => {
                audio.current?.pause();
                setFolded(true);
              }}
            >
              Fold
            </button>
          </div>
          {showCaptions && caption && (
            <p className="caption" data-testid="caption">
              {caption}
            </p>
          )}
          {notice && <p className="hint">{notice}</p>}
          {text && (
            <details className="transcript">
              <summary>Transcript</summary>
              {text
                .split('\n')
                .filter(Boolean)
                .map((line, i) => (
                  <span key={i}>{line} </span>
                ))}
            </details>
          )}
        </>
      )}
    </div>
  );
}

/** Every clip of a section; in projector mode the first may start by itself. */
export function NarrationPlayers({ section, autoPlay = false }: { section: string; autoPlay?: boolean }) {
  const clips = clipsFor(section);
  if (clips.length === 0) return null;
  return (
    <div className="narrations">
      {clips.map((c, i) => (
        <Player key={c.id} clip={c} autoPlay={autoPlay && i === 0} named={clips.length > 1} />
      ))}
    </div>
  );
}
