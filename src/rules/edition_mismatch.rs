//! `edition-mismatch`: a meeting whose date or place stated in the same sentence contradicts
//! its lexicon record.

use std::collections::HashSet;
use std::ops::Range;

use super::prose::{Token, sentence_around, tokens};
use super::{Context, Edit, Fix, Raw, RuleInfo, mentions_within};
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

pub fn check(ctx: &Context) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    let is_edition = |m: &Mention| {
        m.entity.edition.is_some() || lx.record(m.entity.record).kind == Kind::Meeting
    };
    let mut out = Vec::new();
    // Facts already judged, by span: a sentence with several meetings is read once.
    let mut judged: HashSet<(usize, usize)> = HashSet::new();
    // The facts of the last sentence read: mentions come in text order, so the meetings of
    // one sentence come one after another.
    let mut read: Option<(Range<usize>, Vec<Fact>)> = None;
    for m in ctx.analysis.mentions.iter().filter(|m| is_edition(m)) {
        let sentence = sentence_around(ctx.text, &m.span);
        let inside = mentions_within(ctx.analysis, &sentence);
        // What a date or place can be about: anything but people and places.
        let subjects: Vec<&Mention> = inside
            .iter()
            .filter(|e| !matches!(lx.record(e.entity.record).kind, Kind::Place | Kind::Person))
            .collect();
        let stated = match &read {
            Some((s, facts)) if *s == sentence => facts.clone(),
            _ => {
                let facts = facts(ctx, &sentence, inside);
                read = Some((sentence.clone(), facts.clone()));
                facts
            }
        };
        for fact in stated {
            let span = fact.span();
            if !judged.insert((span.start, span.end)) {
                continue;
            }
            // A fact in parentheses is about what precedes them: `lần thứ ba (năm 2010), …`.
            let before_only = in_parentheses(ctx.text, &sentence, &span);
            let candidates: Vec<&Mention> = subjects
                .iter()
                .copied()
                .filter(|o| !before_only || o.span.end <= span.start)
                .collect();
            let owner = nearest(ctx.text, &candidates, &span).filter(|o| {
                is_edition(o) && words_between(ctx.text, &o.span, &span) <= MAX_GAP_WORDS
            });
            if let Some(raw) = owner.and_then(|o| verify(ctx, o, fact)) {
                out.push(raw);
            }
        }
    }
    out
}

/// The mention fewest words away from `span`; on a tie, the one before it (`AMIM-20 in
/// June 2021`).
fn nearest<'a>(text: &str, mentions: &[&'a Mention], span: &Range<usize>) -> Option<&'a Mention> {
    mentions.iter().copied().min_by_key(|m| {
        (
            words_between(text, &m.span, span),
            m.span.start > span.start,
        )
    })
}

/// Whether `span` is inside parentheses within `sentence`.
fn in_parentheses(text: &str, sentence: &Range<usize>, span: &Range<usize>) -> bool {
    let before = &text[sentence.start..span.start];
    let open = before
        .rfind('(')
        .is_some_and(|o| !before[o..].contains(')'));
    open && text[span.end..sentence.end].trim_start().starts_with(')')
}

/// How many words separate two spans of the text.
fn words_between(text: &str, a: &Range<usize>, b: &Range<usize>) -> usize {
    let gap = a.end.min(b.end)..a.start.max(b.start);
    if gap.start >= gap.end {
        return 0;
    }
    tokens(&text[gap]).count()
}

fn verify(ctx: &Context, m: &Mention, fact: Fact) -> Option<Raw> {
    let lx = ctx.engine.lexicon();
    let record = meeting_record(lx, m)?;
    let facts = &lx.record(record).facts;
    let written = &ctx.text[m.span.clone()];
    let related = vec![(m.span.clone(), "the meeting".to_owned())];
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
                related,
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
                related,
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
    let shared: Vec<usize> = (0..3)
        .filter(|&i| said[i].is_some() && a[i].is_some() && b[i].is_some())
        .collect();
    let pick = |x: [Option<u32>; 3]| -> Vec<u32> { shared.iter().filter_map(|&i| x[i]).collect() };
    shared.is_empty() || (pick(a) <= pick(said) && pick(said) <= pick(b))
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

/// Dates and places stated in `sentence`.
fn facts(ctx: &Context, sentence: &Range<usize>, mentions: &[Mention]) -> Vec<Fact> {
    let lx = ctx.engine.lexicon();
    let places = mentions
        .iter()
        .filter(|m| lx.record(m.entity.record).kind == Kind::Place)
        .filter(|m| after_locative(ctx.text, m.span.start))
        .map(|m| Fact::Place(m.span.clone(), m.entity.record));
    dates(ctx.text, sentence)
        .into_iter()
        .map(Fact::Date)
        .chain(places)
        .collect()
}

const LOCATIVES: [&str; 4] = ["in", "at", "tại", "ở"];

/// Whether the word before `at` is `in`, `at`, `tại` or `ở`.
fn after_locative(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let word = before
        .rsplit(|c: char| !super::prose::is_word_char(c))
        .next()
        .unwrap_or("");
    before.len() < at && LOCATIVES.contains(&word.to_lowercase().as_str())
}

const DAY_PARTS: [&str; 6] = ["ngày", "sáng", "chiều", "tối", "trưa", "đêm"];

fn month_of(word: &str) -> Option<u32> {
    let i = crate::lexicon::MONTHS_EN.iter().position(|m| {
        *m == word
            || (word.len() >= 3 && m.starts_with(word) && word.starts_with(char::is_uppercase))
            || (word == "Sept" && *m == "September")
    })?;
    Some(i as u32 + 1)
}

/// The numbers of a token such as `2021`, `6-2023`, `29/9` or `23-2-2021`, with their
/// spans; none when a part is not a number.
fn numbers(t: &Token) -> Vec<(u32, Range<usize>)> {
    if !t.text.starts_with(|c: char| c.is_ascii_digit()) {
        return Vec::new(); // the first piece is not a number
    }
    let mut out = Vec::new();
    let mut at = t.span.start;
    for piece in t.text.split(['-', '/']) {
        let span = at..at + piece.len();
        at = span.end + 1;
        match piece.parse::<u32>() {
            Ok(n) if piece.bytes().all(|b| b.is_ascii_digit()) => out.push((n, span)),
            _ => return Vec::new(),
        }
    }
    out
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

/// A token that is one number between `min` and `max`.
fn number(t: &Token, min: u32, max: u32) -> Option<Part> {
    match numbers(t).as_slice() {
        [(value, span)] => part(*value, span.clone(), min, max),
        _ => None,
    }
}

/// A token that is a year.
fn year(t: &Token) -> Option<Part> {
    match numbers(t).as_slice() {
        [(value, span)] => year_part(*value, span.clone()),
        _ => None,
    }
}

/// `D-M`, `D/M`, `D-M-YYYY`, `D/M/YYYY`; `M-YYYY` when `month_year`.
fn compound(t: &Token, month_year: bool) -> Option<Stated> {
    let n = numbers(t);
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

/// The dates stated in `sentence`, in order.
fn dates(text: &str, sentence: &Range<usize>) -> Vec<Stated> {
    let toks: Vec<Token> = tokens(&text[sentence.clone()])
        .map(|t| Token {
            span: t.span.start + sentence.start..t.span.end + sentence.start,
            text: t.text,
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !may_start_date(toks[i].text) {
            i += 1;
            continue;
        }
        match date_at(&toks, i) {
            Some((st, used)) => {
                out.push(st);
                i += used;
            }
            None => i += 1,
        }
    }
    out
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
fn date_at(t: &[Token], i: usize) -> Option<(Stated, usize)> {
    english_date(t, i)
        .or_else(|| vietnamese_date(t, i))
        .or_else(|| {
            compound(&t[i], false)
                .filter(|st| st.year.is_some())
                .map(|st| (st, 1))
        })
}

/// `June 7, 2023`, `June 2023`, `October 31`, `7 June 2023`, `in 2021`.
fn english_date(t: &[Token], i: usize) -> Option<(Stated, usize)> {
    let get = |k: usize| t.get(i + k);
    let span_to = |k: usize| t[i].span.start..t[i + k].span.end;
    let named = |k: usize| {
        let token = get(k)?;
        month_of(token.text).map(|value| Part {
            value,
            span: token.span.clone(),
            named: true,
        })
    };
    if let Some(month) = named(0) {
        let day = get(1).and_then(|x| number(x, 1, 31));
        return match (day, get(2).and_then(year)) {
            (Some(day), Some(y)) => {
                Some((Stated::new(span_to(2), Some(y), Some(month), Some(day)), 3))
            }
            (Some(day), None) => Some((Stated::new(span_to(1), None, Some(month), Some(day)), 2)),
            (None, _) => {
                let y = get(1).and_then(year)?;
                Some((Stated::new(span_to(1), Some(y), Some(month), None), 2))
            }
        };
    }
    if let (Some(day), Some(month), Some(y)) =
        (number(&t[i], 1, 31), named(1), get(2).and_then(year))
    {
        return Some((Stated::new(span_to(2), Some(y), Some(month), Some(day)), 3));
    }
    if t[i].text.eq_ignore_ascii_case("in") {
        let y = get(1).and_then(year)?;
        return Some((Stated::new(y.span.clone(), Some(y), None, None), 2));
    }
    None
}

/// `tháng 6-2023`, `tháng 6/2023`, `tháng 6 năm 2023`, `tháng 6`, `năm 2021`, `ngày 29-9`,
/// `chiều 2/8`, `ngày 23-2-2021`.
fn vietnamese_date(t: &[Token], i: usize) -> Option<(Stated, usize)> {
    let get = |k: usize| t.get(i + k);
    let span_to = |k: usize| t[i].span.start..t[i + k].span.end;
    // `to_lowercase` without allocating a string for every word of the sentence; most words
    // differ at the first letter.
    let mut lower = t[i].text.chars().flat_map(char::to_lowercase);
    let first = lower.next()?;
    let w = ["tháng", "năm"].into_iter().chain(DAY_PARTS).find(|w| {
        let mut chars = w.chars();
        chars.next() == Some(first) && lower.clone().eq(chars)
    })?;
    match w {
        "tháng" => {
            let next = get(1)?;
            if let Some(mut st) = compound(next, true) {
                st.span = span_to(1);
                return Some((st, 2));
            }
            let month = number(next, 1, 12)?;
            if get(2).is_some_and(|x| x.text.eq_ignore_ascii_case("năm"))
                && let Some(y) = get(3).and_then(year)
            {
                return Some((Stated::new(span_to(3), Some(y), Some(month), None), 4));
            }
            Some((Stated::new(span_to(1), None, Some(month), None), 2))
        }
        "năm" => {
            let y = get(1).and_then(year)?;
            Some((Stated::new(span_to(1), Some(y), None, None), 2))
        }
        w if DAY_PARTS.contains(&w) => {
            let mut st = compound(get(1)?, false)?;
            st.span = t[i + 1].span.clone();
            Some((st, 2))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{fixed, run};

    const RULE: &str = "edition-mismatch";

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
                if date_at(&toks, i).is_some() {
                    found += 1;
                    assert!(may_start_date(toks[i].text), "{:?}", toks[i].text);
                }
            }
        }
        assert!(found > 30, "{found} dates");
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
