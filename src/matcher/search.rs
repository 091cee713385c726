//! The search for aliases in the normalised view: every pattern that matches at a word start.
//!
//! A mention starts where a word starts, so instead of an unanchored overlapping search that
//! reports every match at every byte (and then drops those inside words), a trie of the
//! patterns ([`Trie`]) is walked from each word start until no pattern goes on.
//!
//! Most words start no alias, and a walk costs a load from the trie per byte, which is too
//! large for the processor's nearest caches. So a word start is first looked up in small
//! tables of the patterns' first bytes ([`Openings`]): the first three bytes of every pattern
//! and the patterns of two bytes (a Bloom filter), and the patterns of one byte exactly. These
//! read three bytes and nothing else, and rule out most words.
//!
//! The tables tell two kinds of patterns apart. A pattern that is one word (word characters
//! only) may match a text word's beginning and end inside it (`COP` in `COP26`), so a word
//! that may open one is walked. Any other pattern has a first word followed by a character
//! that is no word character, which the text must have right there: it matches only where
//! the text's word is exactly its first word (`hội` of `hội nghị`, `a` of `a-level`), or
//! where the text's character is no word character (`-19`). So a word that may open one of
//! those is hashed whole with the two bytes after it, and looked up in a filter of the
//! patterns' first words with their next two bytes ([`Heads`]); it is walked only if it
//! may be one. Short first words (`a`, `to`, `hà`) do not let through every word that
//! begins with them (`another`, `today`, `hát`), and common ones (`the`, `hội`) only when
//! the next word begins as a pattern's does (`the u`, `hội n`).

use super::is_word_char;
use crate::bytes16::Lanes;

/// The search: a trie of the patterns, walked from word starts, and the filters that tell
/// which word starts to walk from.
#[derive(Clone, Debug)]
pub(super) struct Search {
    trie: Trie,
    openings: Openings,
    /// The patterns of several words by their first word and the two bytes after it.
    heads: Heads,
    /// Those with only one byte after their first word (`tp.`), by their first word and
    /// that byte; none in most lexicons.
    short_heads: Option<Heads>,
}

impl Search {
    /// The search for `patterns`, which are distinct (pattern `i` is reported as `i`).
    pub(super) fn new(patterns: &[String]) -> Search {
        let trie = Trie::new(patterns);
        let mut openings = Openings::default();
        let mut heads = Heads::default();
        let mut short_heads: Option<Heads> = None;
        for p in patterns {
            match p.find(|c| !is_word_char(c)) {
                None => openings.insert(p.as_bytes(), Openings::ONE_WORD),
                Some(end) => {
                    openings.insert(p.as_bytes(), Openings::SEVERAL);
                    // A pattern that opens with a character that is no word character is
                    // walked from every such start that it may open.
                    if end == 0 {
                        continue;
                    }
                    match p.len() - end {
                        1 => short_heads.get_or_insert_default().insert(p.as_bytes()),
                        _ => heads.insert(&p.as_bytes()[..end + 2]),
                    }
                }
            }
        }
        Search {
            trie,
            openings,
            heads,
            short_heads,
        }
    }

    /// Calls `found(start, end, pattern)` for every pattern that matches `hay[start..end]`
    /// where `start` is a word start (the start of `hay`, or just after a character that is
    /// not a word character). In order of start, then end.
    ///
    /// The word starts come 64 bytes at a time from [`Classes`], as a mask. Each is looked
    /// up in the openings filter, its first three bytes read from the chunk's copy, and the
    /// answers gathered as a mask, without a branch on them (half the starts pass, in no
    /// pattern a processor could predict); then the trie is walked from those that passed.
    pub(super) fn each_match(&self, hay: &str, mut found: impl FnMut(usize, usize, usize)) {
        let bytes = hay.as_bytes();
        // Whether the character before the chunk is no word character (none is, before the
        // text).
        let mut after_nonword = 1;
        // The kinds of patterns each start of the chunk may open, by its place: read only
        // for the starts that may open one, which the chunk's look-ups wrote.
        let mut kinds = [0u8; 64];
        for base in (0..bytes.len()).step_by(64) {
            let (chunk, valid) = chunk_at(bytes, base);
            let c = Classes::of(hay, base, &chunk, valid);
            let starts = (c.nonword << 1 | after_nonword) & !c.continuation & c.valid;
            after_nonword = c.nonword >> 63;
            let mut open = if self.openings.any_one {
                self.openings.of_starts::<true>(&chunk, starts, &mut kinds)
            } else {
                self.openings.of_starts::<false>(&chunk, starts, &mut kinds)
            };
            while open != 0 {
                let j = open.trailing_zeros() as usize & 63;
                open &= open - 1;
                let i = base + j;
                // A pattern of several words matches only where the text's word is its
                // first word and goes on as it does, or where the text's character is no
                // word character.
                if u64::from(kinds[j]) & Openings::ONE_WORD != 0
                    || c.nonword >> j & 1 == 1
                    || self.may_head(bytes, i, c.word_end(hay, base, i))
                {
                    self.trie.walk(bytes, i, &mut found);
                }
            }
        }
    }

    /// Whether a pattern of several words may start with the word `bytes[i..end]` and what
    /// comes after it.
    #[inline]
    fn may_head(&self, bytes: &[u8], i: usize, end: usize) -> bool {
        let short = |s: &Heads| s.may_contain(bytes, i, end + 1);
        match bytes.len() - end {
            // Such a pattern has at least one byte after its first word.
            0 => false,
            1 => self.short_heads.as_ref().is_some_and(short),
            _ => {
                self.heads.may_contain(bytes, i, end + 2)
                    || self.short_heads.as_ref().is_some_and(short)
            }
        }
    }
}

/// A copy of 64 bytes of a text and the three after them, zeros past the text's end: what
/// [`Classes::of`] reads, and the first three bytes of each word start, read at once.
type Chunk = [u8; 67];

/// The chunk of `bytes` at `base`, and the mask of its bytes inside the text (the last chunk
/// is short).
#[inline]
fn chunk_at(bytes: &[u8], base: usize) -> (Chunk, u64) {
    let mut chunk = [0u8; 67];
    let rest = bytes.len() - base;
    if rest >= 67 {
        chunk.copy_from_slice(&bytes[base..base + 67]);
    } else {
        chunk[..rest].copy_from_slice(&bytes[base..]);
    }
    let valid = if rest >= 64 {
        u64::MAX
    } else {
        (1 << rest) - 1
    };
    (chunk, valid)
}

/// What 64 bytes of a text are, one bit a byte (bit `j` for byte `base + j`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Classes {
    /// Bytes of characters that are no word characters.
    nonword: u64,
    /// Bytes that continue a character (UTF-8's `10xxxxxx`).
    continuation: u64,
    /// Bytes inside the text (the last chunk is short).
    valid: u64,
}

impl Classes {
    /// The classes of `hay[base..base + 64]`: sixteen bytes at a time ([`Lanes`]; ASCII
    /// letters and digits are word characters, and so is every byte of a Latin letter with
    /// diacritics, and no byte of a common character that is no word character: a curly
    /// quote, a dash, a no-break space, an emoji), unless the chunk has another character
    /// outside ASCII (a combining mark, CJK): then a character at a time.
    #[inline]
    fn of(hay: &str, base: usize, chunk: &Chunk, valid: u64) -> Classes {
        let bytes = hay.as_bytes();
        let quarters: [Lanes; 4] = std::array::from_fn(|k| {
            Lanes::load(chunk[16 * k..][..16].try_into().expect("sixteen bytes"))
        });
        // One bit a byte for all 64, from the quarters' sixteen each.
        let mask = |f: &dyn Fn(Lanes) -> Lanes| {
            (0..4).fold(0, |m, k| {
                m | u64::from(f(quarters[k]).high_bits()) << (16 * k)
            })
        };
        let mut word = mask(&|x| {
            x.or(Lanes::splat(0x20))
                .in_range(b'a', b'z')
                .or(x.in_range(b'0', b'9'))
        });
        let high = mask(&|x| x);
        // A chunk of ASCII (a third of them, in a corpus of Vietnamese and English) has no
        // character to check.
        if high == 0 {
            return Classes {
                nonword: !word & valid,
                continuation: 0,
                valid,
            };
        }
        word |= high;
        // UTF-8: `10xxxxxx` continues a character, `11xxxxxx` leads one.
        let mut leads = mask(&|x| x.at_least(0xC0));
        let continuation = high & !leads;
        // A character that starts before the chunk is checked like the others.
        if continuation & 1 != 0 {
            let lead = (base.saturating_sub(3)..base)
                .rev()
                .find(|&i| hay.is_char_boundary(i));
            if !lead.is_some_and(|at| latin_letter_at(bytes, at)) {
                return Classes::one_by_one(hay, base, valid);
            }
        }
        while leads != 0 {
            let j = leads.trailing_zeros() as usize & 63;
            leads &= leads - 1;
            if latin_letter_of(chunk[j], chunk[j + 1]) {
                continue;
            }
            // The common characters that are no word characters (a no-break space, a
            // dash, an emoji) have their bytes taken out of the words here; only others
            // send the chunk a character at a time.
            match nonword_len(chunk[j], chunk[j + 1], chunk[j + 2]) {
                0 => return Classes::one_by_one(hay, base, valid),
                // Bytes past the chunk's last fall off the mask.
                n => word &= !(((1 << n) - 1) << j),
            }
        }
        Classes {
            nonword: !word & valid,
            continuation: continuation & valid,
            valid,
        }
    }

    /// Where the word that starts at `i` (in this chunk, at `base`) ends.
    #[inline]
    fn word_end(&self, hay: &str, base: usize, i: usize) -> usize {
        // Bit `j`: byte `i + 1 + j` is no word character's, or past the text.
        let after = ((self.nonword | !self.valid) >> (i - base)) >> 1;
        if after != 0 {
            return i + 1 + after.trailing_zeros() as usize;
        }
        // The word goes on past the chunk (perhaps in the middle of a letter).
        let bytes = hay.as_bytes();
        let mut end = base + 64;
        while bytes.get(end).is_some_and(|&b| is_continuation(b)) {
            end += 1;
        }
        loop {
            match word_char_at(hay, end) {
                (true, len) => end += len,
                _ => return end,
            }
        }
    }

    /// [`Classes::of`] a character at a time: the reference, and the way for chunks with
    /// characters the bit arithmetic does not know.
    fn one_by_one(hay: &str, base: usize, valid: u64) -> Classes {
        let bytes = hay.as_bytes();
        let end = (base + 64).min(bytes.len());
        // The character the chunk starts in.
        let mut at = base;
        while at > 0 && !hay.is_char_boundary(at) {
            at -= 1;
        }
        let (mut nonword, mut continuation) = (0u64, 0u64);
        while at < end {
            let (word, len) = word_char_at(hay, at);
            for q in (at..at + len).filter(|q| (base..end).contains(q)) {
                if !word {
                    nonword |= 1 << (q - base);
                }
                if q > at {
                    continuation |= 1 << (q - base);
                }
            }
            at += len;
        }
        Classes {
            nonword,
            continuation,
            valid,
        }
    }
}

/// Whether `b` continues a character in UTF-8 (`10xxxxxx`).
#[inline]
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Whether the character that `bytes[at]` leads is one of the Latin letters with diacritics
/// that [`Classes::of`] takes for word characters: U+00C0–U+00FF but × and ÷, U+0100–U+024F, and
/// U+1E00–U+1EFF (Vietnamese's letters among them).
#[inline]
fn latin_letter_at(bytes: &[u8], at: usize) -> bool {
    let next = bytes.get(at + 1).copied().unwrap_or(0);
    match bytes[at] {
        0xC4..=0xC8 => true,
        0xC3 => !matches!(next, 0x97 | 0xB7),
        0xC9 => next <= 0x8F,
        0xE1 => matches!(next, 0xB8..=0xBB),
        _ => false,
    }
}

/// [`latin_letter_at`] for a character's first two bytes `lead` (`11xxxxxx`) and `next`
/// (`10xxxxxx`), in a table: one bit for each pair, a row of 64 for each lead.
#[inline]
fn latin_letter_of(lead: u8, next: u8) -> bool {
    LATIN_LEADS[usize::from(lead & 63)] >> (next & 63) & 1 != 0
}

/// The length of the character that `lead` (`11xxxxxx`), `next` and `third` start, if it is
/// one of the common characters outside ASCII that are no word characters; else 0 (it may
/// be one). Those are: U+0080–U+00BF but the letters and numbers among them (`ª`, `²`, `µ`,
/// `½`…), the no-break space and the soft hyphen among them; U+2000–U+203F (spaces, dashes,
/// quotes, the zero-width space); and the emoji of U+1F1C0–U+1F1FF (regional indicators),
/// U+1F300–U+1F7FF and U+1F900–U+1FAFF.
#[inline]
fn nonword_len(lead: u8, next: u8, third: u8) -> usize {
    // U+0080–U+00BF that are letters or numbers: ª ² ³ µ ¹ º ¼ ½ ¾.
    const C2_WORD: u64 = {
        let (mut m, mut k) = (0u64, 0);
        let word = [0xAA, 0xB2, 0xB3, 0xB5, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE];
        while k < word.len() {
            m |= 1 << (word[k] & 63);
            k += 1;
        }
        m
    };
    match (lead, next) {
        (0xC2, _) if C2_WORD >> (next & 63) & 1 == 0 => 2,
        (0xE2, 0x80) => 3,
        (0xF0, 0x9F) if matches!(third, 0x87 | 0x8C..=0x9F | 0xA4..=0xAB) => 4,
        _ => 0,
    }
}

/// The table of [`latin_letter_of`].
static LATIN_LEADS: [u64; 64] = {
    let mut rows = [0u64; 64];
    let mut lead = 0xC4;
    while lead <= 0xC8 {
        rows[lead & 63] = u64::MAX;
        lead += 1;
    }
    // × (C3 97) and ÷ (C3 B7) are no letters; U+0250 (C9 90) on are no Latin letters.
    rows[0xC3 & 63] = !(1 << (0x97 & 63) | 1 << (0xB7 & 63));
    rows[0xC9 & 63] = (1 << 16) - 1;
    // U+1E00–U+1EFF: E1 B8 to E1 BB.
    rows[0xE1 & 63] = 0xF << (0xB8 & 63);
    rows
};

/// Whether the character at `i` is a word character, and its length (0 at the end).
#[inline]
fn word_char_at(hay: &str, i: usize) -> (bool, usize) {
    match hay.as_bytes().get(i) {
        None => (false, 0),
        Some(&b) if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
        Some(_) => {
            let c = hay[i..].chars().next().unwrap_or_default();
            (is_latin_letter(c) || is_word_char(c), c.len_utf8())
        }
    }
}

/// The ways a pattern can open, to rule out most word starts before walking the trie:
/// the first three bytes of every pattern of three bytes or more and the patterns of two
/// bytes, in a Bloom filter (one hash, 64 Ki slots), and the patterns of one byte, exactly.
/// It may let through a start that opens no pattern, which only costs a walk; it never
/// rules out one that does.
///
/// A pattern of two bytes is in the slots of its bytes followed by every third byte, so
/// that a start with three bytes or more is one look-up (its first three bytes read at
/// once) and not two. That takes 256 slots a pattern, which is little for the handful of
/// such patterns a lexicon has (`eu`, `un`, `tv`).
///
/// A slot holds two bits, for the two kinds of patterns ([`Openings::ONE_WORD`] and
/// [`Openings::SEVERAL`]), so that one look-up tells both: 16 KiB, small enough to stay in
/// the nearest cache with the trie's first states and [`Heads`]. (The patterns of two bytes
/// had a table of their own, by their bytes, as large again.)
#[derive(Clone, Debug)]
struct Openings {
    slots: Box<[u64; 2048]>,
    one: [u8; 256],
    /// Whether there is a pattern of one byte (none in the embedded lexicon): if not, `one`
    /// is not read.
    any_one: bool,
}

impl Default for Openings {
    fn default() -> Openings {
        Openings {
            slots: Box::new([0; 2048]),
            one: [0; 256],
            any_one: false,
        }
    }
}

impl Openings {
    /// Patterns of one word: word characters only.
    const ONE_WORD: u64 = 1;
    /// Patterns with a character that is no word character.
    const SEVERAL: u64 = 2;

    /// The filter's slot for three bytes: their number, multiplied to mix them, top 16 bits.
    /// A pattern of two bytes takes the slot of its bytes and 0xFF, a byte that UTF-8 text
    /// never has.
    #[inline]
    fn slot(a: u8, b: u8, c: u8) -> usize {
        Self::slot_of(u32::from(a) | u32::from(b) << 8 | u32::from(c) << 16)
    }

    /// The slot for three bytes as a number, the first in the low bits.
    #[inline]
    fn slot_of(n: u32) -> usize {
        (n.wrapping_mul(0x9E37_79B1) >> 16) as usize
    }

    /// The kinds in slot `s`.
    #[inline]
    fn get(&self, s: usize) -> u64 {
        self.slots[s / 32] >> (2 * (s % 32)) & 3
    }

    /// Adds pattern `p`, of `kind`.
    fn insert(&mut self, p: &[u8], kind: u64) {
        let mut set = |s: usize| self.slots[s / 32] |= kind << (2 * (s % 32));
        match *p {
            [] => {}
            [a] => {
                self.one[usize::from(a)] |= kind as u8;
                self.any_one = true;
            }
            // Its bytes followed by any byte, or by none (0xFF) at the text's end.
            [a, b] => (0..=0xFF).for_each(|c| set(Self::slot(a, b, c))),
            [a, b, c, ..] => set(Self::slot(a, b, c)),
        }
    }

    /// The kinds of patterns that may start with the three bytes `three` (the first in the
    /// low bits; zeros past the text's end, which the patterns of two bytes allow for).
    /// `ONE`: whether to read the patterns of one byte (none in most lexicons).
    #[inline]
    fn kinds<const ONE: bool>(&self, three: u32) -> u64 {
        let open = self.get(Self::slot_of(three));
        if ONE {
            open | u64::from(self.one[three as usize & 0xFF])
        } else {
            open
        }
    }

    /// Of the word starts `starts` of `chunk` (a mask), those that may open a pattern (a
    /// mask); the kinds each may open go to `kinds`, by its place in the chunk.
    #[inline]
    fn of_starts<const ONE: bool>(
        &self,
        chunk: &Chunk,
        mut starts: u64,
        kinds: &mut [u8; 64],
    ) -> u64 {
        let mut open = 0;
        while starts != 0 {
            let j = starts.trailing_zeros() as usize & 63;
            starts &= starts - 1;
            let three = u32::from_le_bytes(chunk[j..j + 4].try_into().expect("four bytes"));
            let k = self.kinds::<ONE>(three & 0xFF_FFFF);
            kinds[j] = k as u8;
            // 1 for any kind (1 to 3), 0 for none.
            open |= ((k + 3) >> 2) << j;
        }
        open
    }

    /// The kinds of patterns that may start at `i` (none: 0).
    #[cfg(test)]
    fn may_open(&self, bytes: &[u8], i: usize) -> u64 {
        let one = |a: u8| u64::from(self.one[usize::from(a)]);
        // All but the last three starts of a text read four bytes at once.
        let (a, slot) = match bytes.get(i..i + 4) {
            Some(four) => {
                let n = u32::from_le_bytes(four.try_into().expect("four bytes"));
                (n as u8, Self::slot_of(n & 0xFF_FFFF))
            }
            None => match bytes[i..] {
                [a, b, c] => (a, Self::slot(a, b, c)),
                [a, b] => (a, Self::slot(a, b, 0xFF)),
                [a] => return one(a),
                _ => return 0,
            },
        };
        self.get(slot) | one(a)
    }
}

/// The patterns in a trie, for walks anchored at a word start: a walk follows the text from
/// the root until no pattern goes on, and reports each pattern it passes the end of.
///
/// An anchored walk needs no more: an Aho-Corasick automaton (which this search used
/// before) also keeps failure links and, at each state, the patterns that end there but
/// start later, which a walk from a word start must skip. Here a state has at most one
/// pattern, its own. The root's transitions are a table of all 256 bytes; every other
/// state's are its bytes, sorted, and the states they lead to, found by a short scan (most
/// states have one or two). States are numbered in the order of their patterns, so that a
/// walk along a common prefix (`hội nghị …`) reads memory mostly forward.
///
/// The first three bytes of a walk are its dearest: the states after one and two bytes are
/// the ones with many transitions (eight on average, by the bytes of a text's words, after
/// one byte), scanned one by one. So a walk looks its first three bytes up at once in a
/// small exact table ([`Thirds`]) of the states three bytes from the root, and goes on from
/// there.
#[derive(Clone, Debug)]
struct Trie {
    /// The state after the root by each byte, or [`Trie::NONE`].
    root: Box<[u32; 256]>,
    /// The states three bytes from the root, by those bytes.
    thirds: Thirds,
    states: Vec<State>,
    /// The byte of each state's first transition (as in [`State::byte`]), and eight zeros:
    /// a run of states of one transition each reads its bytes here eight at a time.
    bytes: Vec<u8>,
    /// The transitions, each state's together and in increasing order of their bytes.
    edges: Vec<Edge>,
}

/// A state of a [`Trie`]: one read gives all a walk needs of it.
#[derive(Clone, Copy, Debug)]
struct State {
    /// Where its transitions start in [`Trie::edges`].
    first: u32,
    /// How many transitions it has (at most 256).
    len: u16,
    /// The byte of its first transition, which leads to the next state.
    byte: u8,
    /// How many states from this one on, at most eight, have one transition each and, but
    /// for this one, no pattern: the bytes a walk may compare at once, to go that many
    /// states on (0 for a state with no transition or several). Two thirds of the states a
    /// walk passes have one transition, and a walk through them read one state a byte.
    run: u8,
    /// The pattern that ends here, or [`Trie::NONE`].
    pattern: u32,
}

#[derive(Clone, Copy, Debug)]
struct Edge {
    byte: u8,
    to: u32,
}

impl Trie {
    const NONE: u32 = u32::MAX;

    /// The trie of `patterns`, which are distinct.
    fn new(patterns: &[String]) -> Trie {
        let mut order: Vec<usize> = (0..patterns.len()).collect();
        order.sort_unstable_by(|&a, &b| patterns[a].as_bytes().cmp(patterns[b].as_bytes()));
        // In sorted order, a pattern shares with the one before it the states of their
        // common prefix, and adds one state for each byte after it. The edges come out in
        // the order their states are made; those of one state in increasing order of their
        // bytes.
        let mut pattern = vec![Self::NONE];
        let mut edges: Vec<(u32, u8, u32)> = Vec::new();
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u8] = &[];
        for &p in &order {
            let bytes = patterns[p].as_bytes();
            let common = bytes
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(common + 1);
            for &b in &bytes[common..] {
                let state = u32::try_from(pattern.len()).expect("fewer than 2^32 states");
                edges.push((*path.last().expect("the root"), b, state));
                pattern.push(Self::NONE);
                path.push(state);
            }
            let end = *path.last().expect("the root") as usize;
            debug_assert!(pattern[end] == Self::NONE || bytes.is_empty(), "distinct");
            if !bytes.is_empty() {
                pattern[end] = u32::try_from(p).expect("fewer than 2^32 patterns");
            }
            previous = bytes;
        }
        // Each state's edges together, by a counting sort on the state they leave, which
        // keeps their bytes in order.
        let mut states: Vec<State> = pattern
            .iter()
            .map(|&pattern| State {
                first: 0,
                len: 0,
                byte: 0,
                run: 0,
                pattern,
            })
            .collect();
        for &(from, ..) in &edges {
            states[from as usize].len += 1;
        }
        let mut at = 0;
        for s in &mut states {
            s.first = at;
            at += u32::from(s.len);
        }
        let mut sorted = vec![Edge { byte: 0, to: 0 }; edges.len()];
        let mut fill: Vec<u32> = states.iter().map(|s| s.first).collect();
        for &(from, byte, to) in &edges {
            let at = &mut fill[from as usize];
            sorted[*at as usize] = Edge { byte, to };
            *at += 1;
        }
        for (i, s) in states.iter_mut().enumerate() {
            if s.len > 0 {
                let e = sorted[s.first as usize];
                // The sorted build makes a state's first transition, by its smallest byte,
                // lead to the state made right after it.
                debug_assert_eq!(e.to as usize, i + 1);
                s.byte = e.byte;
            }
        }
        for i in (0..states.len()).rev() {
            if states[i].len == 1 {
                let next = states[i + 1];
                states[i].run = if next.len == 1 && next.pattern == Self::NONE {
                    (next.run + 1).min(8)
                } else {
                    1
                };
            }
        }
        let bytes = states.iter().map(|s| s.byte).chain([0; 8]).collect();
        let mut root = Box::new([Self::NONE; 256]);
        let r = states[0];
        for e in &sorted[r.first as usize..r.first as usize + usize::from(r.len)] {
            root[usize::from(e.byte)] = e.to;
        }
        let mut trie = Trie {
            root,
            states,
            bytes,
            edges: sorted,
            thirds: Thirds::default(),
        };
        trie.thirds = Thirds::of(&trie);
        trie
    }

    /// The transitions of `state`: where a pattern goes on by which byte.
    #[inline]
    fn edges(&self, state: State) -> &[Edge] {
        let first = state.first as usize;
        &self.edges[first..first + usize::from(state.len)]
    }

    /// Walks from byte `i` of `hay` while a pattern goes on, calling `found(i, end,
    /// pattern)` for each pattern that is `hay[i..end]`, in order of `end`.
    #[inline]
    fn walk(&self, hay: &[u8], i: usize, found: &mut impl FnMut(usize, usize, usize)) {
        // From the state three bytes on, if the table has it; else (a pattern ends before
        // it, no pattern goes on so far, or the text ends) from the root.
        let (mut to, mut end) = match hay.get(i..i + 3) {
            Some(&[a, b, c]) => match self.thirds.get(a, b, c) {
                Some(to) => (to, i + 3),
                None => (self.root[usize::from(a)], i + 1),
            },
            _ => match hay.get(i) {
                Some(&a) => (self.root[usize::from(a)], i + 1),
                None => return,
            },
        };
        while to != Self::NONE {
            let state = self.states[to as usize];
            if state.pattern != Self::NONE {
                found(i, end, state.pattern as usize);
            }
            if state.run > 0 {
                // No pattern ends inside the run: the walk goes on past all of its bytes
                // that the text has, or ends.
                let n = usize::from(state.run).min(hay.len() - end);
                let at = to as usize;
                let want = u64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("eight"));
                // `n` is 1 to 8 where the mask is made: its low `n` bytes.
                if n == 0 || (load8(hay, end) ^ want) & (u64::MAX >> (64 - 8 * n)) != 0 {
                    return;
                }
                to += n as u32;
                end += n;
                continue;
            }
            let Some(&b) = hay.get(end) else {
                return;
            };
            let edges = self.edges(state);
            let edge = if edges.len() <= 16 {
                edges.iter().find(|e| e.byte == b)
            } else {
                edges
                    .binary_search_by_key(&b, |e| e.byte)
                    .ok()
                    .map(|k| &edges[k])
            };
            to = edge.map_or(Self::NONE, |e| e.to);
            end += 1;
        }
    }
}

/// The states of a [`Trie`] three bytes from its root that no pattern ends on the way to, by
/// those three bytes: an exact hash table (open addressing, linear probing), at most a
/// half full. The embedded lexicon has about 300 such states: 8 KiB.
#[derive(Clone, Debug, Default)]
struct Thirds {
    /// The entries, a power of two of them (none for a trie with no such state).
    slots: Box<[Third]>,
    /// How far [`Thirds::slot`] shifts the hash to the right: 32 less the log of the size.
    shift: u32,
}

/// An entry of [`Thirds`]: `key` is [`Thirds::key`] of the bytes, 0 for an empty one.
#[derive(Clone, Copy, Debug, Default)]
struct Third {
    key: u32,
    to: u32,
}

impl Thirds {
    /// The table of `trie`'s states three bytes from its root.
    fn of(trie: &Trie) -> Thirds {
        let mut found = Vec::new();
        let without_pattern = |to: u32| trie.states[to as usize].pattern == Trie::NONE;
        for (a, &one) in trie.root.iter().enumerate() {
            if one == Trie::NONE || !without_pattern(one) {
                continue;
            }
            for e in trie.edges(trie.states[one as usize]) {
                if !without_pattern(e.to) {
                    continue;
                }
                for f in trie.edges(trie.states[e.to as usize]) {
                    found.push((Self::key(a as u8, e.byte, f.byte), f.to));
                }
            }
        }
        if found.is_empty() {
            return Thirds::default();
        }
        let size = (2 * found.len()).next_power_of_two();
        let mut thirds = Thirds {
            slots: vec![Third::default(); size].into_boxed_slice(),
            shift: 32 - size.trailing_zeros(),
        };
        let mask = size - 1;
        for (key, to) in found {
            let mut s = thirds.slot(key);
            while thirds.slots[s & mask].key != 0 {
                s += 1;
            }
            thirds.slots[s & mask] = Third { key, to };
        }
        thirds
    }

    /// Three bytes as a key, the first in the low bits, and a bit above them so that no key
    /// is 0.
    #[inline]
    fn key(a: u8, b: u8, c: u8) -> u32 {
        u32::from(a) | u32::from(b) << 8 | u32::from(c) << 16 | 1 << 24
    }

    /// Where the search for `key` starts: the top bits of its product with a large odd
    /// number.
    #[inline]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    /// The state after the bytes `a`, `b`, `c` from the root, if the table has it.
    #[inline]
    fn get(&self, a: u8, b: u8, c: u8) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let key = Self::key(a, b, c);
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            let t = self.slots[s & mask];
            if t.key == key {
                return Some(t.to);
            }
            if t.key == 0 {
                return None;
            }
            s += 1;
        }
    }
}

/// A Bloom filter (one hash) of the heads of the patterns of several words: each one's
/// first word and the bytes after it up to a fixed number. 64 Ki bits, 8 KiB, small enough
/// to stay in the nearest cache. It may answer yes for a head that is none, which only costs
/// a walk; it never answers no for one that is.
#[derive(Clone, Debug)]
struct Heads {
    bits: Box<[u64; 1024]>,
}

impl Default for Heads {
    fn default() -> Heads {
        Heads {
            bits: Box::new([0; 1024]),
        }
    }
}

impl Heads {
    /// The filter's bit for `bytes[start..end]`: a head is hashed once, whole, so eight bytes
    /// at a time (most take one step), each step a multiplication, the top 16 bits of the
    /// last.
    #[inline]
    fn bit(bytes: &[u8], start: usize, end: usize) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut h = (end - start) as u64;
        // Most heads are one step, and most have eight bytes of text from their start.
        if let (1..=8, Some(&eight)) = (end - start, bytes[start..].first_chunk::<8>()) {
            let x = u64::from_le_bytes(eight);
            return ((h ^ x & u64::MAX >> (64 - 8 * h)).wrapping_mul(K) >> 48) as usize;
        }
        let mut at = start;
        loop {
            h = (h ^ eight_bytes(bytes, at, end)).wrapping_mul(K);
            at += 8;
            if at >= end {
                return (h >> 48) as usize;
            }
            h ^= h >> 32;
        }
    }

    fn insert(&mut self, head: &[u8]) {
        let b = Self::bit(head, 0, head.len());
        self.bits[b / 64] |= 1 << (b % 64);
    }

    /// Whether `bytes[start..end]` may be one of the heads.
    #[inline]
    fn may_contain(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        let b = Self::bit(bytes, start, end);
        self.bits[b / 64] & (1 << (b % 64)) != 0
    }
}

/// The bytes from `at` that come before `end` (at most eight; `at < end <= bytes.len()`) as a
/// number, the first in the low bits, zero where there are fewer than eight.
#[inline]
fn eight_bytes(bytes: &[u8], at: usize, end: usize) -> u64 {
    load8(bytes, at) & low_bytes(end - at)
}

/// The eight bytes from `at` (`at <= bytes.len()`) as a number, the first in the low bits,
/// zero past the end.
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    // One comparison of the rest's length, where `get(at..at + 8)` also checks `at + 8`
    // for overflow.
    let rest = &bytes[at..];
    match rest.first_chunk::<8>() {
        Some(&eight) => u64::from_le_bytes(eight),
        None => {
            let mut eight = [0u8; 8];
            eight[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(eight)
        }
    }
}

/// The bits of the first `n` bytes of a number read by [`load8`] (all of them from eight on).
#[inline]
fn low_bytes(n: usize) -> u64 {
    match n {
        0..8 => (1 << (8 * n)) - 1,
        _ => u64::MAX,
    }
}

/// Latin letters with diacritics, Vietnamese among them: word characters, known without the
/// Unicode tables (whose lookup is slow for the Vietnamese block).
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && !matches!(c, '×' | '÷')
}

#[cfg(test)]
mod reference {
    //! The search as it was before the patterns were split into those of one word and the
    //! others: every word that may open a pattern was hashed prefix by prefix (FNV-1a, a
    //! byte at a time) and walked if one of its prefixes may be a pattern's first word. And
    //! the plainest search of all: the trie walked from every word start.
    use super::{Classes, Openings, Search, Trie, is_continuation, is_word_char};

    pub struct Before {
        trie: Trie,
        openings: Openings,
        first_words: FirstWords,
    }

    impl Before {
        pub fn new(patterns: &[String]) -> Before {
            let trie = Trie::new(patterns);
            let mut openings = Openings::default();
            let mut first_words = FirstWords::default();
            for p in patterns {
                openings.insert(p.as_bytes(), Openings::ONE_WORD);
                let word = p
                    .find(|c| !is_word_char(c))
                    .map_or(p.as_str(), |end| &p[..end]);
                if !word.is_empty() {
                    first_words.insert(word);
                }
            }
            Before {
                trie,
                openings,
                first_words,
            }
        }

        /// [`Search::each_match`] before.
        pub fn each_match(&self, hay: &str, mut found: impl FnMut(usize, usize, usize)) {
            let bytes = hay.as_bytes();
            let mut after_nonword = 1;
            for base in (0..bytes.len()).step_by(64) {
                let (chunk, valid) = super::chunk_at(bytes, base);
                let c = Classes::of(hay, base, &chunk, valid);
                let mut starts = (c.nonword << 1 | after_nonword) & !c.continuation & c.valid;
                after_nonword = c.nonword >> 63;
                while starts != 0 {
                    let i = base + starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    if self.openings.may_open(bytes, i) == 0 {
                        continue;
                    }
                    if c.nonword >> (i - base) & 1 == 1 {
                        self.trie.walk(bytes, i, &mut found);
                        continue;
                    }
                    let end = c.word_end(hay, base, i);
                    let mut hash = FirstWords::SEED;
                    let mut may = false;
                    for k in i..end {
                        hash = FirstWords::hash(hash, &bytes[k..=k]);
                        let boundary = bytes.get(k + 1).is_none_or(|&b| !is_continuation(b));
                        may |= boundary && self.first_words.may_contain(hash);
                    }
                    if may {
                        self.trie.walk(bytes, i, &mut found);
                    }
                }
            }
        }
    }

    /// The trie of `search` walked a byte at a time ([`walk`]) from every word start, found
    /// a character at a time.
    pub fn walk_everywhere(search: &Search, hay: &str, mut found: impl FnMut(usize, usize, usize)) {
        let mut word_before = false;
        for (i, c) in hay.char_indices() {
            if !word_before {
                walk(&search.trie, hay.as_bytes(), i, &mut found);
            }
            word_before = is_word_char(c);
        }
    }

    /// [`Trie::walk`] as it was before it compared a run of states' bytes at once: a byte
    /// at a time.
    pub fn walk(trie: &Trie, hay: &[u8], i: usize, found: &mut impl FnMut(usize, usize, usize)) {
        let Some(&b) = hay.get(i) else {
            return;
        };
        let mut to = trie.root[usize::from(b)];
        let mut end = i + 1;
        while to != Trie::NONE {
            let state = trie.states[to as usize];
            if state.pattern != Trie::NONE {
                found(i, end, state.pattern as usize);
            }
            let Some(&b) = hay.get(end) else {
                return;
            };
            if state.len == 1 {
                to = if b == state.byte { to + 1 } else { Trie::NONE };
                end += 1;
                continue;
            }
            let edges = trie.edges(state);
            let edge = if edges.len() <= 16 {
                edges.iter().find(|e| e.byte == b)
            } else {
                edges
                    .binary_search_by_key(&b, |e| e.byte)
                    .ok()
                    .map(|k| &edges[k])
            };
            to = edge.map_or(Trie::NONE, |e| e.to);
            end += 1;
        }
    }

    /// A Bloom filter of the patterns' first words, by FNV-1a.
    struct FirstWords {
        bits: Box<[u64; 1024]>,
    }

    impl Default for FirstWords {
        fn default() -> FirstWords {
            FirstWords {
                bits: Box::new([0; 1024]),
            }
        }
    }

    impl FirstWords {
        const SEED: u32 = 0x811C_9DC5;

        fn hash(mut h: u32, bytes: &[u8]) -> u32 {
            for &b in bytes {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
            h
        }

        fn bit(h: u32) -> usize {
            (h.wrapping_mul(0x9E37_79B1) >> 16) as usize
        }

        fn insert(&mut self, word: &str) {
            let b = Self::bit(Self::hash(Self::SEED, word.as_bytes()));
            self.bits[b / 64] |= 1 << (b % 64);
        }

        fn may_contain(&self, h: u32) -> bool {
            let b = Self::bit(h);
            self.bits[b / 64] & (1 << (b % 64)) != 0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_bit_arithmetic_classes_bytes_as_a_character_at_a_time_does(
            picks in proptest::collection::vec(0..PIECES.len(), 0..80),
        ) {
            let hay = joined(&picks);
            for base in (0..hay.len()).step_by(64) {
                let (chunk, valid) = chunk_at(hay.as_bytes(), base);
                let fast = Classes::of(&hay, base, &chunk, valid);
                let slow = Classes::one_by_one(&hay, base, fast.valid);
                proptest::prop_assert_eq!(fast, slow, "{:?} from {}", hay, base);
            }
        }

        /// Chunks of ASCII only, which have a way of their own.
        #[test]
        fn the_bit_arithmetic_classes_ascii_as_a_character_at_a_time_does(
            picks in proptest::collection::vec(
                proptest::sample::select(
                    (0..PIECES.len()).filter(|&i| PIECES[i].is_ascii()).collect::<Vec<_>>(),
                ),
                0..80,
            ),
            bytes in proptest::collection::vec(0..128u8, 0..80),
        ) {
            let hay = joined(&picks) + &String::from_utf8(bytes).expect("ASCII");
            for base in (0..hay.len()).step_by(64) {
                let (chunk, valid) = chunk_at(hay.as_bytes(), base);
                let fast = Classes::of(&hay, base, &chunk, valid);
                let slow = Classes::one_by_one(&hay, base, fast.valid);
                proptest::prop_assert_eq!(fast, slow, "{:?} from {}", hay, base);
            }
        }
    }

    #[test]
    fn the_letters_taken_for_word_characters_by_their_first_bytes_are() {
        for c in ('\u{80}'..='\u{FFFF}').filter(|c| c.len_utf8() > 1) {
            let s = c.to_string();
            if latin_letter_at(s.as_bytes(), 0) {
                assert!(word_char_at(&s, 0).0, "{c:?}");
            }
        }
        // And the fast path is taken for all of Vietnamese.
        for c in "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ".chars()
        {
            for c in [c, c.to_uppercase().next().unwrap()] {
                assert!(latin_letter_at(c.to_string().as_bytes(), 0), "{c:?}");
            }
        }
    }

    #[test]
    fn the_characters_taken_for_no_word_characters_by_their_first_bytes_are() {
        let mut taken = 0;
        for c in ('\u{80}'..=char::MAX).filter(|c| c.len_utf8() > 1) {
            let mut b = [0u8; 4];
            c.encode_utf8(&mut b);
            let n = nonword_len(b[0], b[1], b[2]);
            if n != 0 {
                assert!(!is_word_char(c), "{c:?}");
                assert_eq!(n, c.len_utf8(), "{c:?}");
                taken += 1;
            }
        }
        // Some 2,000 characters: U+2000–U+203F and the emoji's blocks, whole.
        assert!(taken > 1_900, "{taken}");
        for c in ['\u{a0}', '\u{ad}', '–', '“', '\u{200b}', '😀', '🤝', '🇻'] {
            let s = c.to_string() + " ";
            let b = s.as_bytes();
            assert_ne!(nonword_len(b[0], b[1], b[2]), 0, "{c:?}");
        }
        for c in ['ª', '²', 'µ', '½', '⁰', '日', '×', '\u{301}'] {
            let s = c.to_string() + "  ";
            let b = s.as_bytes();
            assert_eq!(nonword_len(b[0], b[1], b[2]), 0, "{c:?}");
        }
    }

    #[test]
    fn the_table_of_latin_letters_by_two_bytes_agrees_with_the_match() {
        for lead in 0xC0..=0xFF {
            for next in 0x80..=0xBF {
                assert_eq!(
                    latin_letter_of(lead, next),
                    latin_letter_at(&[lead, next], 0),
                    "{lead:X} {next:X}"
                );
            }
        }
    }

    #[test]
    fn latin_letters_are_word_characters() {
        for c in ('\u{00C0}'..='\u{024F}').chain('\u{1E00}'..='\u{1EFF}') {
            assert_eq!(is_latin_letter(c), is_word_char(c), "{c:?}");
        }
    }

    /// What an unanchored overlapping search finds at word starts: the reference.
    fn reference(patterns: &[String], hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let mut out: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(hay)
            .filter(|m| hay.is_char_boundary(m.start()))
            .filter(|m| {
                hay[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c))
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        out.sort();
        out
    }

    fn search(s: &Search, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        s.each_match(hay, |a, b, p| out.push((a, b, p)));
        assert!(out.is_sorted_by_key(|&(a, b, _)| (a, b)), "in order");
        out.sort();
        out
    }

    /// Few letters, so that words share prefixes and patterns end inside words; spaces,
    /// punctuation, digits and Vietnamese letters around them.
    const PIECES: [&str; 29] = [
        "a",
        "b",
        "ab",
        "s",
        "1",
        "7",
        " ",
        "-",
        "(",
        ".",
        "ộ",
        "đ",
        "hội",
        "nghị",
        "e\u{301}",
        "日",
        "ASEAN2026",
        "Ơ",
        "abcdefghij",
        "×",
        "“",
        "ɐ",
        "\u{a0}",
        "Z@[`{/:9",
        "–",
        "🇻",
        "ª",
        "\u{ad}",
        "🤝",
    ];

    fn joined(picks: &[usize]) -> String {
        picks.iter().map(|&i| PIECES[i]).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn random_patterns_and_texts_find_what_the_overlapping_search_finds(
            patterns in proptest::collection::vec(
                proptest::collection::vec(0..PIECES.len(), 1..=5), 1..=13),
            hays in proptest::collection::vec(
                proptest::collection::vec(0..PIECES.len(), 1..=31), 20),
        ) {
            let mut patterns: Vec<String> = patterns.iter().map(|p| joined(p)).collect();
            patterns.sort();
            patterns.dedup();
            let s = Search::new(&patterns);
            for hay in hays.iter().map(|h| joined(h)) {
                let want = reference(&patterns, &hay);
                proptest::prop_assert_eq!(search(&s, &hay), want, "{:?} in {:?}", patterns, hay);
            }
        }
    }

    /// Pieces of patterns and texts: short words that open many longer ones (`a`, `to`,
    /// `hà`), their longer words, letters with diacritics precomposed and not, characters
    /// that are no word characters (ASCII, a curly quote, CJK, an emoji), digits.
    const WORDS: [&str; 22] = [
        "a", "an", "another", "i", "in", "india", "to", "today", "hà", "hát", "ph", "phát",
        "e\u{301}", "\u{301}", "ấn", "日", "😀", "cop", "26", "s", "ɐ", "ⅻ",
    ];
    const GAPS: [&str; 7] = [" ", "-", ". ", "(", "“", "", "\u{a0}"];

    /// Words, and what comes between them (nothing, sometimes).
    fn phrase(parts: &[(usize, usize)]) -> String {
        let mut out = String::new();
        for (k, &(w, g)) in parts.iter().enumerate() {
            if k > 0 {
                out.push_str(GAPS[g]);
            }
            out.push_str(WORDS[w]);
        }
        out
    }

    fn walked_everywhere(s: &Search, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        reference::walk_everywhere(s, hay, |a, b, p| out.push((a, b, p)));
        out.sort();
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn the_filters_let_through_every_word_start_a_pattern_matches_at(
            patterns in proptest::collection::vec(
                (
                    proptest::collection::vec((0..WORDS.len(), 0..GAPS.len()), 1..=3),
                    0..GAPS.len(),
                    proptest::bool::ANY,
                ),
                1..=12,
            ),
            hays in proptest::collection::vec(
                (proptest::collection::vec((0..WORDS.len(), 0..GAPS.len()), 1..=24), 0..GAPS.len()),
                10,
            ),
        ) {
            // Some patterns open or end with a character that is no word character.
            let mut patterns: Vec<String> = patterns
                .iter()
                .map(|(p, g, open)| {
                    let p = phrase(p);
                    if *open { format!("{}{p}", GAPS[*g]) } else { format!("{p}{}", GAPS[*g]) }
                })
                .collect();
            patterns.sort();
            patterns.dedup();
            let s = Search::new(&patterns);
            let before = reference::Before::new(&patterns);
            // Some texts end with a character that is no word character.
            for hay in hays.iter().map(|(h, g)| phrase(h) + GAPS[*g]) {
                let want = walked_everywhere(&s, &hay);
                proptest::prop_assert_eq!(search(&s, &hay), want.clone(), "{:?} in {:?}", patterns, hay);
                let mut old = Vec::new();
                before.each_match(&hay, |a, b, p| old.push((a, b, p)));
                old.sort();
                proptest::prop_assert_eq!(old, want, "{:?} in {:?}", patterns, hay);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn a_walk_through_runs_finds_what_a_walk_a_byte_at_a_time_finds(
            patterns in proptest::collection::vec(
                proptest::collection::vec(0..PIECES.len(), 1..=6), 1..=10),
            hay in proptest::collection::vec(0..PIECES.len(), 0..=30),
        ) {
            let patterns: Vec<String> = patterns.iter().map(|p| joined(p)).collect();
            let mut distinct = patterns.clone();
            distinct.sort();
            distinct.dedup();
            let trie = Trie::new(&distinct);
            // The patterns in the text too, so that walks go far.
            let hay = joined(&hay) + &patterns.concat();
            for i in (0..=hay.len()).filter(|&i| hay.is_char_boundary(i)) {
                let (mut runs, mut bytewise) = (Vec::new(), Vec::new());
                trie.walk(hay.as_bytes(), i, &mut |a, b, p| runs.push((a, b, p)));
                reference::walk(&trie, hay.as_bytes(), i, &mut |a, b, p| bytewise.push((a, b, p)));
                proptest::prop_assert_eq!(runs, bytewise, "{:?} in {:?} from {}", distinct, hay, i);
            }
        }
    }

    #[test]
    fn the_table_of_thirds_has_each_state_three_bytes_on_unless_a_pattern_ends_before() {
        let patterns: Vec<String> = ["un", "united", "unix", "hội nghị", "hội", "hồ", "abc", "x"]
            .map(String::from)
            .to_vec();
        let trie = Trie::new(&patterns);
        let at = |s: &[u8]| {
            let mut to = 0;
            for &b in s {
                let state = trie.states[to as usize];
                to = trie
                    .edges(state)
                    .iter()
                    .find(|e| e.byte == b)
                    .expect("a state")
                    .to;
            }
            to
        };
        let third = |s: &str| {
            let b = s.as_bytes();
            trie.thirds.get(b[0], b[1], b[2])
        };
        // `hội` is five bytes: the state after its first three (`h`, `ộ`'s first two).
        assert_eq!(third("hội"), Some(at(&"hội".as_bytes()[..3])));
        assert_eq!(third("hồ"), Some(at(&"hồ".as_bytes()[..3])));
        assert_eq!(third("abc"), Some(at(b"abc")));
        // `un` ends before: a walk from `uni` goes from the root, and reports it.
        assert_eq!(third("uni"), None);
        assert_eq!(third("abd"), None);
        assert_eq!(third("xyz"), None);
        let walked = |hay: &str| {
            let mut out = Vec::new();
            trie.walk(hay.as_bytes(), 0, &mut |a, b, p| out.push((a, b, p)));
            out
        };
        assert_eq!(walked("united"), [(0, 2, 0), (0, 6, 1)]);
        assert_eq!(walked("hội nghị"), [(0, 5, 4), (0, 12, 3)]);
        assert_eq!(walked("abc"), [(0, 3, 6)]);
        assert_eq!(walked("ab"), []);
        assert_eq!(walked("x"), [(0, 1, 7)]);
        // A trie with no state three bytes on has an empty table.
        assert!(
            Trie::new(&["ab".to_string(), "c".to_string()])
                .thirds
                .slots
                .is_empty()
        );
    }

    #[test]
    fn a_first_word_lets_through_only_itself() {
        let patterns: Vec<String> = [
            "a-level",
            "to the",
            "hà nội",
            "cop",
            "日本",
            "-19",
            "ấn độ",
            "tp.",
        ]
        .map(String::from)
        .to_vec();
        let s = Search::new(&patterns);
        let hay = "another a-level, today to the hà nội hát cop26 日本 covid-19 (-19) ấn độ ấnx \
                   độ a tp. hcm, tp";
        assert_eq!(search(&s, hay), walked_everywhere(&s, hay));
        assert_eq!(search(&s, hay).len(), 8);
        assert_eq!(search(&s, "tp."), [(0, 3, 7)]);
        // The heads of patterns of several words are filtered whole, the first word and two
        // bytes after it (or one, for `tp.`); the patterns of one word by how they open.
        assert!(s.heads.may_contain(b"xa-le", 1, 4));
        assert!(s.heads.may_contain("hà nội".as_bytes(), 0, 5));
        assert!(!s.heads.may_contain("hà tĩnh".as_bytes(), 0, 5));
        assert!(!s.may_head("hà".as_bytes(), 0, 3));
        assert!(s.may_head("tp.".as_bytes(), 0, 2));
        assert!(!s.may_head("tp".as_bytes(), 0, 2));
        assert_eq!(s.openings.may_open(b"cop26", 0), Openings::ONE_WORD);
        for word in ["a-level", "to the", "hà nội", "ấn độ", "another", "today"] {
            assert_eq!(
                s.openings.may_open(word.as_bytes(), 0) & Openings::ONE_WORD,
                0,
                "{word}"
            );
        }
    }

    proptest::proptest! {
        /// Patterns of one to four bytes, some of them two (in the slots of every third
        /// byte), found anywhere in texts of the same bytes: at the end too, where fewer than
        /// four bytes are left to read.
        #[test]
        fn openings_let_through_every_start_of_a_pattern(
            patterns in proptest::collection::vec(
                (proptest::collection::vec(proptest::sample::select(b"ab-\xC3\x80".to_vec()), 1..=4),
                 proptest::bool::ANY),
                1..=6,
            ),
            hay in proptest::collection::vec(proptest::sample::select(b"ab-\xC3\x80".to_vec()), 0..=12),
        ) {
            let mut openings = Openings::default();
            for (p, one_word) in &patterns {
                let kind = if *one_word { Openings::ONE_WORD } else { Openings::SEVERAL };
                openings.insert(p, kind);
            }
            for i in 0..hay.len() {
                let open = openings.may_open(&hay, i);
                // As the search reads them: three bytes of the chunk's copy, zeros past the
                // text's end.
                let (chunk, _) = chunk_at(&hay, i);
                let three = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], 0]);
                let kinds = openings.kinds::<true>(three);
                let mut by_place = [0u8; 64];
                let passed = openings.of_starts::<true>(&chunk, 1, &mut by_place);
                proptest::prop_assert_eq!(passed, u64::from(kinds != 0));
                proptest::prop_assert_eq!(u64::from(by_place[0]), kinds);
                for (p, one_word) in &patterns {
                    let kind = if *one_word { Openings::ONE_WORD } else { Openings::SEVERAL };
                    if hay[i..].starts_with(p) {
                        proptest::prop_assert_eq!(open & kind, kind, "{:?} in {:?} at {}", p, hay, i);
                        proptest::prop_assert_eq!(kinds & kind, kind, "{:?} in {:?} at {}", p, hay, i);
                    }
                }
            }
            proptest::prop_assert_eq!(openings.may_open(&hay, hay.len()), 0);
        }
    }

    #[test]
    fn a_head_hashes_alike_with_and_without_eight_bytes_after_its_start() {
        let text = "nghiêncứukhoahọc và hội";
        for start in 0..text.len() {
            for end in start + 1..=text.len() {
                let alone = &text.as_bytes()[start..end];
                assert_eq!(
                    Heads::bit(text.as_bytes(), start, end),
                    Heads::bit(alone, 0, alone.len()),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn heads_are_hashed_whole_however_long() {
        let words = [
            "a",
            "hội",
            "abcdefgh",
            "abcdefghi",
            "nghiêncứukhoahọc",
            "x".repeat(40).leak(),
        ];
        let mut f = Heads::default();
        for w in words {
            f.insert(w.as_bytes());
        }
        for w in words {
            // The same word in a text, with more after it and at the text's end.
            let hay = format!(" {w} {w}");
            let start = 1 + w.len() + 1;
            assert!(f.may_contain(hay.as_bytes(), 1, 1 + w.len()), "{w}");
            assert!(f.may_contain(hay.as_bytes(), start, hay.len()), "{w}");
        }
        // A prefix or a longer word is a different word (no collision among these).
        assert!(!f.may_contain(b"abcdefg", 0, 7));
        assert!(!f.may_contain(b"abcdefghij", 0, 10));
        assert!(!f.may_contain(b"h", 0, 1));
    }

    #[test]
    fn finds_what_the_overlapping_search_finds_at_word_starts() {
        let patterns: Vec<String> = [
            "asean",
            "sean",
            "an",
            "a",
            "asean regional forum",
            "regional",
            "hội nghị",
            "nghị",
            "ị",
            "(ac)",
            "-19",
            "covid-19",
            "đ",
        ]
        .map(String::from)
        .to_vec();
        let hays = [
            "",
            "asean",
            "the asean regional forum met; aseanx an a.",
            "hội nghị hộinghị nghịị ị",
            "covid-19 and -19 (ac)(ac)",
            "đđ đ 😀asean e\u{301}asean",
        ];
        let s = Search::new(&patterns);
        for hay in hays {
            let want = reference(&patterns, hay);
            assert_eq!(search(&s, hay), want, "{hay:?}");
        }
    }

    #[test]
    fn a_large_pattern_set() {
        let patterns: Vec<String> = (0..20_000).map(|i| format!("pattern number {i}")).collect();
        let s = Search::new(&patterns);
        assert_eq!(
            search(&s, "a pattern number 17 z"),
            [(2, 18, 1), (2, 19, 17)]
        );
    }
}
