// Where the holder's files stay between visits: this browser's localStorage
// for this page's origin, under two keys,
//
//   zkstatus-holder/credential      the credential file's text
//   zkstatus-holder/holder-secret   the holder-secret file's text
//
// and nowhere else: they are never sent, logged or shown (the page shows the
// secret's public commitment only). `forget()` removes both. If the browser
// refuses storage (private browsing, storage disabled, quota), the files are
// kept in this page's memory only and `persistent` is false.

export const STORAGE_KEYS = Object.freeze({
  credential: 'zkstatus-holder/credential',
  holderSecret: 'zkstatus-holder/holder-secret',
});

export class HolderStore {
  #memory = new Map();
  #storage;

  constructor(storage = globalThis.localStorage) {
    this.#storage = storage;
    this.persistent = false;
    try {
      const probe = 'zkstatus-holder/probe';
      storage.setItem(probe, '1');
      storage.removeItem(probe);
      this.persistent = true;
    } catch {
      this.#storage = undefined;
    }
  }

  #get(key) {
    if (this.#storage) {
      try {
        return this.#storage.getItem(key) ?? undefined;
      } catch {
        // Fall through to memory.
      }
    }
    return this.#memory.get(key);
  }

  /** Store `value` (a string) or remove the key (undefined). Returns whether it is kept across visits. */
  #set(key, value) {
    if (value === undefined) this.#memory.delete(key);
    else this.#memory.set(key, value);
    if (!this.#storage) return false;
    try {
      if (value === undefined) this.#storage.removeItem(key);
      else this.#storage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  get credential() {
    return this.#get(STORAGE_KEYS.credential);
  }

  get holderSecret() {
    return this.#get(STORAGE_KEYS.holderSecret);
  }

  setCredential(text) {
    return this.#set(STORAGE_KEYS.credential, text);
  }

  setHolderSecret(text) {
    return this.#set(STORAGE_KEYS.holderSecret, text);
  }

  /** Remove the credential and the holder secret from this browser. */
  forget() {
    this.#set(STORAGE_KEYS.credential, undefined);
    this.#set(STORAGE_KEYS.holderSecret, undefined);
  }
}
