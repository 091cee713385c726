//! `unknown-acronym`: an acronym the lexicon does not know and the article does not define.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use super::prose::{
    Token, acronym_words_of, edit_distance, is_all_caps_line, is_dateline, is_word_char, tokens,
};
use super::{Context, Edit, Fix, Raw, RuleInfo, overlaps_mention};
use crate::analysis::Engine;
use crate::config::Level;
use crate::lexicon::Lexicon;
use crate::normalize::{Fold, normalized_string};

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

pub fn check(ctx: &Context) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    let known = Known::new(ctx);
    let mut first: Vec<Token> = Vec::new();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for w in acronym_words_of(tokens(ctx.text)).filter(|w| known.is_unknown(ctx, w)) {
        let n = uses.entry(w.text).or_insert(0);
        if *n == 0 {
            first.push(w);
        }
        *n += 1;
    }
    first
        .into_iter()
        .map(|w| report(lx, &w, uses[w.text]))
        .collect()
}

fn report(lx: &Lexicon, w: &Token, uses: usize) -> Raw {
    let suggestions = near_misses(lx, w.text);
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
    /// Acronyms the article spells out.
    defined: HashSet<&'a str>,
    /// What the lexicon knows.
    lexicon: Arc<LexiconForms>,
    /// Capitalised words of the article, case-folded; gathered at the first word in
    /// capitals that needs them (not every article has one).
    words: OnceCell<HashSet<String>>,
    text: &'a str,
}

impl<'a> Known<'a> {
    fn new(ctx: &'a Context<'a>) -> Known<'a> {
        Known {
            defined: ctx
                .analysis
                .definitions
                .iter()
                .map(|d| d.short_text.as_str())
                .collect(),
            lexicon: lexicon_forms(ctx.engine),
            words: OnceCell::new(),
            text: ctx.text,
        }
    }

    fn words(&self) -> &HashSet<String> {
        self.words.get_or_init(|| {
            // Each distinct word once: names repeat through an article.
            let capitalised: HashSet<&str> = tokens(self.text)
                .map(|t| t.text)
                .filter(|t| {
                    let mut chars = t.chars();
                    chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase())
                })
                .collect();
            capitalised
                .into_iter()
                .map(|t| normalized_string(t, Fold::Case))
                .collect()
        })
    }

    fn is_unknown(&self, ctx: &Context, w: &Token) -> bool {
        let forms = forms(w.text);
        !overlaps_mention(ctx.analysis, &w.span)
            && !forms.iter().any(|f| {
                self.defined.contains(f)
                    || self.lexicon.acronyms.contains(*f)
                    || ctx.config.allows(f)
            })
            && !self.is_word_in_capitals(w.text)
            && !is_all_caps_line(ctx.text, w.span.start)
            && !is_dateline(ctx.text, &w.span)
            && !follows_amount(ctx.text, w.span.start)
    }

    /// `TORONTO` when the article or the lexicon writes `Toronto`. Short words stay
    /// acronyms (`WHO` is not `Who`).
    fn is_word_in_capitals(&self, word: &str) -> bool {
        if word.chars().count() < MIN_CAPITALISED_WORD {
            return false;
        }
        let folded = normalized_string(word, Fold::Case);
        self.lexicon.words.contains(&folded) || self.words().contains(&folded)
    }
}

/// The lexicon's side of [`Known`].
struct LexiconForms {
    /// Every acronym and alias of the lexicon, as written.
    acronyms: HashSet<String>,
    /// One-word names and aliases of the lexicon, case-folded.
    words: HashSet<String>,
}

impl LexiconForms {
    fn new(lx: &Lexicon) -> LexiconForms {
        let mut acronyms = HashSet::new();
        let mut words = HashSet::new();
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
        LexiconForms { acronyms, words }
    }
}

/// The forms of the engine's lexicon, built once per lexicon rather than once per article (a
/// lint run checks thousands of articles with one engine). The cache keeps a clone of the
/// engine, so its lexicon cannot be freed and its address taken by another one: the address
/// identifies the lexicon.
fn lexicon_forms(engine: &Engine) -> Arc<LexiconForms> {
    static CACHE: Mutex<Option<(Engine, Arc<LexiconForms>)>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((cached, forms)) = cache.as_ref()
        && std::ptr::eq(cached.lexicon(), engine.lexicon())
    {
        return forms.clone();
    }
    let forms = Arc::new(LexiconForms::new(engine.lexicon()));
    *cache = Some((engine.clone(), forms.clone()));
    forms
}

/// The word, without a plural `s` and without an edition number: `AMIXs` → `AMIX`,
/// `AMIM-21` → `AMIM`.
fn forms(word: &str) -> Vec<&str> {
    let mut out = vec![word];
    if let Some(s) = word
        .strip_suffix('s')
        .filter(|s| s.ends_with(|c: char| c.is_uppercase()))
    {
        out.push(s);
    }
    if let Some((base, n)) = word.rsplit_once('-')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        out.push(base);
    }
    out
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
fn near_misses(lx: &Lexicon, word: &str) -> Vec<String> {
    let len = word.chars().count();
    let limit = if len >= 8 { 2 } else { 1 };
    let mut found: Vec<(usize, &str)> = lx
        .records()
        .iter()
        .flat_map(|r| &r.acronyms)
        // The distance is at least the difference in length.
        .filter(|a| a.chars().count().abs_diff(len) <= limit)
        .map(|a| (edit_distance(word, a), a.as_str()))
        .filter(|&(d, _)| d <= limit)
        .collect();
    found.sort();
    found.dedup();
    found
        .into_iter()
        .take(3)
        .map(|(_, a)| a.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::test_support::{run, run_with};

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
