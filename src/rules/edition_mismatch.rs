//! `edition-mismatch`: a meeting whose date or place stated in the same sentence contradicts
//! its lexicon record.

use std::ops::Range;

use super::prose::is_word_char;
use super::prose::{Sentences, Token, token_at, tokens};
use super::{Context, Edit, Fix, Raw, RuleInfo, Shared, mentions_within};
use crate::config::Level;
use crate::lexicon::{Date, EntityRef, Kind, Lang, Lexicon, RecordId};
use crate::matcher::Mention;

pub const INFO: RuleInfo = RuleInfo {
    id: "edition-mismatch",
    default_level: Level::Error,
    summary: "a meeting's stated date or place contradicts its lexicon record",
    explanation: "\
Checks the facts an article states about a numbered meeting against the lexicon's
`[[meeting]]` record:

```text
… adopted at AMIM-20 in June 2021 …      the record says 2023-06
… the 19th meeting (AMIM-19), in Bangkok …   the record says Phnom Penh
```

Only what the same sentence states is read. A date or place is taken to be about a meeting
when the meeting is the nearest thing it could be about (people and places aside) and at
most six words separate them; a year more than ten years from the record's is taken to be
about something else (`net zero by 2050 at COP-26`). Dates: `June 2021`, `June 7, 2023`, `7 June 2023`,
`October 31`, `in 2021`, `tháng 6-2023`, `tháng 6/2023`, `tháng 6 năm 2023`, `năm 2021`,
`ngày 29-9`, `29/9/2010`, `chiều 2/8`. A date agrees when it matches the record at the
precision both give (`June 2023` agrees with `2023-06-07`) or falls between `date` and
`end-date`. Places: a lexicon place after `in`, `at`, `tại` or `ở`; it agrees when it is the
record's place, a place that contains it or one inside it (`Vietnam` for Hanoi).

It is an error by default: a wrong date is a correction waiting to happen. Either the text
or the lexicon is wrong; when it is the lexicon, fix the record.

The fix writes the record's value in place of the stated one, keeping the text's style
(`June 2021` → `June 2023`, `tháng 6-2021` → `tháng 6-2023`). It is not applied by
`lexls lint --fix`.
",
};

/// A component of a stated date: its value and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    value: u32,
    span: Range<usize>,
    /// The month is written as an English name.
    named: bool,
}

/// A date stated in the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Stated {
    span: Range<usize>,
    year: Option<Part>,
    month: Option<Part>,
    day: Option<Part>,
}

impl Stated {
    fn new(
        span: Range<usize>,
        year: Option<Part>,
        month: Option<Part>,
        day: Option<Part>,
    ) -> Stated {
        Stated {
            span,
            year,
            month,
            day,
        }
    }
}

/// A fact stated near a meeting.
#[derive(Clone)]
enum Fact {
    Date(Stated),
    Place(Range<usize>, RecordId),
}

impl Fact {
    fn span(&self) -> Range<usize> {
        match self {
            Fact::Date(d) => d.span.clone(),
            Fact::Place(r, _) => r.clone(),
        }
    }
}

/// At most this many words between a meeting and a fact about it.
const MAX_GAP_WORDS: usize = 6;

/// A stated year further than this from the record's is about something else (a target, a
/// treaty, a past event), not a slip of the meeting's date.
const MAX_YEAR_SLIP: u32 = 10;

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    let is_edition = |m: &Mention| {
        m.entity.edition.is_some() || lx.record(m.entity.record).kind == Kind::Meeting
    };
    // Whether a fact can be flagged for `m`: [`verify`] finds nothing to compare otherwise.
    let has_facts = |m: &Mention| {
        meeting_record(lx, m).is_some_and(|r| {
            let facts = &lx.record(r).facts;
            facts.date.is_some() || facts.place.is_some()
        })
    };
    let mut out = Vec::new();
    // Facts already judged, by span: a sentence with several meetings is read once. A fact
    // lies in its sentence, and sentences are read in the order of their starts (see
    // [`judge_passed`]), so those that end before the sentence read starts are forgotten:
    // the few left are found without hashing or ordering.
    let mut judged: Vec<Range<usize>> = Vec::new();
    // The last sentence read. Mentions come in text order, so the meetings of one sentence
    // come one after another, and every fact of a sentence is judged when it is first read:
    // reading it again for the next meeting would find nothing left to judge.
    let mut read: Option<Range<usize>> = None;
    // Sentences passed over because no meeting in them has a date or place to compare, whose
    // facts are judged only if a later sentence overlaps them (see [`judge_passed`]).
    let mut passed: Vec<Range<usize>> = Vec::new();
    // The facts and subjects of the sentence being read, in buffers kept from one sentence
    // to the next rather than made for each.
    let mut found: Vec<Fact> = Vec::new();
    let mut subjects: Vec<&Mention> = Vec::new();
    let mut window: Vec<Token> = Vec::new();
    // Meetings one after another in a sentence have it found once.
    let mut sentences = Sentences::new(ctx.text);
    let mentions = &ctx.analysis.mentions;
    for (i, m) in mentions.iter().enumerate().filter(|(_, m)| is_edition(m)) {
        let sentence = sentences.around(&m.span);
        if read.as_ref() == Some(&sentence) {
            continue;
        }
        read = Some(sentence.clone());
        let inside = mentions_around(mentions, i, &sentence);
        // Most sentences with a meeting have a date or place to compare; for the others no
        // fact can be flagged, and reading their dates would only cost time.
        if !inside.iter().any(|e| is_edition(e) && has_facts(e)) {
            passed.retain(|p| p.end > sentence.start);
            passed.push(sentence);
            continue;
        }
        judge_passed(
            ctx,
            &mut passed,
            &sentence,
            &mut judged,
            &mut found,
            &mut window,
        );
        judged.retain(|j| j.end > sentence.start);
        // What a date or place can be about: anything but people and places.
        subjects.clear();
        subjects.extend(
            inside
                .iter()
                .filter(|e| !matches!(lx.record(e.entity.record).kind, Kind::Place | Kind::Person)),
        );
        facts(ctx, &sentence, inside, &mut found, &mut window);
        for fact in found.drain(..) {
            let span = fact.span();
            if judged.contains(&span) {
                continue;
            }
            judged.push(span.clone());
            // A fact in parentheses is about what precedes them: `lần thứ ba (năm 2010), …`.
            let before_only = in_parentheses(ctx.text, &sentence, &span);
            let candidates = subjects
                .iter()
                .copied()
                .filter(|o| !before_only || o.span.end <= span.start);
            let owner = nearest(ctx.text, candidates, &span)
                .filter(|&(o, gap)| is_edition(o) && gap <= MAX_GAP_WORDS);
            if let Some(raw) = owner.and_then(|(o, _)| verify(ctx, o, fact)) {
                out.push(raw);
            }
        }
    }
    out
}

/// Marks as judged the facts of the sentences passed over that overlap `sentence`, and
/// forgets the passed sentences: reading them would have judged their facts (flagging none),
/// and a fact judged once is not judged again when an overlapping sentence holds it too.
///
/// Sentences are found around mentions in text order, and the sentence around a later
/// mention starts no earlier (checked by a test): a passed sentence that ends before
/// `sentence` starts overlaps no sentence read after it either. Sentences rarely overlap
/// (a line break inside a name, a line longer than a sentence is searched for), so the
/// facts of a passed sentence are nearly never read. `found` and `window` are buffers for
/// [`facts`].
fn judge_passed<'t>(
    ctx: &Context<'t>,
    passed: &mut Vec<Range<usize>>,
    sentence: &Range<usize>,
    judged: &mut Vec<Range<usize>>,
    found: &mut Vec<Fact>,
    window: &mut Vec<Token<'t>>,
) {
    for p in passed.drain(..) {
        if p.end > sentence.start && p.start < sentence.end {
            let inside = mentions_within(ctx.analysis, &p);
            facts(ctx, &p, inside, found, window);
            for fact in found.drain(..) {
                let span = fact.span();
                if !judged.contains(&span) {
                    judged.push(span);
                }
            }
        }
    }
}

/// The mentions inside `range` ([`mentions_within`]), where `range` holds mention `i`: they
/// are found walking out from it, as a sentence holds few mentions, rather than by two
/// searches over all the mentions of the text.
fn mentions_around<'a>(mentions: &'a [Mention], i: usize, range: &Range<usize>) -> &'a [Mention] {
    let mut lo = i;
    while lo > 0 && mentions[lo - 1].span.start >= range.start {
        lo -= 1;
    }
    let mut hi = i + 1;
    while hi < mentions.len() && mentions[hi].span.end <= range.end {
        hi += 1;
    }
    debug_assert!(range.start <= mentions[i].span.start && mentions[i].span.end <= range.end);
    &mentions[lo..hi]
}

/// The mention fewest words away from `span`, and how many words that is; on a tie, the one
/// before it (`AMIM-20 in June 2021`). Counts above [`MAX_GAP_WORDS`] are not told apart, as
/// only whether a count exceeds it matters then.
///
/// Words are counted only as far as they can tell: a mention is nearer only when fewer words
/// separate it than the nearest so far (or as many, and it is before the fact), so counting
/// stops one word past that. A mention far away in a long sentence costs little.
fn nearest<'a>(
    text: &str,
    mentions: impl Iterator<Item = &'a Mention>,
    span: &Range<usize>,
) -> Option<(&'a Mention, usize)> {
    let key = |m: &Mention, gap: usize| (gap, m.span.start > span.start);
    let mut best: Option<(&Mention, usize)> = None;
    for m in mentions {
        let cap = best.map_or(MAX_GAP_WORDS, |(_, gap)| gap.min(MAX_GAP_WORDS)) + 1;
        let gap = words_between(text, &m.span, span, cap);
        if best.is_none_or(|(b, g)| key(m, gap) < key(b, g)) {
            best = Some((m, gap));
        }
    }
    best
}

/// Whether `span` is inside parentheses within `sentence`.
fn in_parentheses(text: &str, sentence: &Range<usize>, span: &Range<usize>) -> bool {
    let before = &text[sentence.start..span.start];
    let open = before
        .rfind('(')
        .is_some_and(|o| !before[o..].contains(')'));
    open && text[span.end..sentence.end].trim_start().starts_with(')')
}

/// How many words separate two spans of the text, counted up to `cap`.
fn words_between(text: &str, a: &Range<usize>, b: &Range<usize>, cap: usize) -> usize {
    let gap = a.end.min(b.end)..a.start.max(b.start);
    if gap.start >= gap.end {
        return 0;
    }
    tokens(&text[gap]).take(cap).count()
}

fn verify(ctx: &Context, m: &Mention, fact: Fact) -> Option<Raw> {
    let lx = ctx.engine.lexicon();
    let record = meeting_record(lx, m)?;
    let facts = &lx.record(record).facts;
    let written = &ctx.text[m.span.clone()];
    // Made only for a finding: most facts agree with the record.
    let related = || vec![(m.span.clone(), "the meeting".to_owned())];
    match fact {
        Fact::Date(stated) => {
            let start = facts.date?;
            let slip = stated
                .year
                .as_ref()
                .map_or(0, |y| y.value.abs_diff(u32::from(start.year)));
            if slip > MAX_YEAR_SLIP || agrees(&stated, start, facts.end_date) {
                return None;
            }
            Some(Raw {
                message: format!(
                    "`{written}` took place {} according to the lexicon, not `{}`",
                    when(start, facts.end_date),
                    &ctx.text[stated.span.clone()]
                ),
                fixes: date_fix(&stated, start).into_iter().collect(),
                span: stated.span,
                related: related(),
            })
        }
        Fact::Place(span, place) => {
            let expected = facts.place?;
            if related_places(lx, place, expected) {
                return None;
            }
            let expected = EntityRef {
                record: expected,
                edition: None,
            };
            let name = lx.label(expected, ctx.lang());
            Some(Raw {
                message: format!(
                    "`{written}` took place in {} according to the lexicon, not `{}`",
                    lx.label(expected, Lang::En),
                    &ctx.text[span.clone()]
                ),
                fixes: vec![Fix {
                    title: format!("Replace with {name}"),
                    edits: vec![Edit {
                        range: span.clone(),
                        replacement: name,
                    }],
                    safe: false,
                }],
                span,
                related: related(),
            })
        }
    }
}

/// The meeting record a mention names, if the lexicon has one.
fn meeting_record(lx: &Lexicon, m: &Mention) -> Option<RecordId> {
    let r = lx.record(m.entity.record);
    match (r.kind, m.entity.edition) {
        (Kind::Meeting, _) => Some(m.entity.record),
        (Kind::Series, Some(n)) => lx.edition(m.entity.record, n),
        _ => None,
    }
}

/// `in June 2023`, `on 22 September 2020`, `from 7 to 9 June 2023`-like text for messages.
fn when(start: Date, end: Option<Date>) -> String {
    let on = if start.day.is_some() { "on" } else { "in" };
    match end {
        Some(end) if end != start => format!("from {} to {}", start.display_en(), end.display_en()),
        _ => format!("{on} {}", start.display_en()),
    }
}

/// Whether the stated date matches the record at the precision both give.
fn agrees(stated: &Stated, start: Date, end: Option<Date>) -> bool {
    let fields = |d: Date| {
        [
            Some(u32::from(d.year)),
            d.month.map(u32::from),
            d.day.map(u32::from),
        ]
    };
    let said = [&stated.year, &stated.month, &stated.day].map(|p| p.as_ref().map(|p| p.value));
    let (a, b) = (fields(start), fields(end.unwrap_or(start)));
    let shared = |i: usize| said[i].is_some() && a[i].is_some() && b[i].is_some();
    // The fields that are not shared are zero in all three, so comparing the arrays compares
    // the shared fields in order, without collecting them.
    let pick = |x: [Option<u32>; 3]| -> [u32; 3] {
        std::array::from_fn(|i| x[i].filter(|_| shared(i)).unwrap_or(0))
    };
    !(0..3).any(shared) || (pick(a) <= pick(said) && pick(said) <= pick(b))
}

/// Edits that write the record's date over the stated parts that differ.
fn date_fix(stated: &Stated, record: Date) -> Option<Fix> {
    let wanted = [
        (&stated.year, Some(u32::from(record.year))),
        (&stated.month, record.month.map(u32::from)),
        (&stated.day, record.day.map(u32::from)),
    ];
    let edits: Vec<Edit> = wanted
        .into_iter()
        .filter_map(|(part, want)| {
            let (part, want) = (part.as_ref()?, want?);
            (part.value != want).then(|| Edit {
                range: part.span.clone(),
                replacement: if part.named {
                    u8::try_from(want)
                        .ok()
                        .and_then(Date::month_name_en)
                        .map_or_else(|| want.to_string(), str::to_owned)
                } else {
                    want.to_string()
                },
            })
        })
        .collect();
    (!edits.is_empty()).then(|| Fix {
        title: format!("Use the lexicon's date ({record})"),
        edits,
        safe: false,
    })
}

/// The same place, or one inside the other.
fn related_places(lx: &Lexicon, a: RecordId, b: RecordId) -> bool {
    let within = |inner: RecordId, outer: RecordId| {
        let mut at = Some(inner);
        for _ in 0..16 {
            match at {
                Some(p) if p == outer => return true,
                Some(p) => at = lx.record(p).facts.parent,
                None => return false,
            }
        }
        false
    };
    within(a, b) || within(b, a)
}

/// Dates and places stated in `sentence` (`mentions` are those inside it), in `out`, which
/// is emptied first: the dates in order, then the places. `window` is a buffer for [`dates`],
/// kept from one sentence to the next rather than allocated for each.
fn facts<'t>(
    ctx: &Context<'t>,
    sentence: &Range<usize>,
    mentions: &[Mention],
    out: &mut Vec<Fact>,
    window: &mut Vec<Token<'t>>,
) {
    let lx = ctx.engine.lexicon();
    let places = mentions
        .iter()
        .filter(|m| lx.record(m.entity.record).kind == Kind::Place)
        .filter(|m| after_locative(ctx.text, m.span.start))
        .map(|m| Fact::Place(m.span.clone(), m.entity.record));
    out.clear();
    dates(ctx.text, sentence, out, window);
    out.extend(places);
}

const LOCATIVES: [&str; 4] = ["in", "at", "tại", "ở"];

/// Whether the word before `at` is `in`, `at`, `tại` or `ở`.
///
/// A word that lower-cases to a locative is as long as it and made of word characters
/// (checked by a test): the word is the locative's length of text before `at` (and the
/// spaces before it) when that lower-cases to it and follows no word character.
fn after_locative(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let is = |l: &str| {
        let Some(start) = before.len().checked_sub(l.len()) else {
            return false;
        };
        before
            .get(start..)
            .is_some_and(|word| lower_cases_to(word, l))
            && !before[..start]
                .chars()
                .next_back()
                .is_some_and(super::prose::is_word_char)
    };
    before.len() < at && LOCATIVES.into_iter().any(is)
}

/// Whether `word` lower-cases to `lower`, a date word (see [`vietnamese_date`]) or a
/// locative (see [`after_locative`]).
///
/// A character that lower-cases to letters of those words is as long as what it lower-cases
/// to (checked by a test), so that `word` is as long as `lower` and has its ASCII letters
/// where `lower` has them, in either case: most words are told apart by that, without
/// decoding them or looking up their lower case, and for an ASCII `lower` that is all.
fn lower_cases_to(word: &str, lower: &str) -> bool {
    word.len() == lower.len()
        && (word.bytes().zip(lower.bytes()))
            .all(|(b, a)| !a.is_ascii() || b.to_ascii_lowercase() == a)
        && (lower.is_ascii() || word.chars().flat_map(char::to_lowercase).eq(lower.chars()))
}

const DAY_PARTS: [&str; 6] = ["ngày", "sáng", "chiều", "tối", "trưa", "đêm"];

/// The words a Vietnamese date starts with: `tháng`, `năm` and [`DAY_PARTS`].
const DATE_WORDS: [&str; 8] = [
    "tháng", "năm", "ngày", "sáng", "chiều", "tối", "trưa", "đêm",
];

/// The month (1 to 12) an English word names: the month's name, or its first three letters
/// or more (`Jun`, `Sept`), capitalised as the name is.
///
/// Each month has its own first three letters: the one month a word may name is found from
/// them, without comparing the word with twelve names.
fn month_of(word: &str) -> Option<u32> {
    let i = match word.as_bytes().get(..3)? {
        b"Jan" => 0,
        b"Feb" => 1,
        b"Mar" => 2,
        b"Apr" => 3,
        b"May" => 4,
        b"Jun" => 5,
        b"Jul" => 6,
        b"Aug" => 7,
        b"Sep" => 8,
        b"Oct" => 9,
        b"Nov" => 10,
        b"Dec" => 11,
        _ => return None,
    };
    crate::lexicon::MONTHS_EN[i]
        .starts_with(word)
        .then_some(i as u32 + 1)
}

/// The numbers of a token such as `2021`, `6-2023`, `29/9` or `23-2-2021`, with their
/// spans; none when a part is not a number. A date is written with at most three numbers, so
/// a token with more has none either: no date reads it.
///
/// Read byte by byte, in one pass: a part is a number when it is one or more ASCII digits
/// whose value fits a `u32`, as `str::parse` reads them (checked against it by a test).
fn numbers(t: &Token) -> Numbers {
    let bytes = t.text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return Numbers::default(); // the first piece is not a number
    }
    let mut out = Numbers::default();
    let at = t.span.start;
    // Where the part read starts, and its value so far.
    let (mut start, mut value) = (0, 0u32);
    // Each byte, then a `-` that ends the last part.
    for (i, b) in bytes.iter().copied().chain([b'-']).enumerate() {
        if b.is_ascii_digit() {
            match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u32::from(b - b'0')))
            {
                Some(v) => value = v,
                None => return Numbers::default(),
            }
        } else if matches!(b, b'-' | b'/') && i > start && out.len < 3 {
            out.parts[out.len] = (value, at + start..at + i);
            out.len += 1;
            (start, value) = (i + 1, 0);
        } else {
            return Numbers::default();
        }
    }
    out
}

/// Up to three numbers of a token (see [`numbers`]), kept without allocating: most tokens a
/// date is tried at have none, and the others one to three.
#[derive(Default)]
struct Numbers {
    parts: [(u32, Range<usize>); 3],
    len: usize,
}

impl Numbers {
    fn as_slice(&self) -> &[(u32, Range<usize>)] {
        &self.parts[..self.len]
    }
}

/// A number between `min` and `max` as a date part.
fn part(value: u32, span: Range<usize>, min: u32, max: u32) -> Option<Part> {
    (min..=max).contains(&value).then_some(Part {
        value,
        span,
        named: false,
    })
}

/// A year: four digits from 1900 to 2100.
fn year_part(value: u32, span: Range<usize>) -> Option<Part> {
    (span.len() == 4).then(|| part(value, span, 1900, 2100))?
}

/// A number between `min` and `max`, when a token's numbers `n` are that one number.
fn number_in(n: &Numbers, min: u32, max: u32) -> Option<Part> {
    match n.as_slice() {
        [(value, span)] => part(*value, span.clone(), min, max),
        _ => None,
    }
}

/// A token that is a year.
fn year(t: &Token) -> Option<Part> {
    year_in(&numbers(t))
}

/// [`year`] for a token whose numbers `n` have been read.
fn year_in(n: &Numbers) -> Option<Part> {
    match n.as_slice() {
        [(value, span)] => year_part(*value, span.clone()),
        _ => None,
    }
}

/// `D-M`, `D/M`, `D-M-YYYY`, `D/M/YYYY`; `M-YYYY` when `month_year`.
fn compound(t: &Token, month_year: bool) -> Option<Stated> {
    compound_of(t, &numbers(t), month_year)
}

/// [`compound`] for a token whose numbers `n` have been read.
fn compound_of(t: &Token, n: &Numbers, month_year: bool) -> Option<Stated> {
    let year_of = |(v, s): &(u32, Range<usize>)| year_part(*v, s.clone());
    let mut st = Stated {
        span: t.span.clone(),
        ..Stated::default()
    };
    match (n.as_slice(), month_year) {
        ([m, y], true) => {
            st.month = Some(part(m.0, m.1.clone(), 1, 12)?);
            st.year = Some(year_of(y)?);
        }
        ([d, m], false) => {
            st.day = Some(part(d.0, d.1.clone(), 1, 31)?);
            st.month = Some(part(m.0, m.1.clone(), 1, 12)?);
        }
        ([d, m, y], _) => {
            st.day = Some(part(d.0, d.1.clone(), 1, 31)?);
            st.month = Some(part(m.0, m.1.clone(), 1, 12)?);
            st.year = Some(year_of(y)?);
        }
        _ => return None,
    }
    Some(st)
}

/// The dates stated in `sentence`, in order: those [`date_at`] finds trying every token in
/// turn and going on after each date it finds.
///
/// Every date has its first or second token start with a digit (see [`starts_with_digit`]),
/// and most words of a sentence are far from any: only the stretches around digits are read
/// as tokens, and only as far as the dates tried there ask for them (see [`Reader`]).
/// Reading from a place other than the sentence's start gives the same tokens when the place
/// is a clean start (see [`is_clean_break`]).
///
/// The dates are pushed to `out` as facts, where [`facts`] wants them. `read` is a buffer
/// for the tokens read around a number; the caller keeps it from one sentence to the next,
/// as nearly every sentence with a meeting has a digit and allocating it for each cost more
/// than reading a sentence's dates takes in some.
fn dates<'t>(
    text: &'t str,
    sentence: &Range<usize>,
    out: &mut Vec<Fact>,
    read: &mut Vec<Token<'t>>,
) {
    let s = &text[sentence.clone()];
    let bytes = s.as_bytes();
    // A clean start such that every date starting before it has been found.
    let mut from = 0;
    while let Some(digit) = first_number_start(bytes, from) {
        read.clear();
        let mut tokens = Reader {
            s,
            offset: sentence.start,
            next: start_before(s, from, digit),
            read,
        };
        // The token tried.
        let mut i = 0;
        loop {
            let Some(first) = tokens.get(i) else {
                return; // the sentence's end
            };
            if starts_with_digit(&first) || tokens.get(i + 1).is_some_and(|t| starts_with_digit(&t))
            {
                let date = may_start_date(first.text).then(|| date_from(&mut tokens, i, &first));
                match date.flatten() {
                    Some((st, n)) => {
                        out.push(Fact::Date(st));
                        i += n;
                    }
                    None => i += 1,
                }
                continue;
            }
            // No date starts at this token, nor at one after it but around the next number:
            // go on from its end (a clean start, where reading goes on after a token) to the
            // next digit.
            from = first.span.end - sentence.start;
            break;
        }
    }
}

/// The tokens a date is read from, by their index: those of a list, or those [`dates`]
/// reads from a place of a sentence, as far as a date asks for them.
trait Tokens<'t> {
    fn get(&mut self, k: usize) -> Option<Token<'t>>;
}

impl<'t> Tokens<'t> for &[Token<'t>] {
    fn get(&mut self, k: usize) -> Option<Token<'t>> {
        <[Token<'t>]>::get(self, k).cloned()
    }
}

/// The tokens of the sentence `s` from a place on, read when first asked for, with their
/// spans in the text (`s` starts at `offset` in it). Most numbers of a sentence are no date,
/// which reading the number and the token after it tells: reading four tokens ahead, as much
/// as a date takes (`tháng 6 năm 2023`), cost a fifth of reading the dates.
struct Reader<'b, 't> {
    s: &'t str,
    offset: usize,
    /// Where to read the next token from.
    next: usize,
    /// The tokens read.
    read: &'b mut Vec<Token<'t>>,
}

impl<'t> Tokens<'t> for Reader<'_, 't> {
    fn get(&mut self, k: usize) -> Option<Token<'t>> {
        while self.read.len() <= k {
            // The scan inlined: a call per token cost a quarter of reading the dates. Reading
            // from a token's end in `s` gives the tokens of the sentence after it: a token's
            // end is found looking forward only.
            let t = token_at(self.s, self.next)?;
            self.next = t.span.end;
            self.read.push(Token {
                span: t.span.start + self.offset..t.span.end + self.offset,
                text: t.text,
            });
        }
        Some(self.read[k].clone())
    }
}

/// The first ASCII digit in `bytes` at or after `from`. Most of a sentence has none: it is
/// read sixteen bytes at a time, each block tested without a branch per byte, which the
/// compiler turns into vector instructions. The digit is then found in the block where one
/// is, or in the bytes after the last block, eight bytes at a time (see [`ascii_digits`]).
fn first_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let mut at = 0;
    for block in rest.chunks_exact(16) {
        if block.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            break;
        }
        at += 16;
    }
    while at < rest.len() {
        let word = match rest.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
            None => {
                // The last few bytes, followed by zeros, which are no digits.
                let mut eight = [0; 8];
                eight[..rest.len() - at].copy_from_slice(&rest[at..]);
                u64::from_le_bytes(eight)
            }
        };
        let digits = ascii_digits(word);
        if digits != 0 {
            return Some(from + at + digits.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    None
}

/// The high bit of each byte of `word` that is an ASCII digit, the others clear. A digit's
/// byte XOR `0x30` is below 10 and every other byte's is not (or has its high bit set):
/// adding `0x80 - 10` to its low seven bits sets the high bit of those that are 10 or more,
/// and carries into no other byte.
fn ascii_digits(word: u64) -> u64 {
    const EACH: u64 = u64::from_le_bytes([1; 8]);
    let x = word ^ (0x30 * EACH);
    let ten_or_more = (x & (0x7F * EACH)) + ((0x80 - 10) * EACH);
    !(ten_or_more | x) & (0x80 * EACH)
}

/// The first ASCII digit at or after `from` that can start a token: digits that go on a token
/// (`AMIM-20`, `COVID-19`, `G20`), which every sentence with a meeting has, are passed over.
fn first_number_start(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let digit = first_digit(bytes, from)?;
        if !goes_on_a_token(bytes, digit) {
            return Some(digit);
        }
        from = digit + 1;
    }
}

/// Whether the character at `at` is inside a token that starts before it: after an ASCII
/// letter or digit, or after one and a joiner (`-`, `/`, `+`, `&`), which joins it then (see
/// [`super::prose::tokens`]).
fn goes_on_a_token(bytes: &[u8], at: usize) -> bool {
    let before = |k: usize| at.checked_sub(k).map(|i| bytes[i]);
    before(1).is_some_and(|b| b.is_ascii_alphanumeric())
        || (before(1).is_some_and(|b| matches!(b, b'-' | b'/' | b'+' | b'&'))
            && before(2).is_some_and(|b| b.is_ascii_alphanumeric()))
}

/// Where to start reading tokens of `s` to read the token before the first one that starts
/// with a digit at or after `digit` (none starts with one between `from` and `digit`): a
/// clean start (see [`is_clean_break`]) no earlier than `from`, which is one. No date starts
/// at a token before that token.
///
/// That token starts after the last clean break before `digit` when a token starts there at
/// all (`June,2021`); otherwise it holds the last word character before that break, and
/// starts after the clean break before that character.
fn start_before(s: &str, from: usize, digit: usize) -> usize {
    let bytes = s.as_bytes();
    let clean_before = |end: usize| {
        bytes[from..end]
            .iter()
            .rposition(|&b| is_clean_break(b))
            .map(|i| from + i)
    };
    let Some(brk) = clean_before(digit) else {
        return from;
    };
    let Some((word, _)) = s[from..brk]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_word_char(c))
    else {
        return from;
    };
    clean_before(from + word).map_or(from, |i| i + 1)
}

/// Whether a byte of the text is a clean break: an ASCII character that is neither a letter,
/// a digit nor a joiner (`-`, `/`, `+`, `&`), which no token takes in (see
/// [`super::prose::tokens`]). Reading tokens from just after one gives the tokens that start
/// there or later, as reading the whole text would.
///
/// Looked up in a table: [`start_before`] asks it of each byte it reads back.
fn is_clean_break(b: u8) -> bool {
    CLEAN_BREAKS[usize::from(b)]
}

/// [`is_clean_break`] for each byte.
const CLEAN_BREAKS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        table[b as usize] = !b.is_ascii_alphanumeric() && !matches!(b, b'-' | b'/' | b'+' | b'&');
        b += 1;
    }
    table
};

/// Whether a token starts with a digit. Every date has its first or second token start with
/// one (`2021`, `29/9/2010`, `7 June 2023`; `June 2023`, `in 2021`, `tháng 6-2023`, `ngày
/// 29-9`), so a date is tried only where that is so: most words are not next to a number.
fn starts_with_digit(t: &Token) -> bool {
    t.text.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// Whether a date can start with `word`: a number, an English month, `in`, or a Vietnamese
/// word that introduces a date (`tháng`, `năm`, `ngày`, `sáng`, `chiều`, `tối`, `trưa`,
/// `đêm`). Most words cannot, and this costs less than trying every form of date.
fn may_start_date(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                'J' | 'F'
                    | 'M'
                    | 'A'
                    | 'S'
                    | 'O'
                    | 'N'
                    | 'D'
                    | 'i'
                    | 'I'
                    | 't'
                    | 'T'
                    | 'n'
                    | 's'
                    | 'c'
                    | 'C'
                    | 'đ'
                    | 'Đ'
            )
    })
}

/// A date starting at token `i`, and how many tokens it takes.
#[cfg(test)]
fn date_at(mut t: &[Token], i: usize) -> Option<(Stated, usize)> {
    let at = t.get(i)?;
    date_from(&mut t, i, at)
}

/// A date starting at token `i`, which is `at`, and how many tokens it takes.
fn date_from<'t>(t: &mut impl Tokens<'t>, i: usize, at: &Token) -> Option<(Stated, usize)> {
    // Most dates are tried at a number, which two forms of date read: its numbers are read
    // once.
    let first = numbers(at);
    english_date(t, i, at, &first)
        .or_else(|| vietnamese_date(t, i, at))
        .or_else(|| {
            compound_of(at, &first, false)
                .filter(|st| st.year.is_some())
                .map(|st| (st, 1))
        })
}

/// `June 7, 2023`, `June 2023`, `October 31`, `7 June 2023`, `in 2021`, starting at token
/// `i`, which is `at`, whose numbers are `first`.
fn english_date<'t>(
    t: &mut impl Tokens<'t>,
    i: usize,
    at: &Token,
    first: &Numbers,
) -> Option<(Stated, usize)> {
    let span_to = |end: &Token| at.span.start..end.span.end;
    let named = |token: &Token| {
        month_of(token.text).map(|value| Part {
            value,
            span: token.span.clone(),
            named: true,
        })
    };
    if let Some(month) = named(at) {
        let next = t.get(i + 1)?;
        // A day or a year: the token's numbers are read once for both.
        let n = numbers(&next);
        if let Some(day) = number_in(&n, 1, 31) {
            if let Some(after) = t.get(i + 2)
                && let Some(y) = year(&after)
            {
                let span = span_to(&after);
                return Some((Stated::new(span, Some(y), Some(month), Some(day)), 3));
            }
            return Some((Stated::new(span_to(&next), None, Some(month), Some(day)), 2));
        }
        let y = year_in(&n)?;
        return Some((Stated::new(span_to(&next), Some(y), Some(month), None), 2));
    }
    if let Some(day) = number_in(first, 1, 31)
        && let Some(month) = t.get(i + 1).and_then(|x| named(&x))
        && let Some(after) = t.get(i + 2)
        && let Some(y) = year(&after)
    {
        return Some((
            Stated::new(span_to(&after), Some(y), Some(month), Some(day)),
            3,
        ));
    }
    if at.text.eq_ignore_ascii_case("in") {
        let y = year(&t.get(i + 1)?)?;
        return Some((Stated::new(y.span.clone(), Some(y), None, None), 2));
    }
    None
}

/// `tháng 6-2023`, `tháng 6/2023`, `tháng 6 năm 2023`, `tháng 6`, `năm 2021`, `ngày 29-9`,
/// `chiều 2/8`, `ngày 23-2-2021`, starting at token `i`, which is `at`.
fn vietnamese_date<'t>(t: &mut impl Tokens<'t>, i: usize, at: &Token) -> Option<(Stated, usize)> {
    let span_to = |end: &Token| at.span.start..end.span.end;
    // Most tokens a date is tried at are numbers, and no word starts with a digit.
    if at.text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let w = DATE_WORDS
        .into_iter()
        .find(|w| lower_cases_to(at.text, w))?;
    match w {
        "tháng" => {
            let next = t.get(i + 1)?;
            // A month and a year, or a month: the token's numbers are read once for both.
            let n = numbers(&next);
            if let Some(mut st) = compound_of(&next, &n, true) {
                st.span = span_to(&next);
                return Some((st, 2));
            }
            let month = number_in(&n, 1, 12)?;
            if t.get(i + 2)
                .is_some_and(|x| x.text.eq_ignore_ascii_case("năm"))
                && let Some(last) = t.get(i + 3)
                && let Some(y) = year(&last)
            {
                return Some((Stated::new(span_to(&last), Some(y), Some(month), None), 4));
            }
            Some((Stated::new(span_to(&next), None, Some(month), None), 2))
        }
        "năm" => {
            let next = t.get(i + 1)?;
            let y = year(&next)?;
            Some((Stated::new(span_to(&next), Some(y), None, None), 2))
        }
        w if DAY_PARTS.contains(&w) => {
            let next = t.get(i + 1)?;
            let mut st = compound(&next, false)?;
            st.span = next.span;
            Some((st, 2))
        }
        _ => None,
    }
}

/// The rule's functions as they were before they were made cheaper, which the tests compare
/// with.
#[cfg(test)]
mod reference {
    use std::collections::BTreeSet;

    use super::*;
    use crate::rules::prose::sentence_around;

    /// [`super::facts`], as a list.
    fn facts(ctx: &Context, sentence: &Range<usize>, mentions: &[Mention]) -> Vec<Fact> {
        let mut found = Vec::new();
        super::facts(ctx, sentence, mentions, &mut found, &mut Vec::new());
        found
    }

    /// [`super::check`] as it was before it passed over sentences without a meeting that has
    /// facts to compare.
    pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
        let lx = ctx.engine.lexicon();
        let is_edition = |m: &Mention| {
            m.entity.edition.is_some() || lx.record(m.entity.record).kind == Kind::Meeting
        };
        let mut out = Vec::new();
        // Facts already judged, by span: a sentence with several meetings is read once. An
        // article has a few dozen such facts: ordered, they are found without hashing.
        let mut judged: BTreeSet<(usize, usize)> = BTreeSet::new();
        // The last sentence read. Mentions come in text order, so the meetings of one sentence
        // come one after another, and every fact of a sentence is judged when it is first read:
        // reading it again for the next meeting would find nothing left to judge.
        let mut read: Option<Range<usize>> = None;
        for m in ctx.analysis.mentions.iter().filter(|m| is_edition(m)) {
            let sentence = sentence_around(ctx.text, &m.span);
            if read.as_ref() == Some(&sentence) {
                continue;
            }
            read = Some(sentence.clone());
            let inside = mentions_within(ctx.analysis, &sentence);
            // What a date or place can be about: anything but people and places.
            let subjects: Vec<&Mention> = inside
                .iter()
                .filter(|e| !matches!(lx.record(e.entity.record).kind, Kind::Place | Kind::Person))
                .collect();
            for fact in facts(ctx, &sentence, inside) {
                let span = fact.span();
                if !judged.insert((span.start, span.end)) {
                    continue;
                }
                // A fact in parentheses is about what precedes them: `lần thứ ba (năm 2010), …`.
                let before_only = in_parentheses(ctx.text, &sentence, &span);
                let candidates = subjects
                    .iter()
                    .copied()
                    .filter(|o| !before_only || o.span.end <= span.start);
                let owner = nearest(ctx.text, candidates, &span)
                    .filter(|&(o, gap)| is_edition(o) && gap <= MAX_GAP_WORDS);
                if let Some(raw) = owner.and_then(|(o, _)| verify(ctx, o, fact)) {
                    out.push(raw);
                }
            }
        }
        out
    }

    /// [`super::after_locative`] as it was before it compared the locatives' lengths of text.
    pub fn after_locative(text: &str, at: usize) -> bool {
        let before = text[..at].trim_end();
        let word = before
            .rsplit(|c: char| !crate::rules::prose::is_word_char(c))
            .next()
            .unwrap_or("");
        let is = |l: &str| word.chars().flat_map(char::to_lowercase).eq(l.chars());
        before.len() < at && LOCATIVES.into_iter().any(is)
    }

    /// [`super::month_of`] as it was before it told the month from the first three letters.
    pub fn month_of(word: &str) -> Option<u32> {
        if !word.starts_with(['J', 'F', 'M', 'A', 'S', 'O', 'N', 'D']) {
            return None;
        }
        let i = crate::lexicon::MONTHS_EN.iter().position(|m| {
            *m == word
                || (word.len() >= 3 && m.starts_with(word) && word.starts_with(char::is_uppercase))
                || (word == "Sept" && *m == "September")
        })?;
        Some(i as u32 + 1)
    }

    /// [`super::agrees`] as it was before it compared arrays rather than collected vectors.
    pub fn agrees(stated: &Stated, start: Date, end: Option<Date>) -> bool {
        let fields = |d: Date| {
            [
                Some(u32::from(d.year)),
                d.month.map(u32::from),
                d.day.map(u32::from),
            ]
        };
        let said = [&stated.year, &stated.month, &stated.day].map(|p| p.as_ref().map(|p| p.value));
        let (a, b) = (fields(start), fields(end.unwrap_or(start)));
        let shared: Vec<usize> = (0..3)
            .filter(|&i| said[i].is_some() && a[i].is_some() && b[i].is_some())
            .collect();
        let pick =
            |x: [Option<u32>; 3]| -> Vec<u32> { shared.iter().filter_map(|&i| x[i]).collect() };
        shared.is_empty() || (pick(a) <= pick(said) && pick(said) <= pick(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::prose::sentence_around;
    use crate::rules::test_support::{fixed, run};

    const RULE: &str = "edition-mismatch";

    /// What [`lower_cases_to`] tells a word by before lower-casing it: a character that
    /// lower-cases to letters of date words or locatives is as long as what it lower-cases
    /// to; and [`after_locative`], that it is a word character.
    #[test]
    fn words_that_lower_case_to_date_words_are_as_long_as_them() {
        let letters: String = DATE_WORDS.concat() + &LOCATIVES.concat();
        let mut seen = 0;
        for c in '\0'..=char::MAX {
            let lower: String = c.to_lowercase().collect();
            if lower.chars().all(|l| letters.contains(l)) {
                assert_eq!(c.len_utf8(), lower.len(), "{c:?}");
                assert!(super::super::prose::is_word_char(c), "{c:?}");
                seen += 1;
            }
        }
        assert!(seen > 2 * 20, "{seen}");
        for (word, lower) in [
            ("Tại", "tại"),
            ("TẠI", "tại"),
            ("Ở", "ở"),
            ("iN", "in"),
            ("AT", "at"),
            ("THÁNG", "tháng"),
        ] {
            assert!(lower_cases_to(word, lower), "{word}");
        }
        for (word, lower) in [
            ("tai", "tại"),
            ("Ô", "ở"),
            ("im", "in"),
            ("a", "at"),
            ("tháng", "thánh"),
        ] {
            assert!(!lower_cases_to(word, lower), "{word}");
        }
        let words = ["tháng", "năm"].into_iter().chain(DAY_PARTS);
        assert!(words.eq(DATE_WORDS));
        assert_eq!(
            stated("THÁNG 6-2023, Chiều 2/8, ĐÊM 5/6, NgÀy 1/2, tháng 6, thÁng 7, tHáng 8"),
            [
                (Some(2023), Some(6), None, "THÁNG 6-2023"),
                (None, Some(8), Some(2), "2/8"),
                (None, Some(6), Some(5), "5/6"),
                (None, Some(2), Some(1), "1/2"),
                (None, Some(6), None, "tháng 6"),
                (None, Some(7), None, "thÁng 7"),
                (None, Some(8), None, "tHáng 8"),
            ]
        );
        // Words as long as a date word, with its ASCII letters, that are not one.
        assert!(stated("thXXng 6, tháns 6, thàng 6, nxxm 2021, ngàyx 1/2").is_empty());
    }

    /// [`numbers`] as it was before it read bytes: the token split at `-` and `/`, each part
    /// parsed. The reference the tests compare with.
    fn numbers_reference(t: &Token) -> Vec<(u32, Range<usize>)> {
        let mut out = Vec::new();
        if !t.text.starts_with(|c: char| c.is_ascii_digit()) {
            return out;
        }
        let mut at = t.span.start;
        for piece in t.text.split(['-', '/']) {
            let span = at..at + piece.len();
            at = span.end + 1;
            match piece.parse::<u32>() {
                Ok(n) if piece.bytes().all(|b| b.is_ascii_digit()) && out.len() < 3 => {
                    out.push((n, span));
                }
                _ => return Vec::new(),
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 5000, failure_persistence: None, ..Default::default()
        })]

        #[test]
        fn numbers_read_as_parsed(
            text in "[0-9]{0,11}([-/+a][0-9]{0,11}){0,4}|[0-9/+a-]{0,14}|4294967[0-9]{3}",
            at in 0usize..100,
        ) {
            let t = Token { span: at..at + text.len(), text: &text };
            let (got, want) = (numbers(&t), numbers_reference(&t));
            proptest::prop_assert_eq!(got.as_slice(), want.as_slice());
        }
    }

    /// Year, month, day and the text of a stated date.
    type Read<'a> = (Option<u32>, Option<u32>, Option<u32>, &'a str);

    #[test]
    fn every_date_starts_where_may_start_date_allows() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .collect();
        texts.push(
            "Sept 2021, Oct 5 2020, 7 June 2023, in 2021, In 2020, THÁNG 6-2023, Tháng 6 năm \
             2023, Năm 2021, NGÀY 29-9, Sáng 2/8, Chiều 2/8, Tối 3/4, Trưa 4/5, Đêm 5/6, \
             29/9/2010, 2023-06-07"
                .into(),
        );
        let mut found = 0;
        for text in &texts {
            let toks: Vec<Token> = tokens(text).collect();
            for i in 0..toks.len() {
                if date_at(&toks[..], i).is_some() {
                    found += 1;
                    assert!(may_start_date(toks[i].text), "{:?}", toks[i].text);
                }
            }
        }
        assert!(found > 30, "{found} dates");
    }

    /// The dates [`super::dates`] finds in `sentence`, as a list.
    fn dates(text: &str, sentence: &Range<usize>) -> Vec<Stated> {
        let mut found = Vec::new();
        super::dates(text, sentence, &mut found, &mut Vec::new());
        found
            .into_iter()
            .map(|f| match f {
                Fact::Date(st) => st,
                Fact::Place(..) => unreachable!("dates finds dates only"),
            })
            .collect()
    }

    /// [`dates`] as it reads without skipping: every token of the sentence is tried.
    fn dates_reading_every_token(text: &str, sentence: &Range<usize>) -> Vec<Stated> {
        let toks: Vec<Token> = tokens(&text[sentence.clone()])
            .map(|t| Token {
                span: t.span.start + sentence.start..t.span.end + sentence.start,
                text: t.text,
            })
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match date_at(&toks[..], i).filter(|_| may_start_date(toks[i].text)) {
                Some((st, used)) => {
                    out.push(st);
                    i += used;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Words and separators that dates are made of, and others that look like them.
    const PIECES: [&str; 54] = [
        "June",
        "Sept",
        "May",
        "Mayor",
        "Oct",
        "in",
        "In",
        "at",
        "tháng",
        "THÁNG",
        "Tháng",
        "năm",
        "Năm",
        "ngày",
        "chiều",
        "Đêm",
        "sáng",
        "7",
        "31",
        "2023",
        "1899",
        "02021",
        "6-2023",
        "6/2023",
        "29/9",
        "29-9",
        "23-2-2021",
        "1-2-3-2020",
        "12345678901",
        "AMIM-20",
        "20th",
        "x2021",
        "GMT+7",
        "R&D",
        "24-NQ/TW",
        "vào",
        "Hà",
        "e\u{301}",
        "\u{2013}",
        "(",
        ")",
        ",",
        ".",
        "-",
        "H2O",
        "-5",
        "a-/2",
        "ệ2",
        "ệ-2023",
        "+7",
        "'",
        "O'Neil",
        "\u{2026}",
        "\u{201c}",
    ];
    /// Locatives and words that look like them, for [`after_locative`].
    const LOCATIVE_PIECES: [&str; 14] = [
        "in",
        "IN",
        "At",
        "tại",
        "Tại",
        "TẠI",
        "ở",
        "Ở",
        "win",
        "tai",
        "ătại",
        "xở",
        "İn",
        "\u{212A}in",
    ];
    const SEPARATORS: [&str; 8] = [" ", " ", "", ", ", "\u{a0}", "\r\n", " (", "/"];

    /// A text of `PIECES` joined by `SEPARATORS`, from pairs of indices.
    fn joined(parts: &[(usize, usize)]) -> String {
        parts
            .iter()
            .map(|&(p, s)| format!("{}{}", PIECES[p], SEPARATORS[s]))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn dates_skips_only_words_no_date_starts_at(
            parts in proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 0..24),
            cut in 0..8usize,
        ) {
            let text = joined(&parts);
            let start = super::super::prose::floor_char_boundary(&text, cut);
            for sentence in [0..text.len(), start..text.len()] {
                proptest::prop_assert_eq!(
                    dates(&text, &sentence),
                    dates_reading_every_token(&text, &sentence)
                );
            }
        }

        #[test]
        fn ascii_digits_are_the_digits_of_a_word(word in proptest::num::u64::ANY, digits in proptest::num::u64::ANY) {
            // Some bytes made digits, as most words of arbitrary bits hold none.
            let bytes: [u8; 8] = std::array::from_fn(|i| {
                let b = word.to_le_bytes()[i];
                if digits >> (8 * i) & 3 == 0 { b'0' + b % 10 } else { b }
            });
            let want: u64 = (0..8)
                .filter(|&i| bytes[i].is_ascii_digit())
                .map(|i| 0x80 << (8 * i))
                .sum();
            proptest::prop_assert_eq!(ascii_digits(u64::from_le_bytes(bytes)), want);
        }

        #[test]
        fn first_digit_finds_the_first_digit(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"a 5\xc3\xa0-/:09\xb0\xb9\x00".to_vec()),
                0..80,
            ),
            from in 0..80usize,
        ) {
            let from = from.min(bytes.len());
            let want = bytes[from..].iter().position(u8::is_ascii_digit).map(|i| from + i);
            proptest::prop_assert_eq!(first_digit(&bytes, from), want);
        }

        #[test]
        fn nearest_finds_the_mention_fewest_words_away(
            parts in proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 1..24),
            picks in proptest::collection::vec(proptest::bool::ANY, 24),
            fact in 0..24usize,
        ) {
            let text = joined(&parts);
            let toks: Vec<Token> = tokens(&text).collect();
            proptest::prop_assume!(!toks.is_empty());
            let fact = toks[fact % toks.len()].span.clone();
            let mentions: Vec<Mention> = toks
                .iter()
                .zip(&picks)
                .filter(|&(t, &pick)| pick && t.span != fact)
                .map(|(t, _)| Mention {
                    span: t.span.clone(),
                    entity: EntityRef { record: RecordId(0), edition: None },
                    candidates: Default::default(),
                    via: crate::matcher::Via::Alias,
                })
                .collect();
            // As it was written first: every gap counted in full, the first of the least.
            let want = mentions
                .iter()
                .map(|m| (m, words_between(&text, &m.span, &fact, usize::MAX)))
                .min_by_key(|&(m, gap)| (gap, m.span.start > fact.start))
                .filter(|&(_, gap)| gap <= MAX_GAP_WORDS);
            let got = nearest(&text, mentions.iter(), &fact)
                .filter(|&(_, gap)| gap <= MAX_GAP_WORDS);
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn month_of_as_it_was(
            word in "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|jun|Ju|M|S|Đ)?(uary|ruary|ch|il|e|y|t|ust|tember|ober|ember|[a-zé]{0,6})",
        ) {
            proptest::prop_assert_eq!(month_of(&word), reference::month_of(&word), "{}", word);
        }

        #[test]
        fn after_locative_as_it_was(
            parts in proptest::collection::vec(
                (0..PIECES.len() + LOCATIVE_PIECES.len(), 0..SEPARATORS.len()),
                0..12,
            ),
        ) {
            let text: String = parts
                .iter()
                .map(|&(p, s)| {
                    let piece = PIECES.get(p).unwrap_or_else(|| &LOCATIVE_PIECES[p - PIECES.len()]);
                    format!("{piece}{}", SEPARATORS[s])
                })
                .collect();
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                proptest::prop_assert_eq!(
                    after_locative(&text, at),
                    reference::after_locative(&text, at),
                    "{:?} at {}", text, at
                );
            }
        }

        #[test]
        fn no_token_that_starts_with_a_digit_goes_on_a_token(
            parts in proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 0..16),
        ) {
            let text = joined(&parts);
            for t in tokens(&text).filter(starts_with_digit) {
                proptest::prop_assert!(!goes_on_a_token(text.as_bytes(), t.span.start), "{:?}", t);
            }
        }

        #[test]
        fn every_date_has_a_number_in_its_first_two_tokens(
            parts in proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 0..12),
        ) {
            let text = joined(&parts);
            let toks: Vec<Token> = tokens(&text).collect();
            for i in 0..toks.len() {
                if date_at(&toks[..], i).is_some() {
                    proptest::prop_assert!(
                        toks[i..].iter().take(2).any(starts_with_digit),
                        "{:?}",
                        &toks[i..]
                    );
                }
            }
        }
    }

    /// The pieces the texts that compare [`check`] with [`reference::check`] are made of:
    /// meetings with and without facts, dates, places, sentence ends, a name broken across
    /// lines, and a long stretch without a sentence end.
    const PROSE: [&str; 34] = [
        "AMIM-17",
        "AMIM-19",
        "AMIM-20",
        "AMIM-21",
        "the 20th ASEAN Military\nIntelligence Meeting",
        "Đại hội XIII",
        "AMIM",
        "Covid-19",
        "Trần Công Chính",
        "in",
        "at",
        "tại",
        "Bangkok",
        "Phnom Penh",
        "Hanoi",
        "Cambodia",
        "June 2021",
        "June 2023",
        "tháng 6-2021",
        "năm 2020",
        "22 September 2020",
        "2022",
        "(",
        ")",
        ".",
        "\n",
        "\r\n",
        "…",
        "!",
        "U.S.",
        "was held",
        "3.5",
        "words without an end, ",
        "a long stretch of words without any end to a sentence, ",
    ];

    /// What a finding says, to compare.
    fn seen(raws: Vec<Raw>) -> Vec<String> {
        raws.into_iter()
            .map(|r| format!("{:?} {} {:?} {:?}", r.span, r.message, r.fixes, r.related))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, failure_persistence: None, ..Default::default()
        })]

        #[test]
        fn check_finds_what_reading_every_sentence_finds(
            parts in proptest::collection::vec((0..PROSE.len(), 0..3usize, 1..40usize), 0..40),
        ) {
            // A piece, a separator, and for the long stretch how many times it is repeated.
            let text: String = parts
                .iter()
                .map(|&(p, sep, times)| {
                    let times = if p + 1 == PROSE.len() { times } else { 1 };
                    format!("{}{}", PROSE[p].repeat(times), [" ", ", ", ""][sep])
                })
                .collect();
            let engine = crate::rules::test_support::engine();
            let analysis = engine.analyze(&text);
            let config = crate::config::Config::default();
            let ctx = Context {
                engine: &engine,
                text: &text,
                analysis: &analysis,
                config: &config,
                path: None,
            };
            let shared = Shared::new(&text);
            proptest::prop_assert_eq!(
                seen(check(&ctx, &shared)),
                seen(reference::check(&ctx, &shared))
            );
        }

        #[test]
        fn agrees_as_it_did(
            said in proptest::array::uniform3(proptest::option::of(0u32..4)),
            start in (0u16..3, proptest::option::of(1u8..3), proptest::option::of(1u8..3)),
            end in proptest::option::of((0u16..3, proptest::option::of(1u8..3), proptest::option::of(1u8..3))),
        ) {
            let part = |v: Option<u32>| v.map(|value| Part { value, span: 0..0, named: false });
            let stated = Stated::new(0..0, part(said[0]), part(said[1]), part(said[2]));
            // A day only with a month, as the lexicon's dates are.
            let date = |(year, month, day): (u16, Option<u8>, Option<u8>)| Date {
                year: 2000 + year,
                month,
                day: day.filter(|_| month.is_some()),
            };
            let (start, end) = (date(start), end.map(date));
            proptest::prop_assert_eq!(
                agrees(&stated, start, end),
                reference::agrees(&stated, start, end)
            );
        }

        /// Sentences around later mentions start no earlier, which [`judge_passed`] needs.
        #[test]
        fn sentences_around_later_mentions_start_no_earlier(
            parts in proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 1..40),
            long in 0..4usize,
            a in 0..48usize,
            b in 0..48usize,
        ) {
            // Pieces, with a stretch without a sentence end longer than a sentence is searched
            // for at times.
            let mut text = joined(&parts);
            let middle = super::super::prose::floor_char_boundary(&text, text.len() / 2);
            text.insert_str(middle, &"word ".repeat([0, 100, 250, 400][long]));
            let toks: Vec<Token> = tokens(&text).collect();
            proptest::prop_assume!(!toks.is_empty());
            let (a, b) = (a % toks.len(), b % toks.len());
            let (a, b) = (a.min(b), a.max(b));
            let sa = sentence_around(&text, &toks[a].span);
            let sb = sentence_around(&text, &toks[b].span);
            proptest::prop_assert!(sa.start <= sb.start, "{:?} {:?}", sa, sb);
        }
    }

    #[test]
    fn a_sentence_without_facts_to_compare_still_hides_its_facts_from_an_overlapping_one() {
        // The name broken across lines makes the sentence around it overlap the next line's.
        for t in [
            "AMIM-21 in June 2021 and the 20th ASEAN Military\nIntelligence Meeting in June 2021.",
            "AMIM-21 in June 2021, AMIM-20\nin June 2021.",
        ] {
            let engine = crate::rules::test_support::engine();
            let analysis = engine.analyze(t);
            let config = crate::config::Config::default();
            let ctx = Context {
                engine: &engine,
                text: t,
                analysis: &analysis,
                config: &config,
                path: None,
            };
            let shared = Shared::new(t);
            assert_eq!(
                seen(check(&ctx, &shared)),
                seen(reference::check(&ctx, &shared)),
                "{t}"
            );
        }
    }

    #[test]
    fn reading_around_numbers_finds_what_reading_everything_finds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
        let mut found = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else {
                continue;
            };
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                let sentence = at..at + line.len();
                at = sentence.end;
                let want = dates_reading_every_token(&text, &sentence);
                assert_eq!(dates(&text, &sentence), want, "{line}");
                found += want.len();
            }
            assert_eq!(
                dates(&text, &(0..text.len())),
                dates_reading_every_token(&text, &(0..text.len()))
            );
        }
        assert!(found > 30, "{found} dates");
    }

    #[test]
    fn a_token_of_more_than_three_numbers_is_no_date() {
        assert!(stated("1-2-3-2020, 1/2/3/2020, tháng 1-2-3-2020").is_empty());
        assert_eq!(
            stated("12/3/2020"),
            [(Some(2020), Some(3), Some(12), "12/3/2020")]
        );
    }

    fn stated(text: &str) -> Vec<Read<'_>> {
        dates(text, &(0..text.len()))
            .into_iter()
            .map(|s| {
                let v = |p: &Option<Part>| p.as_ref().map(|p| p.value);
                (v(&s.year), v(&s.month), v(&s.day), &text[s.span])
            })
            .collect()
    }

    #[test]
    fn reads_dates_in_both_languages() {
        assert_eq!(
            stated("in June 2021, on June 7, 2023, 7 June 2023, on October 31, in 2021"),
            [
                (Some(2021), Some(6), None, "June 2021"),
                (Some(2023), Some(6), Some(7), "June 7, 2023"),
                (Some(2023), Some(6), Some(7), "7 June 2023"),
                (None, Some(10), Some(31), "October 31"),
                (Some(2021), None, None, "2021"),
            ]
        );
        assert_eq!(
            stated(
                "vào tháng 9-2020, tháng 6/2023, tháng 6 năm 2023, năm 2021, ngày 29-9, chiều 2/8, 23-2-2021"
            ),
            [
                (Some(2020), Some(9), None, "tháng 9-2020"),
                (Some(2023), Some(6), None, "tháng 6/2023"),
                (Some(2023), Some(6), None, "tháng 6 năm 2023"),
                (Some(2021), None, None, "năm 2021"),
                (None, Some(9), Some(29), "29-9"),
                (None, Some(8), Some(2), "2/8"),
                (Some(2021), Some(2), Some(23), "23-2-2021"),
            ]
        );
        assert!(stated("280/290 dòng hành động, 24-NQ/TW, May be, năm nay").is_empty());
    }

    #[test]
    fn flags_a_contradicting_date_and_fixes_it_in_the_text_style() {
        let t = "The paper was approved at AMIM-20 in June 2021, officials said.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The paper was approved at AMIM-20 in [[June 2021]], officials said."
        );
        assert_eq!(
            f[0].message,
            "`AMIM-20` took place in June 2023 according to the lexicon, not `June 2021`"
        );
        assert!(fixed(t, &f).contains("AMIM-20 in June 2023,"));
        let t = "Tài liệu được thông qua tại AMIM-20 vào tháng 6-2021.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "Tài liệu được thông qua tại AMIM-20 vào [[tháng 6-2021]]."
        );
        assert!(fixed(t, &f).ends_with("vào tháng 6-2023."));
    }

    #[test]
    fn clean_breaks_are_ascii_but_letters_digits_and_joiners() {
        for b in 0..=u8::MAX {
            let want = b.is_ascii()
                && !b.is_ascii_alphanumeric()
                && !matches!(b, b'-' | b'/' | b'+' | b'&');
            assert_eq!(is_clean_break(b), want, "{b:#x}");
        }
        assert!(is_clean_break(b' ') && !is_clean_break(b'a') && !is_clean_break(0xC3));
    }

    #[test]
    fn months_are_named_as_they_were() {
        let mut named = 0;
        for m in crate::lexicon::MONTHS_EN {
            for k in 0..=m.len() {
                let w = &m[..k];
                for w in [
                    w.to_owned(),
                    format!("{w}s"),
                    w.to_uppercase(),
                    w.to_lowercase(),
                ] {
                    assert_eq!(month_of(&w), reference::month_of(&w), "{w}");
                    named += usize::from(month_of(&w).is_some());
                }
            }
        }
        assert!(named > 50, "{named}");
        assert_eq!(month_of("Sept"), Some(9));
        assert_eq!(month_of("Mayor"), None);
    }

    #[test]
    fn places_are_read_after_locatives_only() {
        let t = "in Bangkok, IN Bangkok, Tại Bangkok, ở  Bangkok, Bangkok, win Bangkok, đi tới \
                 Bangkok, (Bangkok), xin Bangkok, ătại Bangkok, in-Bangkok";
        let after: Vec<bool> = t
            .match_indices("Bangkok")
            .map(|(at, _)| after_locative(t, at))
            .collect();
        assert_eq!(
            after,
            [
                true, true, true, true, false, false, false, false, false, false, false
            ]
        );
    }

    #[test]
    fn flags_a_contradicting_place() {
        let t = "The 19th ASEAN Military Intelligence Meeting (AMIM-19), in Bangkok, was short.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The 19th ASEAN Military Intelligence Meeting (AMIM-19), in [[Bangkok]], was short."
        );
        assert_eq!(
            f[0].message,
            "`AMIM-19` took place in Phnom Penh according to the lexicon, not `Bangkok`"
        );
    }

    #[test]
    fn matching_facts_other_sentences_and_unknown_editions_pass() {
        for t in [
            "It was proposed at AMIM-17 in September 2020 and adopted at AMIM-20 in June 2023.",
            "AMIM-17 opened on 22 September 2020. In June 2021, nothing happened.",
            "Hội nghị AMIM-17 diễn ra vào tháng 9/2020.",
            "AMIM-19 was held in Cambodia in 2022.",
            "AMIM-21 in June 2099 in Bangkok.",
            "AMIM met in 2019 in Bangkok.",
            "The Convention of 1982 was praised, and a goal set for 2050 at the 20th ASEAN Military Intelligence Meeting.",
            "AMIM-20 was a chance to look back at the whole story of the community and plan for the years after 2025.",
            "Có hai sự kiện là AMIM-17 (năm 2020), AMIM-20 (năm 2023).",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }

    #[test]
    fn dates_agree_at_the_shared_precision() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let st = |y: Option<u32>, m: Option<u32>, day: Option<u32>| Stated {
            span: 0..0,
            year: y.map(|value| Part {
                value,
                span: 0..0,
                named: false,
            }),
            month: m.map(|value| Part {
                value,
                span: 0..0,
                named: false,
            }),
            day: day.map(|value| Part {
                value,
                span: 0..0,
                named: false,
            }),
        };
        assert!(agrees(
            &st(Some(2023), Some(6), None),
            d("2023-06-07"),
            None
        ));
        assert!(agrees(
            &st(Some(2023), Some(6), Some(8)),
            d("2023-06-07"),
            Some(d("2023-06-09"))
        ));
        assert!(!agrees(
            &st(Some(2023), Some(6), Some(10)),
            d("2023-06-07"),
            Some(d("2023-06-09"))
        ));
        assert!(agrees(&st(None, Some(10), Some(31)), d("2024-10-31"), None));
        assert!(!agrees(&st(Some(2021), Some(6), None), d("2023-06"), None));
        assert!(agrees(&st(Some(2023), Some(6), Some(1)), d("2023"), None));
    }
}
