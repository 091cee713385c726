//! The lexicon: records of organisations, meeting series, meetings, people, places,
//! documents and terms, loaded from TOML and validated (see `lexicon/README.md`).

mod date;
mod embedded;
mod load;

use crate::Map;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

pub use date::{Date, MONTHS_EN};
pub use embedded::{EMBEDDED_FILES, embedded_cache_dir, materialize_embedded};
pub use load::line_col;
pub use load::{LexiconBuilder, LexiconError};
pub(crate) use load::{default_case as default_case_of, folded_forms};

/// Index of a record in a [`Lexicon`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u32);

impl RecordId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The kind of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Organisation,
    Series,
    Meeting,
    Person,
    Place,
    Document,
    Term,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Organisation,
        Kind::Series,
        Kind::Meeting,
        Kind::Person,
        Kind::Place,
        Kind::Document,
        Kind::Term,
    ];

    /// The name used in TOML tables and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Series => "series",
            Kind::Meeting => "meeting",
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Document => "document",
            Kind::Term => "term",
        }
    }

    /// A name for people, in English and Vietnamese.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Organisation, Lang::En) => "organisation",
            (Kind::Series, Lang::En) => "meeting series",
            (Kind::Meeting, Lang::En) => "meeting",
            (Kind::Person, Lang::En) => "person",
            (Kind::Place, Lang::En) => "place",
            (Kind::Document, Lang::En) => "document",
            (Kind::Term, Lang::En) => "term",
            (Kind::Organisation, Lang::Vi) => "tổ chức",
            (Kind::Series, Lang::Vi) => "chuỗi hội nghị",
            (Kind::Meeting, Lang::Vi) => "hội nghị",
            (Kind::Person, Lang::Vi) => "nhân vật",
            (Kind::Place, Lang::Vi) => "địa danh",
            (Kind::Document, Lang::Vi) => "văn kiện",
            (Kind::Term, Lang::Vi) => "thuật ngữ",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A language of the lexicon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Vi,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }
}

/// A text in English and/or Vietnamese.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub en: Option<String>,
    pub vi: Option<String>,
}

impl Names {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Vi => self.vi.as_deref(),
        }
    }

    /// The text in `lang`, else in the other language.
    pub fn prefer(&self, lang: Lang) -> Option<&str> {
        self.get(lang).or(self.en.as_deref()).or(self.vi.as_deref())
    }
}

/// How an alias compares letter case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRule {
    Sensitive,
    Insensitive,
}

/// One way a record is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub text: String,
    pub case: CaseRule,
    pub lang: Option<Lang>,
}

/// A person's role.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Role {
    pub title: Names,
    pub rank: Names,
    pub organisation: Option<RecordId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Facts and relations of a record; which ones apply depends on the kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub parent: Option<RecordId>,
    pub founded: Option<Date>,
    pub headquarters: Option<RecordId>,
    pub members: Vec<RecordId>,
    pub organiser: Option<RecordId>,
    pub frequency: Option<String>,
    pub series: Option<RecordId>,
    pub edition: Option<u32>,
    pub date: Option<Date>,
    pub end_date: Option<Date>,
    pub place: Option<RecordId>,
    pub host: Option<RecordId>,
    pub chair: Option<RecordId>,
    pub online: Option<bool>,
    pub adopted: Vec<RecordId>,
    pub roles: Vec<Role>,
    pub category: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<RecordId>,
    pub adopted_at: Option<RecordId>,
}

/// Where a record is written: a source file and the 1-based line and column of its `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub source: usize,
    pub line: u32,
    pub column: u32,
}

/// A lexicon record.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    pub name: Names,
    pub acronyms: Vec<String>,
    pub aliases: Vec<Alias>,
    pub edition_aliases: Vec<Alias>,
    pub misspellings: Vec<String>,
    /// Phrases inside which an alias of this record is not a mention (`Pháp luật`).
    pub not_in: Vec<String>,
    pub well_known: bool,
    pub ambiguous: Vec<String>,
    pub description: Names,
    pub sources: Vec<String>,
    pub facts: Facts,
    pub location: Location,
}

impl Record {
    /// The preferred acronym.
    pub fn acronym(&self) -> Option<&str> {
        self.acronyms.first().map(String::as_str)
    }
}

/// Where a lexicon file came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary; the name is the file name under `lexicon/`.
    Embedded(&'static str),
    /// A file on disk.
    File(PathBuf),
}

/// A lexicon source file.
#[derive(Clone, Debug)]
pub struct Source {
    pub origin: Origin,
    pub text: Arc<str>,
}

impl Source {
    /// A name for messages: the path, or `lexicon/NAME` for embedded files.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Origin::Embedded(name) => format!("lexicon/{name}"),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// A validated lexicon.
#[derive(Debug)]
pub struct Lexicon {
    records: Vec<Record>,
    by_id: Map<String, RecordId>,
    editions: Map<(RecordId, u32), RecordId>,
    sources: Vec<Source>,
}

/// A record, or an edition of a series that has no record of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub record: RecordId,
    /// The edition number when the mention names an edition (of a meeting record, or of a
    /// series when there is no meeting record for it).
    pub edition: Option<u32>,
}

impl Lexicon {
    /// The lexicon built into the binary.
    pub fn embedded() -> Lexicon {
        LexiconBuilder::new()
            .with_embedded()
            .build()
            .expect("the embedded lexicon is validated by the test suite")
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn record(&self, id: RecordId) -> &Record {
        &self.records[id.index()]
    }

    pub fn get(&self, id: &str) -> Option<RecordId> {
        self.by_id.get(id).copied()
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, i: usize) -> &Source {
        &self.sources[i]
    }

    /// The meeting record of a series' edition.
    pub fn edition(&self, series: RecordId, edition: u32) -> Option<RecordId> {
        self.editions.get(&(series, edition)).copied()
    }

    /// Resolves a series and an edition number to the meeting record when one exists.
    pub fn resolve_edition(&self, series: RecordId, edition: u32) -> EntityRef {
        match self.edition(series, edition) {
            Some(m) => EntityRef {
                record: m,
                edition: Some(edition),
            },
            None => EntityRef {
                record: series,
                edition: Some(edition),
            },
        }
    }

    /// The canonical name of an entity in `lang` (falling back to the other language); for
    /// an edition without a record, the series name with the ordinal.
    pub fn label(&self, e: EntityRef, lang: Lang) -> String {
        let r = self.record(e.record);
        match (r.kind, e.edition) {
            (Kind::Series, Some(n)) => return edition_name(r, n, lang),
            (Kind::Meeting, _) if r.name.get(lang).is_none() => {
                if let (Some(s), Some(n)) = (r.facts.series, r.facts.edition) {
                    return edition_name(self.record(s), n, lang);
                }
            }
            _ => {}
        }
        r.name
            .prefer(lang)
            .map(str::to_owned)
            .or_else(|| r.acronym().map(str::to_owned))
            .unwrap_or_else(|| r.id.clone())
    }

    /// The acronym of an entity: the record's, or for an edition the series acronym with
    /// the edition number (`AMIM-21`).
    pub fn acronym(&self, e: EntityRef) -> Option<String> {
        let r = self.record(e.record);
        let (series, n) = match (r.kind, e.edition) {
            (Kind::Series, Some(n)) => (r, n),
            (Kind::Meeting, _) if r.acronyms.is_empty() => {
                (self.record(r.facts.series?), r.facts.edition?)
            }
            _ => return r.acronym().map(str::to_owned),
        };
        series.acronym().map(|a| {
            let mut out = String::with_capacity(a.len() + 4);
            out.push_str(a);
            out.push('-');
            push_decimal(&mut out, n.into());
            out
        })
    }

    /// Records that share an acronym or alias with `id` (the other senses of an ambiguous
    /// acronym).
    pub fn other_senses(&self, id: RecordId, text: &str) -> Vec<RecordId> {
        let key = crate::normalize::normalized_string(text, crate::normalize::Fold::Case);
        self.records
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                *i != id.index()
                    && r.ambiguous.iter().any(|a| {
                        crate::normalize::normalized_string(a, crate::normalize::Fold::Case) == key
                    })
            })
            .map(|(i, _)| RecordId(i as u32))
            .collect()
    }
}

/// `17th ASEAN Military Intelligence Meeting` / `Hội nghị … lần thứ 17`.
///
/// Written piece by piece rather than with `format!`, which cost four times as much: rules
/// name an edition in each finding about it.
pub fn edition_name(series: &Record, n: u32, lang: Lang) -> String {
    let name = series.name.prefer(lang).unwrap_or(&series.id);
    // Room for the name, ` lần thứ ` (11 bytes) and the number.
    let mut out = String::with_capacity(name.len() + 24);
    match lang {
        Lang::En => {
            push_ordinal_en(&mut out, n);
            out.push(' ');
            out.push_str(name);
        }
        Lang::Vi => {
            out.push_str(name);
            out.push_str(" lần thứ ");
            push_decimal(&mut out, n.into());
        }
    }
    out
}

/// `1st`, `2nd`, `3rd`, `11th`, `21st`.
pub fn ordinal_en(n: u32) -> String {
    let mut out = String::with_capacity(8);
    push_ordinal_en(&mut out, n);
    out
}

/// Appends [`ordinal_en`]`(n)` to `out`.
fn push_ordinal_en(out: &mut String, n: u32) {
    push_decimal(out, n.into());
    out.push_str(ordinal_suffix(n));
}

/// Appends the decimal digits of `n` to `out`, as `write!(out, "{n}")` does, without the
/// formatting machinery: a message written piece by piece with this and `push_str` costs a
/// fraction of its `format!` (whose arguments each go through a `Display` call and a pad),
/// and rules write a message with a line number or an edition for most findings.
pub fn push_decimal(out: &mut String, n: u64) {
    out.push_str(Digits::default().of(n));
}

/// A number's decimal digits, made without the formatting machinery: for messages
/// ([`push_decimal`]) and the human and GitHub reports' line and column numbers. (The JSON
/// report writes its many numbers with a fixed-width copy of its own, faster there.)
#[derive(Default)]
pub struct Digits([u8; 20]);

impl Digits {
    /// The digits of `n`; 20 are enough for `u64::MAX`.
    pub fn of(&mut self, n: impl Into<u64>) -> &str {
        let mut n = n.into();
        let mut at = self.0.len();
        loop {
            at -= 1;
            self.0[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        std::str::from_utf8(&self.0[at..]).expect("ASCII digits")
    }
}

/// The suffix [`ordinal_en`] writes after `n` (`st`, `nd`, `rd`, `th`): what the matcher
/// compares a written ordinal's suffix with, without making the string.
pub fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn push_decimal_writes_what_display_writes(
            n in proptest::prelude::any::<u64>(),
            small in 0u64..1000,
            prefix in "[a-zà-ỹ ]{0,5}",
        ) {
            for n in [n, small, u64::MAX, 0, 9, 10, 99, 100] {
                let mut out = prefix.clone();
                push_decimal(&mut out, n);
                proptest::prop_assert_eq!(out, format!("{prefix}{n}"));
            }
        }

        /// An edition's name and acronym as they were written with `format!`.
        #[test]
        fn edition_names_are_as_formatted(n in 0u32..100_000, big in proptest::prelude::any::<u32>()) {
            let lx = Lexicon::embedded();
            for r in lx.records().iter().filter(|r| r.kind == Kind::Series).take(20) {
                for n in [n, big, 0, 1, 11, 12, 13, 21, 111, u32::MAX] {
                    let en = r.name.prefer(Lang::En).unwrap_or(&r.id);
                    let vi = r.name.prefer(Lang::Vi).unwrap_or(&r.id);
                    let suffix = ordinal_suffix(n);
                    proptest::prop_assert_eq!(edition_name(r, n, Lang::En), format!("{n}{suffix} {en}"));
                    proptest::prop_assert_eq!(edition_name(r, n, Lang::Vi), format!("{vi} lần thứ {n}"));
                    let id = lx.get(&r.id).unwrap();
                    let e = EntityRef { record: id, edition: Some(n) };
                    proptest::prop_assert_eq!(
                        lx.acronym(e),
                        r.acronym().map(|a| format!("{a}-{n}"))
                    );
                }
            }
        }
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]
            .into_iter()
            .map(ordinal_en)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
    }
}

/// One line of a record's card: a label in both languages and a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub label_en: &'static str,
    pub label_vi: &'static str,
    pub value: String,
}

impl Lexicon {
    /// The key facts of an entity, for hovers and exports: a meeting's series, edition,
    /// date, place, host, chair and what it adopted; an organisation's parent; a person's
    /// roles; a document's number, issuer and date; a place's category.
    pub fn facts(&self, e: EntityRef, lang: Lang) -> Vec<Fact> {
        let r = self.record(e.record);
        let f = &r.facts;
        let name = |id: RecordId| {
            let t = self.record(id);
            match t.acronym() {
                Some(a) => format!(
                    "{} ({a})",
                    self.label(
                        EntityRef {
                            record: id,
                            edition: t.facts.edition
                        },
                        lang
                    )
                ),
                None => self.label(
                    EntityRef {
                        record: id,
                        edition: t.facts.edition,
                    },
                    lang,
                ),
            }
        };
        let date = |d: &Date| match lang {
            Lang::En => d.display_en(),
            Lang::Vi => d.display_vi(),
        };
        let mut out = Vec::new();
        let mut push = |label_en, label_vi, value: String| {
            out.push(Fact {
                label_en,
                label_vi,
                value,
            })
        };
        if r.kind == Kind::Series
            && let Some(n) = e.edition
        {
            push("Edition", "Lần thứ", n.to_string());
            push(
                "Record",
                "Hồ sơ",
                "no record for this edition in the lexicon".into(),
            );
        }
        if let Some(s) = f.series {
            push("Series", "Chuỗi", name(s));
        }
        if let Some(n) = f.edition {
            push("Edition", "Lần thứ", n.to_string());
        }
        if let Some(d) = &f.date {
            let mut v = date(d);
            if let Some(end) = &f.end_date {
                v = format!("{v} – {}", date(end));
            }
            push("Date", "Thời gian", v);
        }
        if let Some(p) = f.place {
            push("Place", "Địa điểm", name(p));
        }
        if let Some(h) = f.host {
            push("Host", "Chủ nhà", name(h));
        }
        if let Some(c) = f.chair {
            push("Chair", "Chủ trì", name(c));
        }
        if f.online == Some(true) {
            push(
                "Format",
                "Hình thức",
                match lang {
                    Lang::En => "online".into(),
                    Lang::Vi => "trực tuyến".into(),
                },
            );
        }
        if !f.adopted.is_empty() {
            let v: Vec<String> = f.adopted.iter().map(|d| name(*d)).collect();
            push("Adopted", "Thông qua", v.join("; "));
        }
        if let Some(o) = f.organiser {
            push("Organiser", "Tổ chức", name(o));
        }
        if let Some(fr) = &f.frequency {
            push("Frequency", "Định kỳ", fr.clone());
        }
        if let Some(p) = f.parent {
            push("Part of", "Trực thuộc", name(p));
        }
        if let Some(d) = &f.founded {
            push("Founded", "Thành lập", date(d));
        }
        if let Some(h) = f.headquarters {
            push("Headquarters", "Trụ sở", name(h));
        }
        if !f.members.is_empty() {
            push("Members", "Thành viên", f.members.len().to_string());
        }
        for role in &f.roles {
            let mut v = role.title.prefer(lang).unwrap_or_default().to_owned();
            if let Some(rank) = role.rank.prefer(lang) {
                v = format!("{rank}, {v}");
            }
            if let Some(o) = role.organisation {
                v = format!("{v} — {}", name(o));
            }
            match (&role.from, &role.to) {
                (Some(a), Some(b)) => v = format!("{v} ({a}–{b})"),
                (Some(a), None) => v = format!("{v} (from {a})"),
                (None, Some(b)) => v = format!("{v} (until {b})"),
                _ => {}
            }
            push("Role", "Chức vụ", v);
        }
        if let Some(c) = &f.category {
            push("Category", "Loại", c.clone());
        }
        if let Some(n) = &f.number {
            push("Number", "Số hiệu", n.clone());
        }
        if let Some(i) = f.issuer {
            push("Issued by", "Cơ quan ban hành", name(i));
        }
        if let Some(m) = f.adopted_at {
            push("Adopted at", "Thông qua tại", name(m));
        }
        out
    }
}
