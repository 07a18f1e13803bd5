/**
 * Where the assistant sends questions, and whether the learner has agreed.
 *
 * Two localStorage entries, deliberately apart: the settings (endpoint, model,
 * and which endpoint was consented to) and, only if the learner gives one, the
 * API key. Nothing here goes into the URL or the lesson's progress record, and
 * the key is never logged or shown back in full.
 */
import { BUILT_IN_DEFAULTS } from './config.ts';

export const SETTINGS_KEY = 'unmask.assistant.v1';
export const API_KEY_KEY = 'unmask.assistant.apiKey';

export interface AssistantSettings {
  /** The OpenAI-compatible base URL, e.g. http://localhost:11434/v1 ('' until chosen). */
  readonly endpoint: string;
  readonly model: string;
  /** The endpoint the learner agreed to send to; consent does not carry over to another one. */
  readonly consentedTo: string | null;
}

export const NO_SETTINGS: AssistantSettings = Object.freeze({
  endpoint: BUILT_IN_DEFAULTS.endpoint,
  model: BUILT_IN_DEFAULTS.model,
  consentedTo: null,
});

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
const local = (): Store | undefined => globalThis.localStorage;

export type EndpointCheck = { readonly ok: true; readonly endpoint: string } | { readonly ok: false; readonly problem: string };

/**
 * Accept a base URL such as http://localhost:11434/v1 (a pasted
 * ".../chat/completions" is trimmed back to its base). Only http and https,
 * and no user, password, query or fragment: those are where keys leak from.
 */
export function checkEndpoint(raw: string): EndpointCheck {
  const text = raw.trim();
  if (!text) return { ok: false, problem: 'Enter the address of an OpenAI-compatible server, for example http://localhost:11434/v1.' };
  // "localhost:11434" and "javascript:…" parse as URLs with odd schemes: catch the missing "http://" first.
  if (!text.includes('://')) {
    const example = /^[\w.-]+(:\d+)?(\/\S*)?$/.test(text) ? `http://${text}` : 'http://localhost:11434/v1';
    return { ok: false, problem: `Start the address with http:// or https://, for example ${example}.` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `"${text}" is not a web address. It should start with http:// or https://.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `Only http:// and https:// addresses can be used, not ${url.protocol}//.` };
  }
  if (url.username || url.password)
    return { ok: false, problem: 'Leave the user name and password out of the address; put a key in the API key field.' };
  if (url.search || url.hash) return { ok: false, problem: 'The address should end at the API base (such as …/v1), with no ? or # part.' };
  const path = url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return { ok: true, endpoint: `${url.origin}${path}` };
}

/** A page served over https may not call a plain-http server other than this computer (mixed content). */
export function mixedContentWarning(endpoint: string, pageProtocol = globalThis.location?.protocol): string | null {
  if (pageProtocol !== 'https:') return null;
  const url = new URL(endpoint);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && !loopback
    ? 'This page is served over https, so the browser will block a plain http:// server on another machine. Use https:// for it.'
    : null;
}

/** Whether the learner has agreed to send to the endpoint now configured. */
export function hasConsent(s: AssistantSettings): boolean {
  const check = checkEndpoint(s.endpoint);
  return check.ok && s.consentedTo === check.endpoint;
}

export function loadSettings(store: Store | undefined = local()): AssistantSettings {
  try {
    const raw = store?.getItem(SETTINGS_KEY);
    if (!raw) return NO_SETTINGS;
    const v = JSON.parse(raw) as Record<string, unknown>;
    return {
      endpoint: typeof v.endpoint === 'string' ? v.endpoint : NO_SETTINGS.endpoint,
      model: typeof v.model === 'string' ? v.model : NO_SETTINGS.model,
      consentedTo: typeof v.consentedTo === 'string' ? v.consentedTo : null,
    };
  } catch {
    return NO_SETTINGS; // broken JSON or no storage: the assistant simply starts off
  }
}

export function saveSettings(s: AssistantSettings, store: Store | undefined = local()): void {
  try {
    store?.setItem(SETTINGS_KEY, JSON.stringify({ endpoint: s.endpoint, model: s.model, consentedTo: s.consentedTo }));
  } catch {
    // private mode or a full quota: the settings last for this visit only
  }
}

export function loadApiKey(store: Store | undefined = local()): string {
  try {
    return store?.getItem(API_KEY_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keep the key in this browser, or forget it when empty. */
export function saveApiKey(key: string, store: Store | undefined = local()): void {
  try {
    if (key) store?.setItem(API_KEY_KEY, key);
    else store?.removeItem(API_KEY_KEY);
  } catch {
    // not persisted; it still works until the page closes
  }
}

/** "sk-…wxyz": enough to recognise a key without showing it. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '•'.repeat(key.length) : `${key.slice(0, 3)}…${key.slice(-4)}`;
}
