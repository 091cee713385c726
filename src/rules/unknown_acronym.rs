//! `unknown-acronym`: an acronym the lexicon does not know and the article does not define.

use crate::{Map, Set};
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::sync::Arc;

use super::prose::{
    Token, acronym_words_in, each_token_with_a_capital, edit_distance_at_most, is_all_caps_line,
    is_dateline, is_word_char, may_hold_acronyms,
};
use super::{
    Context, Edit, Fix, PerLexicon, Raw, RuleInfo, Shared, inside_mention, overlaps_mention,
};
use crate::analysis::Engine;
use crate::config::Level;
use crate::lexicon::Lexicon;
use crate::matcher::Definition;
use crate::normalize::{Fold, folds_alone, normalized_string};

pub const INFO: RuleInfo = RuleInfo {
    id: "unknown-acronym",
    default_level: Level::Warning,
    summary: "an acronym in no lexicon record that the article does not spell out",
    explanation: "\
Flags an acronym-like word (at least two capitals, no more small letters than capitals,
letters, digits, `-` and `&`: `AMIX`, `ASEANMIX`, `MERS-CoV`) that

- is no acronym, alias or name of a lexicon record,
- is not spelled out anywhere in the article (`Joint Working Group (JWG)`), and
- is not in `allow` in `.lexls.toml`.

A reader meets it with no explanation, and it may be a typo: the message suggests lexicon
acronyms within one edit (two for words of eight letters or more), such as `AMIC` or `AMIM`
for `AMIX`.

Not flagged:
- document numbers and time zones (`24-NQ/TW`, `77-KL/TW`, `GMT+7`);
- Roman numerals (`Đại hội XIII`, `khóa XI`);
- all-caps headlines and datelines (`HANOI — …`, `NDO - …`);
- an ordinary word in capitals, when the article or the lexicon also writes it in small
  letters (`TORONTO` next to `Toronto`, `HANOI` for the city Hanoi);
- units and currencies after a number (`500 MW`, `15 triệu USD`).

Only the first use of each acronym is reported, with the number of uses. The fixes replace
it with a suggestion; they are not applied by `lexls lint --fix`. To accept an acronym,
spell it out in the article, add it to the lexicon, or list it in `allow`.
",
};

/// The shortest word in capitals taken for an ordinary word when it is also written
/// capitalised.
const MIN_CAPITALISED_WORD: usize = 4;

/// Words that turn a number into an amount: `15 triệu USD`, `3 billion USD`.
const MAGNITUDES: [&str; 9] = [
    "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "thousand", "million", "billion", "trillion",
];

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    // One reading of the text gives both the tokens that may hold acronyms and the capitalised
    // words that tell an ordinary word in capitals (`TORONTO` next to `Toronto`).
    // Sized for news text, about one capitalised word in 35 bytes and one token with two
    // capitals in 170, so that they seldom grow.
    let mut holders: Vec<Token> = Vec::with_capacity(ctx.text.len() / 128);
    let mut capitalised: Vec<&str> = Vec::with_capacity(ctx.text.len() / 32);
    // Every word of a token inside a mention overlaps that mention, and so is known
    // ([`Known::is_acronym`]): its words need not be read, and the token is not kept. Most
    // tokens that may hold acronyms are mentions. Tokens come in text order, as mentions
    // are: the first mention that ends after a token is found by going on from the one
    // before, rather than searched for each token.
    let mentions = &ctx.analysis.mentions;
    let mut next_mention = 0;
    each_token_with_a_capital(ctx.text, |t, caps| {
        if caps.is_capitalised() {
            capitalised.push(t.text);
        } else if may_hold_acronyms(t.text, caps) {
            while mentions
                .get(next_mention)
                .is_some_and(|m| m.span.end <= t.span.start)
            {
                next_mention += 1;
            }
            let inside = mentions
                .get(next_mention)
                .is_some_and(|m| m.span.start <= t.span.start && t.span.end <= m.span.end);
            debug_assert_eq!(inside, inside_mention(ctx.analysis, &t.span));
            if !inside {
                holders.push(t);
            }
        }
    });
    let known = Known::new(ctx);
    // The words no acronym and no word of the lexicon account for, with their folded form
    // when they are long enough to be ordinary words in capitals. Whether the article writes
    // those words capitalised is then found for all of them in one reading of its capitalised
    // words.
    let candidates: Vec<(Token, Option<String>)> = holders
        .into_iter()
        .flat_map(acronym_words_in)
        .filter(|w| !known.is_acronym(ctx, w))
        .map(|w| {
            let folded = known.ordinary_word_form(w.text);
            (w, folded)
        })
        .filter(|(_, folded)| !folded.as_ref().is_some_and(|f| known.is_lexicon_word(f)))
        .collect();
    let wanted: Set<&str> = candidates
        .iter()
        .filter_map(|(_, folded)| folded.as_deref())
        .collect();
    let written = written_capitalised(&capitalised, &wanted);
    let mut first: Vec<Token> = Vec::new();
    let mut uses: Map<&str, usize> = Map::default();
    for (w, folded) in &candidates {
        if folded.as_deref().is_some_and(|f| written.contains(f)) || is_written_apart(ctx, w) {
            continue;
        }
        let n = uses.entry(w.text).or_insert(0);
        if *n == 0 {
            first.push(w.clone());
        }
        *n += 1;
    }
    first
        .into_iter()
        .map(|w| report(&known.lexicon, &w, uses[w.text]))
        .collect()
}

fn report(lexicon: &LexiconForms, w: &Token, uses: usize) -> Raw {
    let suggestions = near_misses(lexicon, w.text);
    let mut message = format!("`{}` is not a known acronym", w.text);
    if !suggestions.is_empty() {
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
        message.push_str(&format!("; did you mean {}?", quoted.join(" or ")));
    }
    if uses > 1 {
        message.push_str(&format!(" (used {uses} times)"));
    }
    Raw {
        span: w.span.clone(),
        message,
        fixes: suggestions
            .into_iter()
            .map(|s| Fix {
                title: format!("Replace with {s}"),
                edits: vec![Edit {
                    range: w.span.clone(),
                    replacement: s,
                }],
                safe: false,
            })
            .collect(),
        related: Vec::new(),
    }
}

/// What the article and the lexicon know, gathered once per document.
struct Known<'a> {
    /// The article's definitions.
    definitions: &'a [Definition],
    /// The acronyms they spell out: gathered when a word first needs them, as most
    /// acronym-like words are mentions and never do. They are asked about a few times per
    /// article, often fewer times than there are definitions: a hash set costs less to build
    /// than a sorted list, and its lookups stay cheap for a glossary.
    defined: OnceCell<Set<&'a str>>,
    /// What the lexicon knows.
    lexicon: Arc<LexiconForms>,
}

impl<'a> Known<'a> {
    fn new(ctx: &'a Context<'a>) -> Known<'a> {
        Known {
            definitions: &ctx.analysis.definitions,
            defined: OnceCell::new(),
            lexicon: lexicon_forms(ctx.engine),
        }
    }

    /// Whether the article spells out `acronym`.
    fn defines(&self, acronym: &str) -> bool {
        let defined = self.defined.get_or_init(|| {
            self.definitions
                .iter()
                .map(|d| d.short_text.as_str())
                .collect()
        });
        defined.contains(acronym)
    }

    /// Whether `w` is a known acronym: part of a mention, spelled out by the article, in the
    /// lexicon or allowed by the configuration, perhaps with a plural `s` or an edition
    /// number. The cheapest check first: most acronym-like words are mentions of the
    /// lexicon's records.
    fn is_acronym(&self, ctx: &Context, w: &Token) -> bool {
        overlaps_mention(ctx.analysis, &w.span)
            || forms(w.text).into_iter().flatten().any(|f| {
                self.defines(f) || self.lexicon.acronyms.contains(f) || ctx.config.allows(f)
            })
    }

    /// The folded form of a word in capitals that may be an ordinary word (`TORONTO` when the
    /// article or the lexicon writes `Toronto`). Short words stay acronyms (`WHO` is not
    /// `Who`).
    fn ordinary_word_form(&self, word: &str) -> Option<String> {
        (word.chars().count() >= MIN_CAPITALISED_WORD).then(|| fold_word(word))
    }

    /// Whether the lexicon has a one-word name or alias that folds to `folded`.
    fn is_lexicon_word(&self, folded: &str) -> bool {
        self.lexicon.words.contains(folded)
    }
}

/// Whether `w` stands where acronyms are not what they seem: in an all-caps headline, a
/// dateline, or after an amount (a unit or a currency).
fn is_written_apart(ctx: &Context, w: &Token) -> bool {
    is_all_caps_line(ctx.text, w.span.start)
        || is_dateline(ctx.text, &w.span)
        || follows_amount(ctx.text, w.span.start)
}

/// Which of `wanted` (folded words) the capitalised words of the article fold to. The first
/// byte of a word, then the length and first byte of its folded form, settle most cases before
/// it is looked up; a word of ASCII and Latin letters is folded into one reused buffer; the
/// others (decomposed letters, other scripts) go through the normaliser, each distinct word
/// once.
fn written_capitalised<'w>(capitalised: &[&str], wanted: &Set<&'w str>) -> Set<&'w str> {
    let mut found = Set::default();
    if wanted.is_empty() {
        return found;
    }
    let mut lengths = [false; 64];
    let mut long = false;
    let mut firsts = [false; 256];
    for w in wanted {
        match lengths.get_mut(w.len()) {
            Some(l) => *l = true,
            None => long = true,
        }
        if let Some(&b) = w.as_bytes().first() {
            firsts[usize::from(b)] = true;
        }
    }
    // Whether a wanted word starts with a character that is not ASCII.
    let non_ascii_first = firsts[0x80..].contains(&true);
    let may_be_wanted = |f: &str| {
        lengths.get(f.len()).copied().unwrap_or(long)
            && f.as_bytes()
                .first()
                .is_some_and(|&b| firsts[usize::from(b)])
    };
    let mut folded = String::new();
    let mut normalised: Set<&str> = Set::default();
    for &word in capitalised {
        // A word that starts with an ASCII letter folds, whichever way, to one that starts
        // with that letter in small or, when a combining mark follows it, with the letter
        // they compose, which is not ASCII: most words are ruled out by their first byte,
        // before the rest is read.
        let lead = word.as_bytes()[0];
        if lead.is_ascii() && !non_ascii_first && !firsts[usize::from(lead.to_ascii_lowercase())] {
            continue;
        }
        if word.is_ascii() {
            // A word in ASCII folds to its lower case, of the same length.
            let first = word.as_bytes()[0].to_ascii_lowercase();
            if !lengths.get(word.len()).copied().unwrap_or(long) || !firsts[usize::from(first)] {
                continue;
            }
            folded.clear();
            folded.push_str(word);
            folded.make_ascii_lowercase();
        } else if word.chars().all(|c| c.is_ascii() || folds_alone(c)) {
            // Each character folds alone: the first byte is settled by the first one.
            let first = word.chars().next().and_then(|c| c.to_lowercase().next());
            let first = first.map_or(0, |c| c.encode_utf8(&mut [0; 4]).as_bytes()[0]);
            if !firsts[usize::from(first)] {
                continue;
            }
            fold_latin(word, &mut folded);
        } else {
            if !normalised.insert(word) {
                continue;
            }
            folded = normalized_string(word, Fold::Case);
        }
        if may_be_wanted(&folded)
            && let Some(&w) = wanted.get(folded.as_str())
        {
            found.insert(w);
            if found.len() == wanted.len() {
                break;
            }
        }
    }
    found
}

/// A token case-folded as the lexicon's words are ([`normalized_string`] with
/// [`Fold::Case`]). For a token in ASCII that is its lower case (a token holds no space and
/// no apostrophe, the only ASCII the normalisation rewrites), and so it is for a token of
/// ASCII and the Latin letters that [`folds_alone`]: both are folded without the normaliser,
/// which builds a map of offsets and allocates. The tests check that the two agree.
fn fold_word(token: &str) -> String {
    if token.is_ascii() {
        return token.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(token.len());
    if fold_latin(token, &mut folded) {
        folded
    } else {
        normalized_string(token, Fold::Case)
    }
}

/// [`fold_word`] of a token of ASCII and letters that [`folds_alone`], written into `folded`
/// (cleared first); false for other tokens.
fn fold_latin(token: &str, folded: &mut String) -> bool {
    folded.clear();
    for c in token.chars() {
        match c.to_lowercase().next() {
            Some(lower) if c.is_ascii() || folds_alone(c) => folded.push(lower),
            _ => return false,
        }
    }
    true
}

/// The lexicon's side of [`Known`].
struct LexiconForms {
    /// Every acronym and alias of the lexicon, as written.
    acronyms: Set<String>,
    /// One-word names and aliases of the lexicon, case-folded.
    words: Set<String>,
    /// The lexicon's acronyms (not aliases) by their length in characters, each once, for
    /// suggestions: a suggestion's length is within two of the word's. Each with its
    /// characters sorted (see [`bag_distance`]) and their [`char_bits`].
    by_length: Vec<Vec<(String, Vec<char>, u64)>>,
}

impl LexiconForms {
    fn new(lx: &Lexicon) -> LexiconForms {
        let mut acronyms = Set::default();
        let mut words = Set::default();
        let mut by_length: Vec<Vec<(String, Vec<char>, u64)>> = Vec::new();
        let distinct: Set<&String> = lx.records().iter().flat_map(|r| &r.acronyms).collect();
        for a in distinct {
            let len = a.chars().count();
            if by_length.len() <= len {
                by_length.resize(len + 1, Vec::new());
            }
            by_length[len].push((a.clone(), sorted_chars(a), char_bits(a)));
        }
        for r in lx.records() {
            acronyms.extend(r.acronyms.iter().cloned());
            acronyms.extend(r.aliases.iter().map(|a| a.text.clone()));
            let names = [&r.name.en, &r.name.vi].into_iter().flatten();
            for n in names.chain(r.aliases.iter().map(|a| &a.text)) {
                if !n.contains(char::is_whitespace) {
                    words.insert(normalized_string(n, Fold::Case));
                }
            }
        }
        LexiconForms {
            acronyms,
            words,
            by_length,
        }
    }
}

/// The forms of the engine's lexicon, built once per lexicon rather than once per article (a
/// lint run checks thousands of articles with one engine).
fn lexicon_forms(engine: &Engine) -> Arc<LexiconForms> {
    static FORMS: PerLexicon<LexiconForms> = PerLexicon::new();
    FORMS.get(engine, |engine| LexiconForms::new(engine.lexicon()))
}

/// The word, without a plural `s` and without an edition number: `AMIXs` → `AMIX`,
/// `AMIM-21` → `AMIM`.
fn forms(word: &str) -> [Option<&str>; 3] {
    let singular = word
        .strip_suffix('s')
        .filter(|s| s.ends_with(|c: char| c.is_uppercase()));
    let series = word
        .rsplit_once('-')
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|(base, _)| base);
    [Some(word), singular, series]
}

/// Whether the word at `at` follows a number, perhaps with a magnitude (`15 triệu USD`).
fn follows_amount(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let last_word = |s: &str| {
        let start = s
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c) || matches!(c, '.' | ','))
            .last()
            .map_or(s.len(), |(i, _)| i);
        (start, s[start..].to_owned())
    };
    let (start, word) = last_word(before);
    // `500`, `3,5`, `3.000`, but not a year (`in 2020 AMIX …`) nor the end of a clause.
    let is_number = |w: &str| {
        let digit = |c: char| c.is_ascii_digit();
        let year = w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
        w.starts_with(digit) && w.ends_with(digit) && !year
    };
    if is_number(&word) {
        return true;
    }
    MAGNITUDES.contains(&word.to_lowercase().as_str())
        && is_number(&last_word(before[..start].trim_end()).1)
}

/// Lexicon acronyms within one edit of `word` (two for words of eight characters or more),
/// closest first, at most three.
///
/// Most acronyms of a length near the word's share few of its letters: the distance is at
/// least [`bag_distance`], which rules them out for less than the alignment costs.
fn near_misses(lexicon: &LexiconForms, word: &str) -> Vec<String> {
    let len = word.chars().count();
    let limit = if len >= 8 { 2 } else { 1 };
    let chars = sorted_chars(word);
    let bits = char_bits(word);
    // The distance is at least the difference in length.
    let lengths = len.saturating_sub(limit)..=len + limit;
    let mut found: Vec<(usize, &str)> = lengths
        .filter_map(|n| lexicon.by_length.get(n))
        .flatten()
        .filter(|&&(_, _, other)| bits_apart(bits, other) <= limit)
        .filter(|(_, sorted, _)| bag_distance(&chars, sorted) <= limit)
        .filter_map(|(a, _, _)| Some((edit_distance_at_most(word, a, limit)?, a.as_str())))
        .collect();
    found.sort();
    found.dedup();
    found
        .into_iter()
        .take(3)
        .map(|(_, a)| a.to_owned())
        .collect()
}

/// Which characters `s` has, one bit each: `A` to `Z` and `0` to `9` their own, the others
/// sharing the rest by their code. Two words are at least [`bits_apart`] apart.
fn char_bits(s: &str) -> u64 {
    s.chars().fold(0, |bits, c| {
        let bit = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            _ => 36 + c as u32 % 28,
        };
        bits | 1 << bit
    })
}

/// A lower bound of [`bag_distance`] from the [`char_bits`] of two words, which rules out
/// most of the lexicon's acronyms in a few steps: each bit one word has and the other has
/// not stands for characters of the first that the second lacks (at least one, and other
/// bits for other characters), and the bag distance counts each of those.
fn bits_apart(a: u64, b: u64) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

/// The characters of `s`, sorted: the multiset [`bag_distance`] compares.
fn sorted_chars(s: &str) -> Vec<char> {
    let mut chars: Vec<char> = s.chars().collect();
    chars.sort_unstable();
    chars
}

/// A lower bound of the edit distance of two words (as [`edit_distance_at_most`] counts it)
/// from their characters, sorted: how many characters of one the other lacks, the larger of
/// the two counts. An insertion or a deletion changes one count by one; a substitution each
/// by at most one; a transposition neither; and both are zero for equal words.
fn bag_distance(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => {
                only_a += 1;
                i += 1;
            }
            Ordering::Greater => {
                only_b += 1;
                j += 1;
            }
            Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    (only_a + a.len() - i).max(only_b + b.len() - j)
}

#[cfg(test)]
mod tests {
    use crate::Set as HashSet;

    use proptest::prelude::*;

    use super::{
        LexiconForms, bag_distance, bits_apart, char_bits, fold_word, lexicon_forms, near_misses,
        sorted_chars, written_capitalised,
    };
    use crate::config::Config;
    use crate::normalize::{Fold, folds_alone, normalized_string};
    use crate::rules::prose::edit_distance_at_most;
    use crate::rules::prose::tokens;
    use crate::rules::test_support::{run, run_with};

    /// Words as the article and the lexicon may write them: in capitals, capitalised, with
    /// Vietnamese letters composed and decomposed, in other scripts.
    const WORDS: &[&str] = &[
        "Toronto",
        "TORONTO",
        "Toronto-2",
        "Torontos",
        "Hà",
        "HÀ",
        "Ha\u{300}",
        "Nẵng",
        "NẴNG",
        "Na\u{306}\u{303}ng",
        "Hòa",
        "Hoà",
        "HÒA",
        "Đà",
        "Ðà",
        "Σοφία",
        "ΣΟΦΊΑ",
        "Москва",
        "МОСКВА",
        "\u{212A}elvin",
        "KELVIN",
        "İzmir",
        "IZMIR",
        "Straße",
        "STRASSE",
        "Ab",
        "AB",
        "Abc",
        "I\u{307}zmir",
        "A\u{300}o",
        "Ào",
        "ÀO",
        "Ao",
    ];

    /// Every letter folded without the normaliser, alone and after each other one.
    #[test]
    fn latin_letters_fold_as_the_normaliser_folds_them() {
        let latin = || ('\u{C0}'..='\u{24F}').chain('\u{1E00}'..='\u{1EFF}');
        // Vowels, which a tone may move between, and a joiner.
        let vowels: Vec<char> = "aAeEyYoOuUiI-".chars().collect();
        let others: Vec<char> = latin().chain(vowels.iter().copied()).collect();
        for (i, c) in latin().filter(|&c| folds_alone(c)).enumerate() {
            // A letter alone, and before and after other characters: each vowel, and every
            // seventh of the others in turn (all pairs are too slow in a debug build).
            let some = others.iter().skip(i % 7).step_by(7);
            let mut words = vec![format!("A{c}")];
            for b in vowels.iter().chain(some) {
                words.extend([format!("{b}{c}"), format!("{c}{b}"), format!("{c}{b}x")]);
            }
            for word in words {
                let want = normalized_string(&word, Fold::Case);
                assert_eq!(fold_word(&word), want, "{word:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]

        /// The wanted words found are those a capitalised word folds to.
        #[test]
        fn capitalised_words_are_found_as_the_normaliser_folds_them(
            capitalised in proptest::collection::vec(proptest::sample::select(WORDS), 0..12),
            wanted in proptest::collection::vec(proptest::sample::select(WORDS), 0..6),
        ) {
            let wanted: Vec<String> =
                wanted.iter().map(|w| normalized_string(w, Fold::Case)).collect();
            let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();
            let got = written_capitalised(&capitalised, &wanted);
            let want: HashSet<&str> = wanted
                .iter()
                .copied()
                .filter(|w| capitalised.iter().any(|c| normalized_string(c, Fold::Case) == *w))
                .collect();
            prop_assert_eq!(got, want);
        }

        /// Tokens are folded without the normaliser where they can be: it must agree.
        #[test]
        fn words_fold_as_the_normaliser_folds_them(
            text in "([ -~]|[\\t\\n\\r]|[ÀĐđƠơẠắỹÐðİòÒóọụỤùyYaAeEoOuU×÷ẞß]|[\u{C0}-\u{24F}]|[\u{1E00}-\u{1EFF}]|\u{301}|\u{323}|\u{A0}|\u{AD}|\u{2013}|\u{212A}|\u{2BC}){0,60}"
        ) {
            for t in tokens(&text) {
                prop_assert_eq!(fold_word(t.text), normalized_string(t.text, Fold::Case));
            }
        }
    }

    /// [`near_misses`] as it was before [`bag_distance`] ruled acronyms out: the reference
    /// the tests compare with.
    fn near_misses_reference(lexicon: &LexiconForms, word: &str) -> Vec<String> {
        let len = word.chars().count();
        let limit = if len >= 8 { 2 } else { 1 };
        let lengths = len.saturating_sub(limit)..=len + limit;
        let mut found: Vec<(usize, &str)> = lengths
            .filter_map(|n| lexicon.by_length.get(n))
            .flatten()
            .filter_map(|(a, _, _)| Some((edit_distance_at_most(word, a, limit)?, a.as_str())))
            .collect();
        found.sort();
        found.dedup();
        found
            .into_iter()
            .take(3)
            .map(|(_, a)| a.to_owned())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..Default::default() })]

        /// The bag distance is never more than the edit distance.
        #[test]
        fn bag_distance_is_at_most_the_edit_distance(
            a in "[ABCDEĐÐ1&-]{0,10}",
            b in "[ABCDEĐÐ1&-]{0,10}",
        ) {
            let d = edit_distance_at_most(&a, &b, usize::MAX).expect("no limit");
            let bag = bag_distance(&sorted_chars(&a), &sorted_chars(&b));
            prop_assert!(bag <= d);
            prop_assert!(bits_apart(char_bits(&a), char_bits(&b)) <= bag);
        }

        /// Suggestions are those of every acronym's edit distance: lexicon acronyms changed
        /// by an edit or two, and other words.
        #[test]
        fn suggests_as_aligning_every_acronym(
            pick in 0usize..10_000,
            edits in proptest::collection::vec((0usize..12, "[A-Z0-9&Đ-]"), 0..3),
            other in "[A-ZĐ0-9&-]{1,12}",
        ) {
            let engine = crate::analysis::Engine::embedded();
            let lexicon = lexicon_forms(&engine);
            let acronyms: Vec<&String> = lexicon.by_length.iter().flatten().map(|(a, _, _)| a).collect();
            let mut word: Vec<char> = acronyms[pick % acronyms.len()].chars().collect();
            for (at, c) in edits {
                let c = c.chars().next().expect("one character");
                match at % 3 {
                    0 => word.insert(at % (word.len() + 1), c),
                    1 if !word.is_empty() => {
                        let i = at % word.len();
                        word[i] = c;
                    }
                    _ if word.len() > 1 => {
                        let i = at % (word.len() - 1);
                        word.swap(i, i + 1);
                    }
                    _ => {}
                }
            }
            let word: String = word.into_iter().collect();
            for w in [word.as_str(), other.as_str()] {
                prop_assert_eq!(near_misses(&lexicon, w), near_misses_reference(&lexicon, w));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..Default::default() })]

        /// A token inside a mention is passed over: every acronym-like word of it overlaps a
        /// mention, and so is known.
        #[test]
        fn the_words_of_a_token_inside_a_mention_overlap_it(
            words in proptest::collection::vec(proptest::sample::select(&[
                "AMIC", "AMIM-17", "AMIM", "17", "ASEAN", "ASEAN-Japan", "SOPs", "COVID-19",
                "Military", "Intelligence", "Community", "XYZ", "the", "(", ")", "-", "Hà",
                "Nội", "UNDP-ASEAN", "AMIC/AMIM", "lần", "thứ",
            ][..]), 0..16),
        ) {
            let text = words.join(" ");
            let engine = crate::rules::test_support::engine();
            let analysis = engine.analyze(&text);
            for (t, _) in crate::rules::prose::tokens_with_a_capital(&text) {
                if crate::rules::inside_mention(&analysis, &t.span) {
                    for w in crate::rules::prose::acronym_words_in(t) {
                        prop_assert!(crate::rules::overlaps_mention(&analysis, &w.span), "{:?}", w);
                    }
                }
            }
        }
    }

    #[test]
    fn tokens_inside_mentions_are_told() {
        let text = "AMIC, AMIM-17, ASEAN-Japan and XYZ met.";
        let analysis = crate::rules::test_support::engine().analyze(text);
        let inside: Vec<&str> = crate::rules::prose::tokens_with_a_capital(text)
            .filter(|(t, _)| crate::rules::inside_mention(&analysis, &t.span))
            .map(|(t, _)| t.text)
            .collect();
        assert_eq!(inside, ["AMIC", "AMIM-17"]);
    }

    const RULE: &str = "unknown-acronym";

    #[test]
    fn flags_unknown_acronyms_with_suggestions() {
        let t = "A planned AMIX exchange with AMIC, a drill called ASEANMIX, and AMIX again.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "A planned [[AMIX]] exchange with AMIC, a drill called [[ASEANMIX]], and AMIX again."
        );
        assert_eq!(
            f[0].message,
            "`AMIX` is not a known acronym; did you mean `AMIC` or `AMIM`? (used 2 times)"
        );
        assert_eq!(f[0].fixes.len(), 2);
        assert_eq!(f[1].message, "`ASEANMIX` is not a known acronym");
    }

    #[test]
    fn document_numbers_numerals_and_ordinary_words_pass() {
        for t in [
            "Nghị quyết số 24-NQ/TW và Kết luận số 77-KL/TW, cập nhật 09:40 (GMT+7).",
            "Đại hội VI, Đại hội X, Đại hội XIII và khóa XI.",
            "ASEAN LEADERS MEET IN HANOI\n\nThe meeting opened.",
            "HANOI — The meeting opened in Hanoi.",
            "NDO - Hội nghị khai mạc.",
            "A seminar in Toronto, reported by a TORONTO daily.",
            "Tin từ Nẵng: báo NẴNG đưa tin.",
            "Tin từ Na\u{306}\u{303}ng: báo NẴNG đưa tin.",
            "The HANOI office.",
            "Khoảng 15 triệu USD và 500 MW, 3,5 GW.",
            "Nearly 3.000 QZX were counted.",
            "The Joint Working Group (JWG) met. The JWG agreed.",
            "AMIC, AMIM-21, SOPs, ASEANPOL and COVID-19 are known.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }

    #[test]
    fn words_in_capitals_need_their_capitalised_form_in_the_article() {
        for t in ["Báo NẴNG đưa tin, nẵng.", "In TORONTO, toronto."] {
            let (marked, f) = run(RULE, t);
            assert_eq!(f.len(), 1, "{marked}");
        }
    }

    #[test]
    fn years_and_clause_ends_are_not_amounts() {
        for t in [
            "In 2020 QZX began.",
            "In March 2020, QZX began.",
            "It grew by 5. QZX began.",
        ] {
            let (marked, f) = run(RULE, t);
            assert_eq!(f.len(), 1, "{marked}");
        }
    }

    #[test]
    fn allow_list_accepts_an_acronym() {
        let config = Config {
            allow: vec!["NATO".into()],
            ..Config::default()
        };
        let (marked, f) = run_with(RULE, "NATO and OECD observers.", &config);
        assert_eq!(marked, "NATO and [[OECD]] observers.");
        assert_eq!(f.len(), 1);
    }
}
