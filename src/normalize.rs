//! The normalised view of a text that matching runs on, with a map back to original offsets.
//!
//! The view folds away the differences that do not change what a reader sees or means:
//! Unicode normal form (NFC), `Ð` (U+00D0) written for `Đ`, the old and new placements of
//! Vietnamese tone marks (`hòa`/`hoà`, `thủy`/`thuỷ`), any run of whitespace (including NBSP
//! and line breaks) as one space, spaces around `/` and `-`, dash variants, curly apostrophes,
//! and invisible characters (soft hyphen, zero-width spaces). With [`Fold::Case`] it is also
//! lower-cased (full Unicode, not only ASCII).
//!
//! The offset map is sparse, in the style of Lucene's `BaseCharFilter`: it holds an entry
//! only where a run of bytes copied unchanged starts or where a rewritten unit starts, so text
//! that is already canonical costs one entry.

use crate::bytes16::Lanes;
use std::borrow::Cow;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Whether the view is lower-cased.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// Keep case.
    None,
    /// Lower-case every character (Unicode).
    Case,
}

/// One entry of the offset map: from `norm` on, the view corresponds to the original from
/// `orig` on. `copied` entries map byte for byte; the others are one rewritten unit whose
/// bytes all belong to the original unit that starts at `orig`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    norm: usize,
    orig: usize,
    copied: bool,
}

/// A normalised view of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    segs: Vec<Seg>,
    orig_len: usize,
    /// Original offsets, in order, of the clusters the view rewrote in a way [`inspect`] may
    /// report: see [`Normalized::sites`].
    sites: Vec<usize>,
}

impl Normalized {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a range of the normalised text (on character boundaries) to the original text.
    ///
    /// One search of the map finds the entry of the range's start; its end's entry is
    /// nearly always that one or one of the next few, so it is looked for from there (the
    /// matcher maps every mention, and two searches were a tenth of its own work).
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        self.to_original_with(range, |norm| self.seg_index_containing(norm))
    }

    /// [`Normalized::to_original`], for ranges that come in order of start, as the matcher
    /// maps its matches: the entry of the range's start is looked for from `*hint`, the
    /// entry the range before started in (0 for the first), which this sets. Matches are
    /// close together, so it is nearly always that entry or one of the next few; the search
    /// of the whole map cost as much as the rest of the mapping.
    pub(crate) fn to_original_after(&self, hint: &mut usize, range: Range<usize>) -> Range<usize> {
        self.to_original_with(range, |norm| {
            *hint = self.seg_index_from(*hint, norm);
            *hint
        })
    }

    fn to_original_with(
        &self,
        range: Range<usize>,
        seg_index_containing: impl FnOnce(usize) -> usize,
    ) -> Range<usize> {
        if range.start < range.end && range.start < self.text.len() {
            let i = seg_index_containing(range.start);
            let seg = self.segs[i];
            let start = if seg.copied {
                seg.orig + (range.start - seg.norm)
            } else {
                seg.orig
            };
            // The entry of the range's last byte: the last one from `i` on that starts at
            // it or before, as `seg_index_containing` would find it.
            let last = range.end - 1;
            let mut j = i;
            while self.segs.get(j + 1).is_some_and(|s| s.norm <= last) {
                j += 1;
                if j - i == 8 {
                    j = self.seg_index_containing(last);
                    break;
                }
            }
            let end = self.orig_end_in(j, range.end);
            return start..end.max(start);
        }
        let start = self.orig_start(range.start);
        let end = if range.end > range.start {
            self.orig_end(range.end)
        } else {
            start
        };
        start..end.max(start)
    }

    /// The original offset where the character at `norm` comes from.
    pub fn orig_start(&self, norm: usize) -> usize {
        if norm >= self.text.len() {
            return self.orig_len;
        }
        let seg = self.seg_containing(norm);
        if seg.copied {
            seg.orig + (norm - seg.norm)
        } else {
            seg.orig
        }
    }

    /// The original offset just past the character that ends at `norm` (exclusive end).
    pub fn orig_end(&self, norm: usize) -> usize {
        if norm == 0 {
            return self.orig_start(0);
        }
        self.orig_end_in(self.seg_index_containing(norm - 1), norm)
    }

    /// [`Normalized::orig_end`] of `norm`, whose last byte (`norm - 1`) is in entry `i`.
    fn orig_end_in(&self, i: usize, norm: usize) -> usize {
        let seg = self.segs[i];
        if seg.copied {
            seg.orig + (norm - seg.norm)
        } else {
            // A rewritten unit ends where the original of the next entry starts.
            self.segs.get(i + 1).map_or(self.orig_len, |next| next.orig)
        }
    }

    fn seg_index_containing(&self, norm: usize) -> usize {
        // The last entry whose start is <= norm and that is not empty. Empty entries (deleted
        // characters) share their `norm` with the entry after them, so take the last one.
        self.segs
            .partition_point(|s| s.norm <= norm)
            .saturating_sub(1)
    }

    /// [`Normalized::seg_index_containing`], looked for from entry `hint` on when it starts
    /// at `norm` or before: the next eight entries one by one, then a search of the rest.
    fn seg_index_from(&self, hint: usize, norm: usize) -> usize {
        if self.segs.get(hint).is_none_or(|s| s.norm > norm) {
            return self.seg_index_containing(norm);
        }
        let mut j = hint;
        for _ in 0..8 {
            match self.segs.get(j + 1) {
                Some(s) if s.norm <= norm => j += 1,
                _ => return j,
            }
        }
        // `segs[j]` starts at `norm` or before, so the search finds at least one entry.
        j + self.segs[j..].partition_point(|s| s.norm <= norm) - 1
    }

    fn seg_containing(&self, norm: usize) -> Seg {
        self.segs[self.seg_index_containing(norm)]
    }

    /// Where the original holds something [`inspect`] may report, in order: the start of
    /// each cluster the view composed (combining marks, or a character that is not in NFC
    /// on its own), of each `Ð` or `ð`, of each toned `o` or `u` whose tone it moved
    /// (`hòa`), and of each toned `a`, `e` or `y` after an `o` or `u` (`hoà`). The view reads
    /// every character of the text to build itself, so this costs it little, and
    /// [`inspect_sites`] need not read the text again.
    pub fn sites(&self) -> &[usize] {
        &self.sites
    }
}

/// Builds the normalised view of `text`.
pub fn normalize(text: &str, fold: Fold) -> Normalized {
    normalize_with(text, fold, true, Builder::new(text.len(), fold))
}

impl Normalized {
    /// An empty view, whose buffers [`Normalized::renormalize`] fills.
    pub(crate) fn empty() -> Normalized {
        Normalized {
            text: String::new(),
            segs: Vec::new(),
            orig_len: 0,
            sites: Vec::new(),
        }
    }

    /// Makes this the view of `text`, reusing its buffers: for callers that normalise many
    /// pieces one after the other.
    pub(crate) fn renormalize(&mut self, text: &str, fold: Fold) {
        let mut b = Builder::new(0, fold);
        b.text = std::mem::take(&mut self.text);
        b.text.clear();
        b.text.reserve(text.len());
        b.segs = std::mem::take(&mut self.segs);
        b.segs.clear();
        b.sites = std::mem::take(&mut self.sites);
        b.sites.clear();
        b.orig_len = text.len();
        *self = normalize_with(text, fold, true, b);
    }
}

/// [`normalize`], with or without its fast path for runs of text that the view copies as they
/// are (tests check that both build the same view), into the buffers of `b`.
fn normalize_with(text: &str, fold: Fold, fast: bool, b: Builder) -> Normalized {
    normalize_from(text, 0, fold, fast, b)
}

/// [`normalize_with`] from `pos` on, where `b` holds the view of the text before it.
fn normalize_from(
    text: &str,
    mut pos: usize,
    fold: Fold,
    fast: bool,
    mut b: Builder,
) -> Normalized {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        // Fast path: a run that the view copies as it is (lower-cased), most of any text.
        if fast {
            let end = b.push_plain_run(text, pos);
            if end > pos {
                pos = end;
                continue;
            }
        }
        let c = text[pos..].chars().next().expect("pos is a char boundary");
        let i = pos;
        if c.is_whitespace() || is_invisible(c) {
            // Two spaces are not in NFC (U+2000 and U+2001, the quads).
            if needs_nfc(c) {
                b.sites.push(i);
            }
            if c.is_whitespace() {
                b.space(i, c.len_utf8());
            } else {
                b.invisible(i);
            }
            pos += c.len_utf8();
            continue;
        }
        // A starter followed by combining marks: compose the cluster.
        let end = cluster_end(text, i + c.len_utf8());
        pos = end;
        if end == i + c.len_utf8() && !needs_nfc(c) {
            // The common case, without allocating: one character, already in NFC.
            let ch = canonical_char(c);
            if matches!(ch, '-' | '/') {
                b.drop_pending_space();
                b.push_unit(i, end, ch, ch != c, fold);
                b.after_joiner = true;
                continue;
            }
            b.flush_space();
            if let Some(moved) = tone_move(ch, text, end) {
                b.sites.push(i);
                pos = end + text[end..].chars().next().map_or(0, char::len_utf8);
                b.push_str_unit(i, &moved, fold);
                continue;
            }
            if matches!(c, 'Ð' | 'ð')
                || latin_at(bytes, i).is_some_and(|(_, entry)| may_be_new_tone(bytes, i, entry))
            {
                b.sites.push(i);
            }
            b.push_unit(i, end, ch, ch != c, fold);
            continue;
        }
        // A cluster that may not be in NFC: the only place where `inspect` may find one.
        b.sites.push(i);
        let composed: Vec<char> = text[i..end].nfc().map(canonical_char).collect();
        if let [ch] = composed[..]
            && matches!(ch, '-' | '/')
        {
            b.drop_pending_space();
            b.push_unit(i, end, ch, true, fold);
            b.after_joiner = true;
            continue;
        }
        b.flush_space();
        if let [ch] = composed[..] {
            // Tone-mark placement: an accented o/u before a/e/y in an open syllable.
            if let Some(moved) = tone_move(ch, text, end) {
                pos = end + text[end..].chars().next().map_or(0, char::len_utf8);
                b.push_str_unit(i, &moved, fold);
                continue;
            }
            b.push_unit(i, end, ch, true, fold);
        } else {
            b.push_str_unit(i, &composed, fold);
        }
    }
    b.flush_space();
    b.finish()
}

/// ASCII that the view copies as it is (lower-cased) wherever it is: not whitespace, not `-`
/// or `/`, around which the view drops spaces.
const fn is_plain_ascii(x: u8) -> bool {
    // Whitespace as `char::is_whitespace` has it, which the general path folds: ASCII's own
    // test leaves out the vertical tab (U+000B).
    x.is_ascii() && !x.is_ascii_whitespace() && !matches!(x, 0x0B | b'-' | b'/')
}

/// The plain ASCII bytes ([`is_plain_ascii`]), as a table for the fast path's inner loop.
const PLAIN_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = is_plain_ascii(b as u8);
        b += 1;
    }
    table
};

/// How many of sixteen bytes, from the first, the fast path can copy as they are, checked
/// at once ([`Lanes`]): letters, digits and the other bytes of U+0030–U+007F, which are all
/// [`is_plain_ascii`], and single spaces before one of them (a space in the last lane is not
/// taken: the byte after it is not read). The few plain bytes below U+0030 (`,`, `.`, `(` …)
/// are left to the byte loop, which takes them one by one: a test for them here would cost
/// more on every block than they cost there.
#[inline]
fn plain_prefix(block: &[u8; 16]) -> usize {
    let x = Lanes::load(block);
    let word = x.in_range(0x30, 0x7F).high_bits();
    let spaces = x.eq(Lanes::splat(b' ')).high_bits();
    // A space is taken before a byte that is: shifting right by one moves each byte's flag
    // onto the byte before it (and none onto the last).
    let taken = word | (spaces & (word >> 1));
    taken.trailing_ones() as usize
}

/// The precomposed Latin letter at `i` (not ASCII) when the view copies it as it is,
/// lower-cased by [`latin_lower`] to the same length: the letters of Vietnamese and Western
/// European text, when no combining mark follows and no tone mark moves (`hòa`). Returns its
/// length, what the view adds to its code point (lower-casing with [`Fold::Case`]: 0, 1 or
/// 0x20), which is also what it adds to its last byte, and its entry in [`LATIN_TABLE`].
/// Anything else is left to the general path.
#[inline(always)]
fn plain_latin(text: &str, i: usize, fold: Fold) -> Option<(usize, u8, u8)> {
    let b = text.as_bytes();
    let (len, entry) = latin_at(b, i)?;
    let next = b.get(i + len).copied().unwrap_or(0);
    if !keeps_latin(text, i, len, entry, next) {
        return None;
    }
    Some((
        len,
        match fold {
            Fold::Case => (entry & LOWER) - 1,
            Fold::None => 0,
        },
        entry,
    ))
}

/// Whether the view keeps the letter at `at` ([`latin_at`]: `len` bytes, entry `entry`) as
/// it is, `next` being the byte after it (0 at the end): unless a combining mark follows,
/// which would compose with it, or it is a toned `o` or `u` that gives its tone to the `a`,
/// `e` or `y` after it (`hòa`). The byte after the letter is read once, by the caller, which
/// also needs it to know where a run goes on; only bytes from 0xCC on can start a mark.
#[inline(always)]
fn keeps_latin(text: &str, at: usize, len: usize, entry: u8, next: u8) -> bool {
    if next >= 0xCC {
        !mark_at(text, at + len)
    } else if entry & TONED_O_OR_U != 0 && matches!(next, b'a' | b'A' | b'e' | b'E' | b'y' | b'Y') {
        // Decoded only when a tone may move: look at the byte after it first.
        tone_move(char_at(text, at), text, at + len).is_none()
    } else {
        true
    }
}

/// Whether the letter at `i`, whose [`LATIN_TABLE`] entry is `entry`, is a toned `a`, `e` or
/// `y` after an `o` or `u`: it may be written in the new tone placement (`hoà`), which
/// [`inspect`] reports.
#[inline(always)]
fn may_be_new_tone(bytes: &[u8], i: usize, entry: u8) -> bool {
    entry & TONED_A_E_Y != 0 && i > 0 && matches!(bytes[i - 1] | 0x20, b'o' | b'u')
}

/// The character that starts at `i`, a char boundary before the end.
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("a character starts at i")
}

/// The letter at `i` when it is one of [`LATIN_TABLE`] with a non-zero entry: its length
/// and entry.
///
/// This runs for every letter with a diacritic of a Vietnamese text, so it reads the table
/// straight from the letter's bytes: `b` is UTF-8, so a lead byte is followed by its
/// continuation bytes, and the low six bits of those are the low bits of the code point.
#[inline]
fn latin_at(b: &[u8], i: usize) -> Option<(usize, u8)> {
    let (slot, len) = match *b.get(i..)? {
        // U+00C0–U+027F: the slot is the code point less 0xC0.
        [x @ 0xC3..=0xC9, y, ..] => (usize::from(x - 0xC3) << 6 | usize::from(y & 0x3F), 2),
        // U+1E00–U+1EFF.
        [0xE1, y @ 0xB8..=0xBB, z, ..] => (
            LATIN_EXTENDED_ADDITIONAL + (usize::from(y - 0xB8) << 6 | usize::from(z & 0x3F)),
            3,
        ),
        _ => return None,
    };
    match LATIN_TABLE[slot] {
        0 => None,
        entry => Some((len, entry)),
    }
}

/// The first byte from `i` on that is not ASCII, or the end: eight bytes at a time.
fn non_ascii_from(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH != 0 {
            // The lowest set high bit is the first byte that is not ASCII.
            return i + (word & HIGH).trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len() - i)
}

/// Where U+1E00–U+1EFF start in [`LATIN_TABLE`], after U+00C0–U+027F.
const LATIN_EXTENDED_ADDITIONAL: usize = 0x1C0;

/// The flag of [`LATIN_TABLE`] for a toned `o` or `u`, whose tone may move (`hòa`).
const TONED_O_OR_U: u8 = 0x80;

/// The flag of [`LATIN_TABLE`] for a toned `a`, `e` or `y`, which may carry the tone of the
/// new placement (`hoà`).
const TONED_A_E_Y: u8 = 0x40;

/// The lower-casing part of a [`LATIN_TABLE`] entry.
const LOWER: u8 = 0x3F;

/// For each letter of U+00C0–U+027F (the code points of the lead bytes C3–C9) and
/// U+1E00–U+1EFF: 0 when the view does more than lower-case it ([`plain_latin`] declines it:
/// `×`, `Ð`, `ð`, letters [`latin_lower`] does not know), else 1 + what lower-casing adds to
/// the code point (0, 1 or 0x20), with [`TONED_O_OR_U`] for a toned `o` or `u` and
/// [`TONED_A_E_Y`] for a toned `a`, `e` or `y`.
const LATIN_TABLE: [u8; LATIN_EXTENDED_ADDITIONAL + 0x100] = {
    let mut table = [0u8; LATIN_EXTENDED_ADDITIONAL + 0x100];
    let mut slot = 0;
    while slot < table.len() {
        let cp = if slot < LATIN_EXTENDED_ADDITIONAL {
            slot as u32 + 0xC0
        } else {
            (slot - LATIN_EXTENDED_ADDITIONAL) as u32 + 0x1E00
        };
        if let Some(lower) = latin_lower_u32(cp)
            && cp != 0xD0
            && cp != 0xF0
        {
            table[slot] = (lower - cp + 1) as u8;
            let toned = match cp {
                0xC0..=0x17F => TONE_TABLE[cp as usize - 0xC0],
                0x1EA0..=0x1EFF => TONE_TABLE[cp as usize - 0x1EA0 + 0xC0],
                _ => 0,
            };
            // Rows 0–3 of TONED are o, O, u, U; the others a, A, e, E, y, Y.
            if toned != 0 {
                table[slot] |= if (toned - 1) / 5 < 4 {
                    TONED_O_OR_U
                } else {
                    TONED_A_E_Y
                };
            }
        }
        slot += 1;
    }
    table
};

/// Whether a combining mark starts at `i`, which would belong to the character before.
#[inline]
fn mark_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    match b.get(i) {
        // The end, ASCII, and two-byte characters below U+0300 (lead bytes below 0xCC).
        None => false,
        Some(&x) if x < 0xCC => false,
        // Latin Extended Additional (U+1E00–U+1EFF): the next Vietnamese letter.
        Some(0xE1) if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => false,
        Some(_) => text[i..].chars().next().is_some_and(may_continue_cluster),
    }
}

/// Where the cluster whose starter ends at `after` ends: past the combining marks that
/// follow it.
fn cluster_end(text: &str, mut after: usize) -> usize {
    while let Some(m) = text[after..]
        .chars()
        .next()
        .filter(|&m| may_continue_cluster(m))
    {
        after += m.len_utf8();
    }
    after
}

/// [`continues_cluster`], answered without the combining-class table for the characters
/// that cannot continue one: everything below U+0300 and the Latin letters of U+1E00–U+1EFF.
#[inline]
fn may_continue_cluster(m: char) -> bool {
    m >= '\u{0300}' && !('\u{1E00}'..='\u{1EFF}').contains(&m) && continues_cluster(m)
}

/// Whether the next character is a combining mark (decomposed text: `u` + U+0300).
fn combining_follows(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> bool {
    chars
        .peek()
        .is_some_and(|&(_, m)| !m.is_ascii() && continues_cluster(m))
}

/// Whether `m` belongs to the cluster of the starter before it: a combining mark, or one of
/// the few characters of class 0 whose decomposition starts with a combining mark (Tibetan
/// U+0F73, U+0F75, U+0F81), which NFC reorders and composes with the marks around them.
fn continues_cluster(m: char) -> bool {
    canonical_combining_class(m) != 0 || matches!(m, '\u{0F73}' | '\u{0F75}' | '\u{0F81}')
}

/// Characters that are deleted from the view.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn needs_nfc(c: char) -> bool {
    // Latin letters, precomposed Vietnamese among them, are always NFC: skip the lookup.
    if c < '\u{0300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c) {
        return false;
    }
    !c.is_ascii()
        && unicode_normalization::is_nfc_quick(std::iter::once(c))
            != unicode_normalization::IsNormalized::Yes
}

/// Single-character rewrites applied after NFC.
fn canonical_char(c: char) -> char {
    match c {
        '\u{00D0}' => '\u{0110}', // Ð (eth) written for Đ
        '\u{00F0}' => '\u{0111}', // ð for đ
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{2044}' | '\u{2215}' => '/',
        c => c,
    }
}

/// Tone marks in Vietnamese, as (base vowel, [five toned forms]) for o, u, a, e, y.
const TONED: [(char, [char; 5]); 10] = [
    ('o', ['ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('O', ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ']),
    ('u', ['ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('U', ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ']),
    ('a', ['à', 'á', 'ả', 'ã', 'ạ']),
    ('A', ['À', 'Á', 'Ả', 'Ã', 'Ạ']),
    ('e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('E', ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ']),
    ('y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
    ('Y', ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ']),
];

/// The toned vowels of [`TONED`] by code point, for [`split_tone`]: an entry is
/// `1 + 5 × row + tone` (0 for none) for U+00C0–U+00FF, then U+0100–U+017F, then
/// U+1EA0–U+1EFF, where all of them are.
const TONE_TABLE: [u8; 320] = {
    let mut table = [0u8; 320];
    let mut row = 0;
    while row < TONED.len() {
        let mut tone = 0;
        while tone < 5 {
            let c = TONED[row].1[tone] as usize;
            let slot = match c {
                0xC0..=0x17F => c - 0xC0,
                _ => c - 0x1EA0 + 0xC0,
            };
            table[slot] = (1 + 5 * row + tone) as u8;
            tone += 1;
        }
        row += 1;
    }
    table
};

/// The tone of a toned vowel: its base and tone index.
#[inline]
fn split_tone(c: char) -> Option<(char, usize)> {
    let slot = match c as usize {
        c @ 0xC0..=0x17F => c - 0xC0,
        c @ 0x1EA0..=0x1EFF => c - 0x1EA0 + 0xC0,
        _ => return None,
    };
    match TONE_TABLE[slot] {
        0 => None,
        n => {
            let n = usize::from(n - 1);
            Some((TONED[n / 5].0, n % 5))
        }
    }
}

fn with_tone(base: char, tone: usize) -> Option<char> {
    TONED
        .iter()
        .find(|(b, _)| *b == base)
        .map(|(_, forms)| forms[tone])
}

/// Whether the view only lower-cases `c` (into one character), whatever is around it: a
/// precomposed Latin letter (U+00C0–U+024F, U+1E00–U+1EFF, always in NFC), but not `×` and
/// `÷`, not `Ð` and `ð` (rewritten `Đ` and `đ`), not `İ` (two characters in lower case), and
/// not a toned `o` or `u`, whose tone the view may move to the next letter (`hòa` → `hoà`).
/// A combining mark after it would compose with it, but a mark is none of these characters.
/// For callers that fold words without building a view.
pub fn folds_alone(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
        && !matches!(c, '×' | '÷' | 'Ð' | 'ð' | 'İ')
        && !is_toned_o_or_u(c)
}

/// A toned `o` or `u`: the letters whose tone the view may move to the next one.
#[inline]
fn is_toned_o_or_u(c: char) -> bool {
    split_tone(c).is_some_and(|(base, _)| matches!(base, 'o' | 'O' | 'u' | 'U'))
}

/// The old placement puts the tone on the first vowel of open `oa`, `oe`, `uy` (`hòa`,
/// `thủy`); the new one on the second (`hoà`, `thuỷ`). The view uses the new one. Returns
/// the rewritten pair when `c` (ending at `after`) starts such a syllable.
#[inline]
fn tone_move(c: char, text: &str, after: usize) -> Option<[char; 2]> {
    // Only a toned o or u can start such a pair.
    let (base, tone) = split_tone(c).filter(|&(base, _)| matches!(base, 'o' | 'O' | 'u' | 'U'))?;
    let mut rest = text[after..].chars();
    let next = rest.next()?;
    let ok = match base.to_ascii_lowercase() {
        'o' => matches!(next, 'a' | 'A' | 'e' | 'E'),
        'u' => matches!(next, 'y' | 'Y'),
        _ => false,
    };
    if !ok {
        return None;
    }
    // Open syllable: nothing of the word follows. Combining marks after `next` mean the text
    // is decomposed in an unusual way; leave it alone.
    if rest
        .next()
        .is_some_and(|f| f.is_alphanumeric() || continues_cluster(f))
    {
        return None;
    }
    Some([base, with_tone(next, tone)?])
}

struct Builder {
    text: String,
    segs: Vec<Seg>,
    orig_len: usize,
    fold: Fold,
    /// The pending run of whitespace: where it starts in the original, and whether it is a
    /// single byte (which the view copies as a space, byte for byte). Where it ends is not
    /// kept: the run becomes one unit, and the map finds a unit's end from the next entry.
    space: Option<(usize, bool)>,
    /// The last character pushed was `/` or `-`: following spaces are dropped.
    after_joiner: bool,
    /// Whether the last entry is a copied run that the next copied byte can extend.
    in_copy_run: bool,
    /// Whether copied runs are entered in the map: not when only the text is wanted
    /// ([`normalized_string`], whose fast path copies nothing else).
    map: bool,
    /// [`Normalized::sites`].
    sites: Vec<usize>,
}

impl Builder {
    fn new(len: usize, fold: Fold) -> Self {
        Builder {
            text: String::with_capacity(len),
            segs: Vec::new(),
            orig_len: len,
            fold,
            space: None,
            after_joiner: false,
            in_copy_run: false,
            map: true,
            sites: Vec::new(),
        }
    }

    /// A whitespace character of `len` bytes at `i`: it starts a pending run, or joins it.
    /// (Leading whitespace is kept as a space too: offsets stay simple.)
    fn space(&mut self, i: usize, len: usize) {
        self.space = Some(match self.space {
            Some((s, _)) => (s, false),
            None => (i, len == 1),
        });
    }

    /// An invisible character: deleted, or part of the pending whitespace run (a deletion
    /// entry before the run's own entry would put the map out of order).
    fn invisible(&mut self, i: usize) {
        match self.space {
            Some((s, _)) => self.space = Some((s, false)),
            None => self.deleted(i),
        }
    }

    fn drop_pending_space(&mut self) {
        if let Some((s, _)) = self.space.take() {
            self.deleted(s);
        }
    }

    fn flush_space(&mut self) {
        let Some((s, single)) = self.space.take() else {
            return;
        };
        if self.after_joiner {
            self.after_joiner = false;
            self.deleted(s);
            return;
        }
        if single {
            // One ASCII whitespace byte becomes one space: still a byte-for-byte copy.
            self.copy_byte(s, ' ');
        } else {
            self.unit(s, " ");
        }
    }

    /// Copies the run of characters that the view keeps as they are from `start` (plain
    /// ASCII and the letters of [`plain_latin`], with single spaces between them) and
    /// returns where it ends: `start` when the character there needs the general path. The
    /// view gets the text and map that the general path would build, one copied entry for
    /// the whole run.
    fn push_plain_run(&mut self, text: &str, start: usize) -> usize {
        if !starts_plain_run(text, start, self.fold) {
            return start;
        }
        self.flush_space();
        self.after_joiner = false;
        self.copy_from(start);
        // The run is copied in as few pieces as can be: up to each letter that lower-casing
        // turns into another (`Đ`, `Ô`), then that letter, and the rest at the end. ASCII
        // capitals are left as they are: [`Builder::finish`] lower-cases them all at once.
        let mut copied = start;
        let out = &mut self.text;
        let sites = &mut self.sites;
        let site = |at| sites.push(at);
        // Each fold with its own loop, which knows it.
        let end = match self.fold {
            Fold::Case => plain_run_end(
                text,
                start,
                Fold::Case,
                |at, len, lower| {
                    out.push_str(&text[copied..at]);
                    let c = u32::from(char_at(text, at)) + u32::from(lower);
                    out.push(char::from_u32(c).expect("a Latin letter"));
                    copied = at + len;
                },
                site,
            ),
            Fold::None => plain_run_end(text, start, Fold::None, |_, _, _| {}, site),
        };
        self.text.push_str(&text[copied..end]);
        end
    }

    fn copy_byte(&mut self, i: usize, c: char) {
        debug_assert!(c.is_ascii());
        self.copy_from(i);
        self.text.push(c);
    }

    /// Makes what is pushed next a byte-for-byte copy of the original from `i`: extends the
    /// current copied run when it continues there, else starts a new one.
    fn copy_from(&mut self, i: usize) {
        if !self.map {
            return;
        }
        let norm = self.text.len();
        let continues = self.in_copy_run
            && self
                .segs
                .last()
                .is_some_and(|s| s.copied && s.orig + (norm - s.norm) == i);
        if !continues {
            self.segs.push(Seg {
                norm,
                orig: i,
                copied: true,
            });
            self.in_copy_run = true;
        }
    }

    /// A rewritten unit covering the original from `i` on.
    fn unit(&mut self, i: usize, s: &str) {
        self.segs.push(Seg {
            norm: self.text.len(),
            orig: i,
            copied: false,
        });
        self.in_copy_run = false;
        self.text.push_str(s);
    }

    fn deleted(&mut self, i: usize) {
        self.segs.push(Seg {
            norm: self.text.len(),
            orig: i,
            copied: false,
        });
        self.in_copy_run = false;
    }

    fn push_unit(&mut self, i: usize, end: usize, c: char, rewritten: bool, fold: Fold) {
        self.after_joiner = false;
        // Fold on the stack: one character in nearly every case, at most three.
        let mut buf = [0u8; 16];
        let folded: &str = match (fold, latin_lower(c)) {
            (Fold::None, _) => c.encode_utf8(&mut buf),
            (Fold::Case, Some(l)) => l.encode_utf8(&mut buf),
            (Fold::Case, None) => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.len()) {
                    (Some(l), 0) => l.encode_utf8(&mut buf),
                    (first, _) => {
                        let mut len = 0;
                        for l in first.into_iter().chain(lower) {
                            len += l.encode_utf8(&mut buf[len..]).len();
                        }
                        std::str::from_utf8(&buf[..len]).expect("encoded from chars")
                    }
                }
            }
        };
        if !rewritten && folded.len() == end - i {
            // Same length: bytes map one to one, so this is a copy as far as offsets go.
            self.copy_from(i);
            self.text.push_str(folded);
        } else {
            self.unit(i, folded);
        }
    }

    fn push_str_unit(&mut self, i: usize, chars: &[char], fold: Fold) {
        self.after_joiner = false;
        // A unit, folded straight into the text: no string for it (a tone moves in one
        // Vietnamese word of a few).
        self.unit(i, "");
        for &c in chars {
            push_folded(&mut self.text, c, fold);
        }
    }

    /// With [`Fold::Case`], lower-cases the ASCII capitals that the fast path copied as they
    /// were ([`Builder::push_plain_run`]): once over the whole view, which costs less than
    /// once over each run, and leaves the rest as it is, for everything else the view holds
    /// is lower case already, and no lower case holds an ASCII capital.
    fn lower_ascii(&mut self) {
        if self.fold == Fold::Case {
            self.text.make_ascii_lowercase();
        }
    }

    fn finish(mut self) -> Normalized {
        self.lower_ascii();
        if self.segs.is_empty() {
            self.segs.push(Seg {
                norm: 0,
                orig: 0,
                copied: true,
            });
        }
        Normalized {
            text: self.text,
            segs: self.segs,
            orig_len: self.orig_len,
            sites: self.sites,
        }
    }
}

/// Whether a run of characters that the view keeps as they are ([`plain_run_end`]) starts
/// at `start`.
#[inline(always)]
fn starts_plain_run(text: &str, start: usize, fold: Fold) -> bool {
    match text.as_bytes().get(start) {
        Some(&x) if x.is_ascii() => PLAIN_ASCII[x as usize] && !mark_at(text, start + 1),
        Some(_) => plain_latin(text, start, fold).is_some(),
        None => false,
    }
}

/// Where the run of characters that the view keeps as they are ends, from `start`, where
/// one starts ([`starts_plain_run`]): plain ASCII and the letters of [`plain_latin`], with
/// single spaces between them. `lowered(at, len, lower)` is told of each letter that
/// lower-casing turns into another (`Đ`, `Ô`: never with [`Fold::None`]): where it is, its
/// length, and what lower-casing adds to its code point. ASCII capitals are left to the
/// caller. `site(at)` is told of each letter that may be in the new tone placement
/// ([`may_be_new_tone`]), a site of the view ([`Normalized::sites`]).
#[inline(always)]
fn plain_run_end(
    text: &str,
    start: usize,
    fold: Fold,
    mut lowered: impl FnMut(usize, usize, u8),
    mut site: impl FnMut(usize),
) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    'run: loop {
        // ASCII, sixteen bytes at a time as far as they are plain: words of English, the
        // letters between two of Vietnamese.
        while let Some(block) = bytes.get(i..).and_then(<[u8]>::first_chunk::<16>) {
            let taken = plain_prefix(block);
            i += taken;
            if taken < 16 {
                break;
            }
        }
        // Then the byte where they stopped (or one of the last fifteen).
        let Some(&x) = bytes.get(i) else {
            break;
        };
        let mut at = i;
        if x.is_ascii() {
            if PLAIN_ASCII[usize::from(x)] {
                i += 1;
                continue;
            }
            // A space only between two characters of the run (the first is no space). So
            // is a joiner, `-` or `/`, after the first: no space comes before it or after
            // it, which the view would drop, and between two letters the view copies it.
            match bytes.get(i + 1) {
                Some(&y) if matches!(x, b' ' | b'-' | b'/') && PLAIN_ASCII[usize::from(y)] => {
                    i += 2;
                    continue;
                }
                Some(&y) if matches!(x, b' ' | b'-' | b'/') && !y.is_ascii() => at = i + 1,
                _ => break,
            }
        }
        // Letters of Vietnamese, one after another without going back to the blocks, which
        // would take none of them: [`plain_latin`], with the byte after each letter read
        // once for what it asks of it and for where to go on.
        loop {
            let Some((len, entry, next)) = latin_at(bytes, at).and_then(|(len, entry)| {
                // The end reads as 0, which is ASCII as what ends a run of letters is.
                let next = bytes.get(at + len).copied().unwrap_or(0);
                keeps_latin(text, at, len, entry, next).then_some((len, entry, next))
            }) else {
                // A combining mark after an ASCII letter belongs to it: leave that letter
                // to the general path. (One after a Latin letter kept that letter out of
                // the run.)
                if bytes[i] >= 0xCC && i > start && bytes[i - 1].is_ascii() && mark_at(text, i) {
                    i -= 1;
                }
                break 'run;
            };
            // Most letters are in lower case and no site: one test for both.
            if entry & (TONED_A_E_Y | LOWER) != 1 {
                let lower = match fold {
                    Fold::Case => (entry & LOWER) - 1,
                    Fold::None => 0,
                };
                if lower != 0 {
                    lowered(at, len, lower);
                }
                if may_be_new_tone(bytes, at, entry) {
                    site(at);
                }
            }
            i = at + len;
            if next.is_ascii() {
                continue 'run;
            }
            at = i;
        }
    }
    i
}

/// The lower case of a Latin letter Vietnamese uses, without the general Unicode tables
/// (which are slow for every letter of a Vietnamese text); `None` for anything else.
fn latin_lower(c: char) -> Option<char> {
    char::from_u32(latin_lower_u32(c as u32)?)
}

/// [`latin_lower`] on code points, for building [`LATIN_TABLE`].
const fn latin_lower_u32(u: u32) -> Option<u32> {
    Some(match u {
        0x00C0..=0x00DE if u != 0x00D7 => u + 0x20,
        0x00DF..=0x00FF => u,
        // Latin Extended-A pairs (Ă ă, Đ đ, Ĩ ĩ, Ũ ũ …): upper even, lower odd.
        0x0100..=0x012F | 0x0150..=0x0177 => u | 1,
        0x01A0 | 0x01A1 => 0x01A1, // Ơ ơ
        0x01AF | 0x01B0 => 0x01B0, // Ư ư
        // Latin Extended Additional (ạ … ỹ): upper even, lower odd.
        0x1E00..=0x1E95 | 0x1EA0..=0x1EFF => u | 1,
        _ => return None,
    })
}

fn push_folded(s: &mut String, c: char, fold: Fold) {
    if fold == Fold::Case {
        s.extend(c.to_lowercase());
    } else {
        s.push(c);
    }
}

/// The normalised text of `s`, without the map: for building patterns and comparing names.
pub fn normalized_string(s: &str, fold: Fold) -> String {
    if is_plain_ascii_text(s) {
        // Already in normal form but for case: most names, acronyms and English words.
        let mut out = s.to_owned();
        if fold == Fold::Case {
            out.make_ascii_lowercase();
        }
        return out;
    }
    // Names and long forms in Vietnamese are mostly precomposed letters that the view copies
    // as they are: then the fast path's run covers the whole string, and its text is the view
    // without a map to build or ends to trim.
    let mut b = Builder::new(s.len(), fold);
    b.map = false;
    let end = b.push_plain_run(s, 0);
    if end == s.len() {
        b.lower_ascii();
        return b.text;
    }
    // Else the rest from where the run stopped, into the same text, still without a map.
    let mut text = normalize_from(s, end, fold, true, b).text;
    text.truncate(text.trim_end().len());
    text.drain(..text.len() - text.trim_start().len());
    text
}

/// [`normalized_string`], borrowing `s` when that is `s` itself: most of what is looked up
/// or compared (mentions as written, names) is already canonical, and then needs no copy.
pub fn normalized_str(s: &str, fold: Fold) -> Cow<'_, str> {
    // With `Fold::Case`, a letter lower-casing changes makes it another text.
    let mut changed = false;
    let end = if starts_plain_run(s, 0, fold) {
        plain_run_end(s, 0, fold, |_, _, _| changed = true, |_| {})
    } else {
        0
    };
    // The run never ends with a space, nor starts with one: nothing is trimmed.
    if end == s.len()
        && !changed
        && (fold == Fold::None || !s.bytes().any(|b| b.is_ascii_uppercase()))
    {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalized_string(s, fold))
    }
}

/// The first byte of `s` when it is sure to be the first byte of its normalised text
/// without case folding ([`normalized_string`] with [`Fold::None`]): an ASCII letter or digit
/// that no combining mark follows. A cheap test that two texts cannot normalise alike.
#[inline]
pub fn first_byte_kept(s: &str) -> Option<u8> {
    let b = *s.as_bytes().first()?;
    (b.is_ascii_alphanumeric() && !mark_at(s, 1)).then_some(b)
}

/// Whether the view of `s` is `s` itself (lower-cased): plain ASCII words with one space
/// between them, none at either end.
fn is_plain_ascii_text(s: &str) -> bool {
    let b = s.as_bytes();
    // Read once: each byte after the first is plain, or a space after one that is not.
    b.first().is_some_and(|&x| PLAIN_ASCII[usize::from(x)])
        && b.last().is_some_and(|&x| PLAIN_ASCII[usize::from(x)])
        && b.windows(2)
            .all(|w| PLAIN_ASCII[usize::from(w[1])] || (w[1] == b' ' && w[0] != b' '))
}

/// The base letter of a character, lower-cased, without its marks (`Ắ` → `a`, `Đ` → `d`):
/// [`strip_diacritics`] for one character, without allocating.
pub fn base_letter(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let base = match c {
        'Đ' | 'Ð' | 'đ' | 'ð' => 'd',
        _ => {
            let mut first = None;
            unicode_normalization::char::decompose_canonical(c, |d| {
                first.get_or_insert(d);
            });
            first.unwrap_or(c)
        }
    };
    latin_lower(base).unwrap_or_else(|| base.to_lowercase().next().unwrap_or(base))
}

/// Strips Vietnamese diacritics: `Bùi Văn Nam` → `Bui Van Nam`, `Đ` → `D`.
pub fn strip_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| canonical_combining_class(*c) == 0)
        .map(|c| match c {
            'Đ' | 'Ð' => 'D',
            'đ' | 'ð' => 'd',
            c => c,
        })
        .collect()
}

/// What kinds of non-canonical writing a text contains (for the mixed-normalisation rule).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizationReport {
    /// Byte ranges of clusters that are not in NFC.
    pub decomposed: Vec<Range<usize>>,
    /// Byte ranges of `Ð`/`ð` used for `Đ`/`đ`.
    pub eth: Vec<Range<usize>>,
    /// Byte ranges of words with the old tone placement (`hòa`).
    pub old_tone: Vec<Range<usize>>,
    /// Byte ranges of words with the new tone placement (`hoà`).
    pub new_tone: Vec<Range<usize>>,
}

/// Scans `text` for non-canonical writing.
pub fn inspect(text: &str) -> NormalizationReport {
    inspect_with(text, true)
}

/// [`inspect`], with or without its fast path over letters that cannot be reported: tests
/// check that both report the same.
fn inspect_with(text: &str, fast: bool) -> NormalizationReport {
    let mut r = NormalizationReport::default();
    let bytes = text.as_bytes();
    let mut next = 0;
    while next < text.len() {
        let mut i = next;
        if bytes[i].is_ascii() {
            // Plain ASCII is canonical, except a letter that a combining mark follows.
            i = non_ascii_from(bytes, i);
            if i == bytes.len() {
                break;
            }
            if mark_at(text, i) {
                i -= 1;
            }
        }
        // Most letters of Vietnamese text: in NFC, no tone that can move (onto an `a`, `e`
        // or `y` after it), and none that can be the new placement's (which follows a plain
        // `o` or `u`).
        if fast
            && let Some((len, entry)) = latin_at(bytes, i)
            && (entry & TONED_O_OR_U == 0
                || !matches!(
                    bytes.get(i + len),
                    Some(b'a' | b'A' | b'e' | b'E' | b'y' | b'Y')
                ))
            && (entry & TONED_A_E_Y == 0
                || !matches!(
                    i.checked_sub(1).map(|p| bytes[p]),
                    Some(b'o' | b'O' | b'u' | b'U')
                ))
            && !mark_at(text, i + len)
        {
            next = i + len;
            continue;
        }
        // Dashes, quotes and the like (U+2010–U+206F): canonical, and no letters.
        if fast
            && bytes[i] == 0xE2
            && matches!(
                (bytes[i + 1], bytes[i + 2]),
                (0x80, 0x90..) | (0x81, ..0xB0)
            )
            && !mark_at(text, i + 3)
        {
            next = i + 3;
            continue;
        }
        next = inspect_cluster(text, i, &mut r);
    }
    r
}

/// What [`inspect`] reports of the cluster that starts at `i` (a character boundary before
/// the end that no combining mark continues from before), into `r`: where the cluster ends.
fn inspect_cluster(text: &str, i: usize, r: &mut NormalizationReport) -> usize {
    let c = char_at(text, i);
    let end = cluster_end(text, i + c.len_utf8());
    let cluster = &text[i..end];
    if end > i + c.len_utf8() || needs_nfc(c) {
        if cluster.nfc().collect::<String>() != cluster {
            r.decomposed.push(i..end);
        }
        return end;
    }
    if matches!(c, 'Ð' | 'ð') {
        r.eth.push(i..end);
        return end;
    }
    if tone_move(c, text, end).is_some() {
        let next_len = text[end..].chars().next().map_or(0, char::len_utf8);
        r.old_tone.push(word_around(text, i, end + next_len));
    } else if let Some((base, _)) = split_tone(c) {
        // New placement: a toned a/e/y after plain o/u, in an open syllable.
        let prev = text[..i].chars().next_back();
        let after = text[end..].chars().next();
        let pair = match base.to_ascii_lowercase() {
            'a' | 'e' => prev.is_some_and(|p| matches!(p, 'o' | 'O')),
            'y' => prev.is_some_and(|p| matches!(p, 'u' | 'U')),
            _ => false,
        };
        if pair && !after.is_some_and(char::is_alphanumeric) {
            // "qua"/"quy": the u after q is a consonant, not a vowel pair.
            let before_prev = text[..i].chars().rev().nth(1);
            if !before_prev.is_some_and(|q| matches!(q, 'q' | 'Q')) {
                r.new_tone.push(word_around(text, i, end));
            }
        }
    }
    end
}

/// [`inspect`] of `text`, from the [`Normalized::sites`] of the views of its pieces (moved
/// to offsets of `text`, in order), which are the only places where it may find something:
/// only those are read again. The pieces must hold every character of `text` but the line
/// breaks, spaces and tabs between them (`analysis::pieces`).
pub fn inspect_sites(text: &str, sites: &[usize]) -> NormalizationReport {
    let mut r = NormalizationReport::default();
    let mut next = 0;
    for &site in sites {
        let mut i = site;
        // A view starts a cluster at a combining mark only after whitespace or an invisible
        // character (or at the start of a piece, after a line break): `inspect` takes that
        // character for the cluster's starter.
        if mark_at(text, i)
            && let Some(p) = text[..i].chars().next_back()
        {
            i -= p.len_utf8();
        }
        if i < next {
            continue;
        }
        next = inspect_cluster(text, i, &mut r);
    }
    r
}

fn word_around(text: &str, start: usize, end: usize) -> Range<usize> {
    let s = text[..start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(start, |(i, _)| i);
    let e = end
        + text[end..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .map(char::len_utf8)
            .sum::<usize>();
    s..e
}

/// The canonical form of a whole text, as `lexls` writes it when normalising a document:
/// NFC, `Đ` for `Ð`, new tone placement. Whitespace, dashes and case are left as they are.
pub fn canonical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii() && !combining_follows(&mut chars) {
            out.push(c);
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, m)) = chars.peek() {
            if continues_cluster(m) {
                end = j + m.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let composed: Vec<char> = text[i..end].nfc().collect();
        if composed.len() == 1 {
            let ch = match composed[0] {
                'Ð' => 'Đ',
                'ð' => 'đ',
                ch => ch,
            };
            if let Some(pair) = tone_move(ch, text, end) {
                chars.next();
                out.extend(pair);
                continue;
            }
            out.push(ch);
        } else {
            out.extend(composed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> String {
        normalize(s, Fold::Case).as_str().to_owned()
    }

    /// Every character boundary of the view maps into the original on a char boundary.
    fn check_map(s: &str) {
        for fold in [Fold::None, Fold::Case] {
            let n = normalize(s, fold);
            for (i, _) in n.as_str().char_indices().chain([(n.as_str().len(), ' ')]) {
                let o = n.orig_start(i);
                assert!(s.is_char_boundary(o), "{s:?} {i} -> {o}");
                let e = n.orig_end(i);
                assert!(s.is_char_boundary(e), "{s:?} end {i} -> {e}");
            }
        }
    }

    /// Pieces of Vietnamese and English text, decomposed marks, old and new tone placements,
    /// whitespace of every kind, joiners, invisible and non-Latin characters.
    const PIECES: [&str; 72] = [
        "a",
        "B",
        " ",
        "  ",
        "\u{b}",
        "\u{c}",
        "\n",
        "\r\n",
        "\t",
        "\u{00A0}",
        "-",
        "/",
        "'",
        "’",
        "–",
        "Hội nghị",
        "Bộ Công an",
        "hòa",
        "hoà",
        "thủy",
        "thuỷ",
        "HÒA",
        "của",
        "quý",
        "u\u{0300}",
        "o\u{0301}a",
        "\u{0301}",
        "e\u{0323}\u{0302}",
        "Ð",
        "ð",
        "\u{00AD}",
        "\u{200B}",
        "ß",
        "İ",
        "Σ",
        "ǅ",
        "×",
        "Ơ",
        "ư",
        "ĳ",
        "日本",
        "🙂",
        "à",
        "ẹ",
        "ỳ",
        "o",
        "U",
        "q",
        "“",
        "—",
        "\u{2000}",
        "\u{206F}",
        // Long ASCII runs and the plain bytes below `0` for the fast path's blocks,
        // capitals that lower-case to other letters, and tones before `a`, `e`, `y` in
        // syllables that are open or not.
        "ASEAN Regional Forum ",
        "the ministry",
        ", ",
        ".",
        "(",
        "2024",
        "Đ",
        "ĐÔNG",
        "Ư",
        "Ệ",
        "ÓA",
        "óe",
        "ủy ban",
        "hòan",
        "uý",
        // Joiners and apostrophes inside runs, before letters of either kind.
        "x-y",
        "A/B",
        "-ở",
        "’s",
        "it's",
    ];

    /// [`is_plain_ascii_text`] as it was before it read the text once.
    fn is_plain_ascii_text_reference(s: &str) -> bool {
        let b = s.as_bytes();
        b.first().is_some_and(|&x| PLAIN_ASCII[usize::from(x)])
            && b.last().is_some_and(|&x| PLAIN_ASCII[usize::from(x)])
            && b.iter().all(|&x| x == b' ' || PLAIN_ASCII[usize::from(x)])
            && !s.contains("  ")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        #[test]
        fn the_fast_path_builds_the_view_the_general_path_builds(
            picks in proptest::collection::vec(0..PIECES.len(), 0..12),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            for fold in [Fold::None, Fold::Case] {
                let general = normalize_with(&text, fold, false, Builder::new(text.len(), fold));
                // A view that held another text first builds the same.
                let mut reused = Normalized::empty();
                reused.renormalize("Hội nghị\u{00A0}ASEAN – hòa  bình\n\n", fold);
                reused.renormalize(&text, fold);
                proptest::prop_assert_eq!(&reused, &general, "{:?} reused", text);
                proptest::prop_assert_eq!(
                    &normalize_with(&text, fold, true, Builder::new(text.len(), fold)),
                    &general,
                    "{:?} {:?}",
                    text,
                    fold
                );
                proptest::prop_assert_eq!(
                    inspect_with(&text, true),
                    inspect_with(&text, false),
                    "{:?}",
                    text
                );
                let string = normalized_string(&text, fold);
                if let Some(b) = first_byte_kept(&text)
                    && fold == Fold::None
                {
                    proptest::prop_assert_eq!(string.as_bytes().first(), Some(&b), "{:?}", text);
                }
                let borrowed = normalized_str(&text, fold);
                proptest::prop_assert_eq!(
                    borrowed.as_ref(),
                    string.as_str(),
                    "{:?} {:?}",
                    text,
                    fold
                );
                proptest::prop_assert_eq!(
                    is_plain_ascii_text(&text),
                    is_plain_ascii_text_reference(&text),
                    "{:?}",
                    text
                );
                proptest::prop_assert_eq!(
                    string.as_str(),
                    general.as_str().trim(),
                    "{:?} {:?}",
                    text,
                    fold
                );
                // Every range of the view maps as its two ends map on their own, and so
                // it does from any hint: the one the ranges before it in order left, the
                // last entry (after most starts) and none.
                let view = general.as_str();
                let bounds: Vec<usize> =
                    (0..=view.len()).filter(|&i| view.is_char_boundary(i)).collect();
                let mut hint = 0;
                for (k, &a) in bounds.iter().enumerate() {
                    for &b in &bounds[k..] {
                        let start = general.orig_start(a);
                        let end = if b > a { general.orig_end(b) } else { start };
                        let want = start..end.max(start);
                        proptest::prop_assert_eq!(
                            general.to_original(a..b),
                            want.clone(),
                            "{:?} {}..{}",
                            text,
                            a,
                            b
                        );
                        for mut h in [hint, general.segs.len().saturating_sub(1), usize::MAX] {
                            proptest::prop_assert_eq!(
                                general.to_original_after(&mut h, a..b),
                                want.clone(),
                                "{:?} {}..{} from entry {}",
                                text,
                                a,
                                b,
                                h
                            );
                        }
                        general.to_original_after(&mut hint, a..b);
                    }
                }
            }
        }
    }

    /// More pieces for [`inspect_sites`]: line breaks and blank lines where the analysis
    /// cuts a text, marks after them, marks in any order (U+0316 goes before U+0301 in
    /// NFC), marks that are in NFC alone (U+0305), class-0 characters that continue a
    /// cluster (U+0F73), and the new tone placement next to the old one.
    const MORE_PIECES: [&str; 16] = [
        "\n\n",
        " \n \r\n",
        "\u{0316}",
        "\u{0305}",
        "\u{0F73}",
        "\u{0301}\u{0316}",
        "o\u{0300}",
        "Hoà.",
        "khoẻ",
        "quà",
        "Thuỷ\n",
        "TP.\n",
        "toàn",
        "\u{00AD}",
        "\u{2028}",
        "ÐÔ",
    ];

    /// The sites of the views of the pieces the analysis cuts `text` into, in offsets of
    /// `text`, as `analysis` gathers them.
    fn sites_of_pieces(text: &str) -> Vec<usize> {
        let mut view = Normalized::empty();
        let mut sites = Vec::new();
        for r in crate::analysis::pieces::pieces(text, |word| word != "TP") {
            view.renormalize(&text[r.clone()], Fold::Case);
            sites.extend(view.sites().iter().map(|&at| at + r.start));
        }
        sites
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10_000))]

        #[test]
        fn inspecting_the_sites_reports_what_inspect_reports(
            picks in proptest::collection::vec(0..PIECES.len() + MORE_PIECES.len(), 0..16),
        ) {
            let text: String = picks
                .iter()
                .map(|&i| PIECES.get(i).copied().unwrap_or_else(|| MORE_PIECES[i - PIECES.len()]))
                .collect();
            let want = inspect(&text);
            proptest::prop_assert_eq!(
                &inspect_sites(&text, &sites_of_pieces(&text)),
                &want,
                "{:?}",
                text
            );
            // The view of the whole text, in either fold, has the sites too.
            for fold in [Fold::None, Fold::Case] {
                let whole = normalize(&text, fold);
                proptest::prop_assert_eq!(
                    &inspect_sites(&text, whole.sites()),
                    &want,
                    "{:?} {:?}",
                    text,
                    fold
                );
            }
        }
    }

    #[test]
    fn the_view_finds_the_new_tone_placement_at_every_offset() {
        for pad in 0..20 {
            for tail in ["", " x", "\n", ", abcdefghij"] {
                for word in ["hoà", "Khoẻ", "THUỶ", "HOÀ"] {
                    let text = format!("{}toàn quà {word}{tail}", "a".repeat(pad));
                    let at = text.find(word).unwrap();
                    for fold in [Fold::None, Fold::Case] {
                        let r = inspect_sites(&text, normalize(&text, fold).sites());
                        assert_eq!(r.new_tone, vec![at..at + word.len()], "{text:?}");
                    }
                }
                // Not in the new placement: closed syllables, `qu`, the old placement, and
                // no `o` or `u` before the toned letter.
                let text = format!("{}toàn quà hòa quý hoàn conà utỳ{tail}", "u".repeat(pad));
                let r = inspect_sites(&text, normalize(&text, Fold::Case).sites());
                assert_eq!(r, inspect(&text), "{text:?}");
                assert!(r.new_tone.is_empty() && r.old_tone.len() == 1, "{text:?}");
            }
        }
    }

    #[test]
    fn what_the_view_folds_alone_is_in_nfc_alone() {
        // `inspect_sites` relies on it: a view never marks as a site a combining mark after
        // whitespace that it takes alone, so `inspect` must find nothing in that cluster.
        for c in ['\u{0F73}', '\u{0F75}', '\u{0F81}', '\u{0301}', '\u{0340}'] {
            assert!(needs_nfc(c), "{c:?}");
        }
        assert!(!needs_nfc('\u{0305}'));
        assert!(inspect("\n\u{0305}").decomposed.is_empty());
        assert_eq!(inspect("\n\u{0301}\u{0316}").decomposed, vec![0..5]);
    }

    #[test]
    fn general_punctuation_after_u2010_is_canonical_and_no_mark() {
        // `inspect` passes over U+2010–U+206F without looking them up.
        for c in '\u{2010}'..='\u{206F}' {
            assert!(!needs_nfc(c) && !may_continue_cluster(c), "{c:?}");
            assert!(split_tone(c).is_none() && !matches!(c, 'Ð' | 'ð'));
        }
        assert!(
            needs_nfc('\u{2000}'),
            "U+2000 decomposes to U+2002: not in the fast range"
        );
    }

    /// Bytes for [`plain_prefix`]'s test: plain ASCII, spaces, what the view rewrites around,
    /// controls, and bytes of UTF-8 sequences.
    const BLOCK_BYTES: &[u8] = b" a-Z/'\t\n\x01\x7f\x80\xa0\xc3.0\xb0";

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        #[test]
        fn plain_prefixes_are_what_the_byte_loop_takes(
            picks in proptest::collection::vec(0..BLOCK_BYTES.len(), 16),
        ) {
            let b: [u8; 16] = std::array::from_fn(|k| BLOCK_BYTES[picks[k]]);
            // Bytes of U+0030–U+007F, and a space before one of them, not at the end.
            let word = |k: usize| (0x30..0x80).contains(&b[k]);
            let want = (0..16)
                .position(|k| !(word(k) || (b[k] == b' ' && k < 15 && word(k + 1))))
                .unwrap_or(16);
            // What it takes is what the byte loop takes: plain bytes, and spaces before one.
            for k in 0..want {
                proptest::prop_assert!(
                    PLAIN_ASCII[usize::from(b[k])]
                        || (b[k] == b' ' && PLAIN_ASCII[usize::from(b[k + 1])])
                );
            }
            proptest::prop_assert_eq!(plain_prefix(&b), want, "{:?}", b);
        }
    }

    #[test]
    fn non_ascii_from_finds_the_first_non_ascii_byte() {
        let text = "0123456789abcdefghij".repeat(3);
        for at in 0..text.len() {
            for start in 0..=at {
                let mut s = text[..at].to_owned();
                s.push('é');
                s.push_str(&text[at..]);
                assert_eq!(non_ascii_from(s.as_bytes(), start), at);
            }
            assert_eq!(non_ascii_from(text.as_bytes(), at), text.len());
        }
    }

    #[test]
    fn plain_ascii_strings_take_the_short_way() {
        for s in [
            "AMIC",
            "ASEAN Regional Forum",
            "a",
            "Covid-19",
            "x  y",
            " ab",
            "ab ",
            "a\tb",
            "it's",
            "Hà Nội",
            "A - B",
            "",
        ] {
            for fold in [Fold::None, Fold::Case] {
                assert_eq!(
                    normalized_string(s, fold),
                    normalize(s, fold).as_str().trim(),
                    "{s:?} {fold:?}"
                );
            }
        }
        assert!(is_plain_ascii_text("ASEAN Regional Forum"));
        assert!(is_plain_ascii_text("it's"));
        for s in ["x  y", " ab", "ab ", "a\tb", "Covid-19", "Hà", ""] {
            assert!(!is_plain_ascii_text(s), "{s:?}");
        }
    }

    #[test]
    fn every_toned_vowel_is_split() {
        for (base, forms) in TONED {
            for (tone, c) in forms.into_iter().enumerate() {
                assert_eq!(split_tone(c), Some((base, tone)), "{c}");
            }
        }
        // Every other character has none.
        let toned: Vec<char> = TONED.iter().flat_map(|(_, forms)| *forms).collect();
        for c in ('\0'..='\u{2FFF}').filter(|c| !toned.contains(c)) {
            assert_eq!(split_tone(c), None, "{c:?}");
        }
    }

    #[test]
    fn ascii_is_copied_and_lowercased() {
        let n = normalize("AMIC and ASEAN", Fold::Case);
        assert_eq!(n.as_str(), "amic and asean");
        assert_eq!(n.to_original(9..14), 9..14);
        assert_eq!(n.segs.len(), 1, "canonical ASCII needs one map entry");
    }

    /// A view with many map entries (each doubled space and each moved tone is one), mapped
    /// with a hint in steps short and long: the entry of a start more than eight entries
    /// after the hint is searched for, one before it is searched for from the start.
    #[test]
    fn ranges_map_from_a_hint_as_they_map_alone() {
        let text = "Hòa  bình, HOÀ  giải; Thuỷ\u{00A0}lợi.\n".repeat(40);
        let n = normalize(&text, Fold::Case);
        assert!(n.segs.len() > 200, "{} entries", n.segs.len());
        let view = n.as_str();
        let bounds: Vec<usize> = (0..=view.len())
            .filter(|&i| view.is_char_boundary(i))
            .collect();
        for step in [1, 7, 61, 400] {
            let mut hint = 0;
            for (k, &a) in bounds.iter().enumerate().step_by(step) {
                let b = bounds[(k + 5).min(bounds.len() - 1)];
                assert_eq!(
                    n.to_original_after(&mut hint, a..b),
                    n.to_original(a..b),
                    "{a}..{b}, step {step}"
                );
            }
            // Back to the start from the last entry.
            assert_eq!(n.to_original_after(&mut hint, 0..3), n.to_original(0..3));
            assert_eq!(hint, 0);
        }
    }

    #[test]
    fn whitespace_runs_fold_to_one_space() {
        let s = "Biển\u{00A0}Đông\r\n  và";
        let n = normalize(s, Fold::None);
        assert_eq!(n.as_str(), "Biển Đông và");
        let at = n.as_str().find("Đông").unwrap();
        let r = n.to_original(at..at + "Đông".len());
        assert_eq!(&s[r], "Đông");
        let v = n.as_str().find("và").unwrap();
        assert_eq!(&s[n.to_original(v..v + "và".len())], "và");
        check_map(s);
    }

    #[test]
    fn decomposed_input_composes_and_maps_back() {
        let nfc = "Bùi Văn Nam";
        let nfd: String = nfc.nfd().collect();
        let n = normalize(&nfd, Fold::None);
        assert_eq!(n.as_str(), nfc);
        let r = n.to_original(0..n.as_str().len());
        assert_eq!(r, 0..nfd.len());
        let at = n.as_str().find("Văn").unwrap();
        let r = n.to_original(at..at + "Văn".len());
        assert_eq!(nfd[r].nfc().collect::<String>(), "Văn");
        check_map(&nfd);
    }

    #[test]
    fn tone_placement_is_unified() {
        assert_eq!(view("hòa bình"), view("hoà bình"));
        assert_eq!(view("thủy"), view("thuỷ"));
        assert_eq!(view("khỏe"), view("khoẻ"));
        // Closed syllables are not touched: hoàn keeps its mark.
        assert_eq!(view("hoàn"), "hoàn");
        let s = "Hòa Bình";
        let n = normalize(s, Fold::None);
        assert_eq!(n.as_str(), "Hoà Bình");
        assert_eq!(n.to_original(0..n.as_str().find(' ').unwrap()), 0..4);
        check_map(s);
    }

    #[test]
    fn eth_invisible_and_dashes() {
        assert_eq!(view("\u{00D0}ông"), view("Đông"));
        assert_eq!(view("Đông\u{00AD}Nam"), view("ĐôngNam"));
        assert_eq!(view("A\u{200B}MIC"), "amic");
        assert_eq!(view("Đông – Nam Á"), view("Đông-Nam Á"));
        assert_eq!(view("quân sự/ quốc phòng"), view("quân sự/quốc phòng"));
        assert_eq!(view("Military /Defense"), view("Military/Defense"));
        assert_eq!(view("Chiefs’ Meeting"), view("Chiefs' Meeting"));
        let s = "AM\u{00AD}IC x";
        let n = normalize(s, Fold::None);
        assert_eq!(n.as_str(), "AMIC x");
        assert_eq!(n.to_original(0..4), 0..s.find(" x").unwrap());
        check_map(s);
    }

    #[test]
    fn deleted_char_at_match_end_is_excluded() {
        let s = "AMIC\u{00AD} x";
        let n = normalize(s, Fold::None);
        assert_eq!(n.to_original(0..4), 0..4);
    }

    #[test]
    fn latin_lower_agrees_with_unicode() {
        for c in ('\u{00C0}'..='\u{01B0}').chain('\u{1E00}'..='\u{1EFF}') {
            if let Some(l) = latin_lower(c) {
                let want: Vec<char> = c.to_lowercase().collect();
                assert_eq!(want, [l], "{c:?} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn unicode_case_folding() {
        assert_eq!(view("BIỂN ĐÔNG"), "biển đông");
        check_map("İstanbul ẞ KELVIN \u{212A}");
    }

    #[test]
    fn maps_emoji_and_mixed_text() {
        let s = "🇻🇳 AMIC\u{00A0}🤝 Hà\u{00A0}Nội 😀";
        check_map(s);
        let n = normalize(s, Fold::Case);
        let at = n.as_str().find("hà nội").unwrap();
        assert_eq!(&s[n.to_original(at..at + "hà nội".len())], "Hà\u{00A0}Nội");
    }

    #[test]
    fn base_letters() {
        let got: String = "Ắ Đ đ ừ Ỳ A z ß".chars().map(base_letter).collect();
        assert_eq!(got, "a d d u y a z ß");
    }

    #[test]
    fn strip_diacritics_for_english_text() {
        assert_eq!(strip_diacritics("Bùi Văn Nam"), "Bui Van Nam");
        assert_eq!(strip_diacritics("Trần Công Chính"), "Tran Cong Chinh");
        assert_eq!(strip_diacritics("Đà Nẵng"), "Da Nang");
    }

    #[test]
    fn inspect_finds_mixed_writing() {
        let nfd: String = "Việt".nfd().collect();
        let text = format!("{nfd} hòa bình và thuỷ lợi, \u{00D0}ông");
        let r = inspect(&text);
        assert_eq!(r.decomposed.len(), 1);
        assert_eq!(r.eth.len(), 1);
        assert_eq!(&text[r.old_tone[0].clone()], "hòa");
        assert_eq!(&text[r.new_tone[0].clone()], "thuỷ");
        assert!(inspect("quý vị và của").new_tone.is_empty());
    }

    /// Found by the property tests (issue 8): a class-0 character that decomposes into
    /// combining marks ended the cluster early, so `ś` was not composed across it and the
    /// canonical text was not in NFC (nor idempotent).
    #[test]
    fn regression_issue8_non_starter_decomposition() {
        let s = "s\u{0F73}\u{0301}";
        let nfc: String = s.nfc().collect();
        assert_eq!(canonical_text(s), nfc);
        assert_eq!(canonical_text(&canonical_text(s)), canonical_text(s));
        assert_eq!(normalize(s, Fold::None).as_str(), nfc);
        check_map(s);
    }

    /// Found by fuzzing (issue 8): an invisible character after a whitespace run that
    /// follows a rewritten unit (`Mỹ` decomposed) put a deletion entry before the run's
    /// entry, so the mention `Mỹ` ended after the line separator.
    #[test]
    fn regression_issue8_invisible_after_whitespace() {
        for s in [
            "My\u{0303}\u{2028}\u{00AD}",
            "Hòa\n\u{200B}x",
            "Mỹ \u{FEFF} x",
        ] {
            check_map(s);
            let n = normalize(s, Fold::None);
            let word = n.as_str().split(' ').next().unwrap().len();
            let r = n.to_original(0..word);
            assert!(
                !s[r.clone()].ends_with(char::is_whitespace),
                "{s:?} -> {r:?}"
            );
        }
    }

    #[test]
    fn canonical_text_rewrites_only_what_it_should() {
        let nfd: String = "Hòa Bình".nfd().collect();
        assert_eq!(
            canonical_text(&format!("{nfd}\r\n\u{00D0}à")),
            "Hoà Bình\r\nĐà"
        );
        assert_eq!(canonical_text("ASEAN  -  x"), "ASEAN  -  x");
    }
}
