/* Material's search box, answered by Pagefind. Material's search interface talks to a worker
   by messages (the worker named in each page's configuration, which overrides/main.html points
   here) and renders what it answers. Its own worker searches a Lunr index of the whole site,
   which every searcher downloads in one piece, and which grows with the site. Pagefind, run by
   the build over the built pages (hooks.py), splits its index into small files: a search
   downloads Pagefind's script and WebAssembly once, then only the parts of the index that hold
   its words, and the text of the pages it shows. Nothing here runs until the reader types
   a first word.

   Written by hand because neither project has such a bridge: Material has no Pagefind
   setting, and Pagefind's own interface would replace Material's, its keyboard shortcuts,
   its look in both colour schemes and its highlighting of the words on the page found.
   It speaks Material 9's worker messages (integrations/search/worker/message in Material's
   sources) and Pagefind 1's JavaScript interface, each at its pinned version (requirements.in);
   the browser tests search both editions through it. */
"use strict";

// Material's message types, in its order.
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// The most results a search shows (sitedata.registry.MOST_SHOWN, the site's bound on a list
// given in passing; a test holds the two equal): each one shown is a file of Pagefind's to
// download.
const MOST_SHOWN = 50;
// Of a page's sections that hold the words, those shown under it; the rest are folded under
// Material's "more on this page".
const SECTIONS_SHOWN = 3;

// From overrides/main.html: where Pagefind's files are (relative to this script), and the
// page's language, whose index to search.
const given = new URL(self.location.href).searchParams;
let pagefind = null; // Pagefind, once the first word is typed
// One search at a time, and only the latest query answered: Material sends one on every key,
// and Pagefind keeps one copy of each page's text, on which a search marks the words it found,
// so that two searches at once would mark each other's words.
let latest = 0; // the number of the latest query
let queue = Promise.resolve();

function start() {
  // Pagefind searches the index of the page's language, which it reads from the page's
  // <html lang>; a worker has no page, so it is given this much of one.
  self.document = {
    currentScript: null,
    querySelector: () => ({ getAttribute: () => given.get("lang") })
  };
  keepKatakanaWhole();
  return import(new URL("pagefind.js", new URL(given.get("bundle"), self.location.href)).href);
}

// Pagefind cuts Japanese into words twice, differently: the build with a dictionary (Lindera),
// which keeps a katakana loanword whole (クアッド), and the search with the browser's
// Intl.Segmenter, which cuts it into pieces that are not words (ク, アッ, ド): a search for
// クアッド then found none of the pages about the Quad (Pagefind's issue #1237, open at 1.5.2).
// Here the browser's pieces of one run of katakana are joined again, as the dictionary has it.
function keepKatakanaWhole() {
  const Segmenter = Intl.Segmenter;
  const katakana = /^[\p{Script=Katakana}ー]+$/u;
  Intl.Segmenter = class extends Segmenter {
    segment(text) {
      const parts = [...super.segment(text)];
      if (this.resolvedOptions().granularity !== "word") return parts;
      const joined = [];
      for (const part of parts) {
        const last = joined[joined.length - 1];
        if (last && katakana.test(last.segment) && katakana.test(part.segment)) {
          joined[joined.length - 1] = { ...last, segment: last.segment + part.segment };
        } else {
          joined.push(part);
        }
      }
      return joined;
    }
  };
}

const escapeHTML = text => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

// Pagefind's excerpts are the page's words with <mark> around those found, and only < and >
// escaped: escape them all (Material writes the text it is given as HTML), keeping the marks.
const excerpt = text => escapeHTML(text.replace(/<\/?mark>/g, "\u0000")
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">"))
  .replace(/\u0000([^\u0000]*)\u0000/g, "<mark>$1</mark>");

// The words searched for: Material adds them to a result's address (?h=) to highlight them on
// the page, and would name any of them missing; Pagefind finds only pages that hold them all.
const words = query => query.trim().split(/\s+/).filter(Boolean);

// One page found, as Material groups a result: the page, then its sections that hold the
// words, with the most matches first, those beyond SECTIONS_SHOWN scored lower so that
// Material folds them.
function group(page, terms) {
  const title = page.meta.title || page.url;
  const sections = page.sub_results
    .filter(section => section.url.includes("#") && section.title !== title)
    .sort((a, b) => b.locations.length - a.locations.length)
    .map((section, rank) => ({
      location: section.url,
      title: escapeHTML(section.title),
      text: excerpt(section.excerpt),
      score: rank < SECTIONS_SHOWN ? 1 : 0,
      terms
    }));
  const article = { location: page.url, title: escapeHTML(title), text: excerpt(page.excerpt),
                    score: 1, terms };
  return [article, ...sections];
}

// What Material would suggest: the word of the best page's title that the last word typed
// begins, for the reader to take with the right arrow key.
function suggest(query, pages) {
  const typed = words(query).pop();
  if (!typed || !pages.length) return [];
  const title = (pages[0].meta.title || "").toLowerCase();
  const word = title.split(/[^\p{L}\p{N}]+/u).find(w => w.startsWith(typed.toLowerCase()));
  return word ? [word] : [];
}

async function search(query, number) {
  if (!words(query).length) return { items: [] };
  pagefind = pagefind || start().catch(error => {
    pagefind = null; // not downloaded (offline?): the next search tries again
    throw error;
  });
  const found = await (await pagefind).search(query);
  if (number !== latest) return null; // typed on: the pages of this one are not needed
  const pages = await Promise.all(found.results.slice(0, MOST_SHOWN).map(r => r.data()));
  const terms = Object.fromEntries(words(query).map(word => [word, true]));
  return { items: pages.map(page => group(page, terms)), suggest: suggest(query, pages) };
}

addEventListener("message", ({ data: message }) => {
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const number = ++latest;
    queue = queue.then(async () => {
      let data;
      try {
        data = await search(message.data, number);
      } catch (error) {
        console.warn("Search failed:", error);
        data = { items: [] };
      }
      if (number === latest && data) postMessage({ type: RESULT, data });
    });
  }
});
