//! Parsing and validating lexicon files. Every error names `file:line:col`.

use crate::{Map, Set};
use std::collections::hash_map::Entry;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Alias, CaseRule, Date, EMBEDDED_FILES, Facts, Kind, Lang, Lexicon, Location, Names, Origin,
    Record, RecordId, Role, Source,
};
use crate::normalize::{Fold, normalized_string, strip_diacritics};

/// A problem in a lexicon file, at a place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconError {
    /// The file as people know it: a path, or `lexicon/NAME` for the embedded lexicon.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte range in the file.
    pub span: Range<usize>,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for LexiconError {}

/// Byte offsets where the lines of `text` start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// [`line_col`] with the line starts computed once per file (a record per line look-up
/// would otherwise make loading quadratic in the file's size).
fn line_col_in(text: &str, starts: &[usize], offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let col = text[starts[line]..offset].chars().count() + 1;
    (line as u32 + 1, col as u32)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line as u32, col as u32)
}

/// A lexicon file as written. A raw record is large (a field for everything any kind may
/// have), so each is boxed: it is moved by pointer as the tables grow and are gathered.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[expect(
    clippy::vec_box,
    reason = "a raw record is about 1 KB: moving 10,000 of them showed in the profile"
)]
struct RawFile {
    #[serde(default)]
    organisation: Vec<Box<RawRecord>>,
    #[serde(default)]
    series: Vec<Box<RawRecord>>,
    #[serde(default)]
    meeting: Vec<Box<RawRecord>>,
    #[serde(default)]
    person: Vec<Box<RawRecord>>,
    #[serde(default)]
    place: Vec<Box<RawRecord>>,
    #[serde(default)]
    document: Vec<Box<RawRecord>>,
    #[serde(default)]
    term: Vec<Box<RawRecord>>,
}

impl RawFile {
    /// The records of `other`, a later part of the same file, after these.
    fn append(&mut self, mut other: RawFile) {
        self.organisation.append(&mut other.organisation);
        self.series.append(&mut other.series);
        self.meeting.append(&mut other.meeting);
        self.person.append(&mut other.person);
        self.place.append(&mut other.place);
        self.document.append(&mut other.document);
        self.term.append(&mut other.term);
    }
}

/// Files from this size on are parsed in two halves at once (see [`parse`]).
const SPLIT_PARSE_MIN_BYTES: usize = 256 * 1024;

/// Parses a lexicon file. A large one is cut in two at a `[[kind]]` line near its middle and
/// the halves are parsed on two threads, the second one with the first half blanked out by
/// spaces so that its spans are still offsets into the file.
///
/// The halves hold the same records as the whole file when both parse: the file starts with
/// a `[[kind]]` element (see [`split_point`]), so everything in it is an element of an array
/// of tables, which lies wholly in one half. A cut that is not at the top level (a
/// `[[kind]]` line inside a multi-line string or array) leaves the first half with an
/// unclosed string or bracket, an error. On any error the whole file is parsed again, for
/// the message the user gets.
fn parse(text: &str) -> Result<RawFile, toml::de::Error> {
    if let Some(cut) = split_point(text) {
        let halves = std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .name("lexls-lexicon".into())
                .spawn_scoped(scope, || {
                    let mut padded = " ".repeat(cut);
                    padded.push_str(&text[cut..]);
                    toml::from_str::<RawFile>(&padded)
                })
                .ok()?;
            let first = toml::from_str::<RawFile>(&text[..cut]);
            Some((first, second.join()))
        });
        // No thread, a half that does not parse, or a panic: the whole file, as usual.
        if let Some((Ok(mut file), Ok(Ok(second)))) = halves {
            file.append(second);
            return Ok(file);
        }
    }
    toml::from_str(text)
}

/// Where [`parse`] may cut `text`: the start of the first `[[kind]]` line after the middle,
/// if the file is large and its first line other than comments and blank ones is a
/// `[[kind]]` line too.
fn split_point(text: &str) -> Option<usize> {
    if text.len() < SPLIT_PARSE_MIN_BYTES {
        return None;
    }
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if !is_table_line(first) {
        return None;
    }
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    while let Some(i) = text[at..].find("\n[[") {
        let start = at + i + 1;
        let line = text[start..].lines().next().unwrap_or_default();
        if is_table_line(line) {
            return Some(start);
        }
        at = start;
    }
    None
}

/// Whether `line` (without its line break) is exactly `[[kind]]`, perhaps followed by blanks
/// and a comment.
fn is_table_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("[[") else {
        return false;
    };
    Kind::ALL.iter().any(|kind| {
        rest.strip_prefix(kind.as_str())
            .and_then(|r| r.strip_prefix("]]"))
            .is_some_and(|r| {
                let r = r.trim_start_matches([' ', '\t']);
                r.is_empty() || r.starts_with('#')
            })
    })
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawNames {
    en: Option<String>,
    vi: Option<String>,
}

impl From<RawNames> for Names {
    fn from(r: RawNames) -> Names {
        Names { en: r.en, vi: r.vi }
    }
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawAlias {
    Text(String),
    Table(RawAliasTable),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawAliasTable {
    text: String,
    case: Option<RawCase>,
    lang: Option<RawLang>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawCase {
    Sensitive,
    Insensitive,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawLang {
    En,
    Vi,
}

impl From<RawLang> for Lang {
    fn from(l: RawLang) -> Lang {
        match l {
            RawLang::En => Lang::En,
            RawLang::Vi => Lang::Vi,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRole {
    title: RawNames,
    #[serde(default)]
    rank: RawNames,
    organisation: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
}

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRecord {
    id: S,
    name: Option<Spanned<RawNames>>,
    #[serde(default)]
    acronyms: Vec<S>,
    #[serde(default)]
    aliases: Vec<Spanned<RawAlias>>,
    #[serde(default)]
    misspellings: Vec<S>,
    #[serde(default)]
    not_in: Vec<S>,
    #[serde(default)]
    well_known: bool,
    #[serde(default)]
    ambiguous: Vec<S>,
    description: Option<RawNames>,
    #[serde(default)]
    sources: Vec<String>,
    // organisation
    parent: Option<S>,
    founded: Option<S>,
    headquarters: Option<S>,
    #[serde(default)]
    members: Vec<S>,
    // series
    organiser: Option<S>,
    #[serde(default)]
    edition_aliases: Vec<Spanned<RawAlias>>,
    frequency: Option<Spanned<String>>,
    // meeting
    series: Option<S>,
    edition: Option<Spanned<i64>>,
    date: Option<S>,
    end_date: Option<S>,
    place: Option<S>,
    host: Option<S>,
    chair: Option<S>,
    online: Option<Spanned<bool>>,
    #[serde(default)]
    adopted: Vec<S>,
    // person
    #[serde(default)]
    roles: Vec<Spanned<RawRole>>,
    // place
    category: Option<S>,
    // document
    number: Option<S>,
    issuer: Option<S>,
    adopted_at: Option<S>,
}

/// A record read from a file, before references are resolved.
struct Parsed {
    raw: Box<RawRecord>,
    kind: Kind,
    source: usize,
    /// Whether this record may replace a record with the same id from an earlier layer.
    layer: usize,
}

/// Collects lexicon sources and builds a validated [`Lexicon`].
#[derive(Default)]
pub struct LexiconBuilder {
    sources: Vec<(Source, usize)>,
    errors: Vec<LexiconError>,
    layer: usize,
}

impl LexiconBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the lexicon built into the binary.
    pub fn with_embedded(mut self) -> Self {
        for (name, text) in EMBEDDED_FILES {
            self.sources.push((
                Source {
                    origin: Origin::Embedded(name),
                    text: Arc::from(*text),
                },
                self.layer,
            ));
        }
        self
    }

    /// Starts a new layer: records added after this call replace earlier records with the
    /// same id (a workspace's lexicon over the built-in one). Within a layer, a repeated id
    /// is an error.
    pub fn overriding(mut self) -> Self {
        self.layer += 1;
        self
    }

    /// Adds a lexicon text with its origin.
    pub fn add_text(&mut self, origin: Origin, text: impl Into<Arc<str>>) {
        self.sources.push((
            Source {
                origin,
                text: text.into(),
            },
            self.layer,
        ));
    }

    /// Adds a file, or every `*.toml` file in a folder (sorted by name). An unreadable path
    /// is reported as an error of the lexicon.
    pub fn add_path(&mut self, path: &Path) {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect(),
                Err(e) => {
                    self.io_error(path, &e);
                    return;
                }
            };
            files.sort();
            for f in files {
                self.add_path(&f);
            }
            return;
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => self.add_text(Origin::File(path.to_owned()), text),
                Err(e) => {
                    let off = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let (line, column) = line_col(&text, off);
                    self.errors.push(LexiconError {
                        file: path.display().to_string(),
                        line,
                        column,
                        span: off..off + 1,
                        message: "invalid UTF-8".into(),
                    });
                }
            },
            Err(e) => self.io_error(path, &e),
        }
    }

    fn io_error(&mut self, path: &Path, e: &std::io::Error) {
        self.errors.push(LexiconError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            span: 0..0,
            message: format!("cannot read: {e}"),
        });
    }

    /// Validates everything added and builds the lexicon, or returns every error found.
    pub fn build(self) -> Result<Lexicon, Vec<LexiconError>> {
        let LexiconBuilder {
            sources,
            mut errors,
            ..
        } = self;
        let mut parsed = Vec::new();
        let mut srcs = Vec::new();
        for (i, (source, layer)) in sources.into_iter().enumerate() {
            let mut v = Validator {
                source: &source,
                errors: &mut errors,
            };
            match parse(&source.text) {
                Ok(file) => {
                    let tables = [
                        (Kind::Organisation, file.organisation),
                        (Kind::Series, file.series),
                        (Kind::Meeting, file.meeting),
                        (Kind::Person, file.person),
                        (Kind::Place, file.place),
                        (Kind::Document, file.document),
                        (Kind::Term, file.term),
                    ];
                    parsed.reserve(tables.iter().map(|(_, records)| records.len()).sum());
                    for (kind, records) in tables {
                        parsed.extend(records.into_iter().map(|raw| Parsed {
                            raw,
                            kind,
                            source: i,
                            layer,
                        }));
                    }
                }
                Err(e) => {
                    let span = e.span().unwrap_or(0..0);
                    v.error(span, e.message().trim().to_owned());
                }
            }
            srcs.push(source);
        }
        let lexicon = resolve(parsed, srcs, &mut errors);
        if errors.is_empty() {
            Ok(lexicon)
        } else {
            errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            errors.dedup();
            Err(errors)
        }
    }
}

struct Validator<'a> {
    source: &'a Source,
    errors: &'a mut Vec<LexiconError>,
}

impl<'a> Validator<'a> {
    fn new(source: &'a Source, errors: &'a mut Vec<LexiconError>) -> Self {
        Validator { source, errors }
    }

    fn error(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_col(&self.source.text, span.start);
        self.errors.push(LexiconError {
            file: self.source.display_name(),
            line,
            column,
            span,
            message,
        });
    }
}

fn resolve(
    mut parsed: Vec<Parsed>,
    sources: Vec<Source>,
    errors: &mut Vec<LexiconError>,
) -> Lexicon {
    // Ids: a later layer replaces an earlier record; a repeat within a layer is an error.
    // `kept[r]` is the index in `parsed` of the record that gets `RecordId(r)`: records are
    // chosen by index, never moved (a raw record is large).
    let mut kept: Vec<usize> = Vec::with_capacity(parsed.len());
    let mut by_id: Map<String, RecordId> =
        Map::with_capacity_and_hasher(parsed.len(), Default::default());
    for (i, p) in parsed.iter().enumerate() {
        let id = p.raw.id.get_ref();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Validator::new(&sources[p.source], errors).error(
                p.raw.id.span(),
                format!("id `{id}` must be lowercase letters, digits and `-`"),
            );
        }
        match by_id.entry(id.clone()) {
            Entry::Vacant(e) => {
                e.insert(RecordId(kept.len() as u32));
                kept.push(i);
            }
            Entry::Occupied(e) => {
                let slot = &mut kept[e.get().index()];
                let prev = &parsed[*slot];
                if prev.layer < p.layer {
                    *slot = i;
                } else {
                    let (pl, pc) = line_col(&sources[prev.source].text, prev.raw.id.span().start);
                    let prev_file = sources[prev.source].display_name();
                    Validator::new(&sources[p.source], errors).error(
                        p.raw.id.span(),
                        format!("duplicate id `{id}` (first defined at {prev_file}:{pl}:{pc})"),
                    );
                }
            }
        }
    }
    let kinds: Vec<Kind> = kept.iter().map(|&i| parsed[i].kind).collect();

    // Checked before the records take their strings from the raw ones, reported after the
    // records' own errors (the order of errors at one position is part of the output).
    let mut claim_errors = Vec::new();
    check_alias_claims(&parsed, &kept, &sources, &mut claim_errors);

    let mut records = Vec::with_capacity(kept.len());
    let starts: Vec<Vec<usize>> = sources.iter().map(|s| line_starts(&s.text)).collect();
    for &i in &kept {
        let p = &mut parsed[i];
        let source = p.source;
        let mut v = Validator::new(&sources[source], errors);
        records.push(record(p, &by_id, &kinds, &starts[source], &mut v));
    }

    // Editions: (series, edition) -> meeting; a repeat is an error.
    let mut editions = Map::default();
    for (i, (r, &pi)) in records.iter().zip(&kept).enumerate() {
        if let (Some(s), Some(n)) = (r.facts.series, r.facts.edition)
            && let Some(prev) = editions.insert((s, n), RecordId(i as u32))
        {
            let p = &parsed[pi];
            Validator::new(&sources[p.source], errors).error(
                p.raw.id.span(),
                format!(
                    "meeting `{}` repeats edition {n} of `{}`, already `{}`",
                    r.id,
                    records[s.index()].id,
                    records[prev.index()].id
                ),
            );
        }
    }

    errors.append(&mut claim_errors);

    Lexicon {
        records,
        by_id,
        editions,
        sources,
    }
}

/// Validates a raw record and builds its record, moving the strings out of the raw one (which
/// is dropped afterwards).
fn record(
    p: &mut Parsed,
    by_id: &Map<String, RecordId>,
    kinds: &[Kind],
    starts: &[usize],
    v: &mut Validator,
) -> Record {
    let r = &mut p.raw;
    let kind = p.kind;
    let id = take(&mut r.id);
    let (line, column) = line_col_in(&v.source.text, starts, r.id.span().start);

    // Which fields a kind may have.
    let allowed = |field: &str| -> bool {
        match field {
            "parent" => matches!(kind, Kind::Organisation | Kind::Place),
            "founded" | "headquarters" | "members" => kind == Kind::Organisation,
            "organiser" | "edition-aliases" | "frequency" => kind == Kind::Series,
            "series" | "edition" | "end-date" | "place" | "host" | "chair" | "online"
            | "adopted" => kind == Kind::Meeting,
            "date" => matches!(kind, Kind::Meeting | Kind::Document),
            "roles" => kind == Kind::Person,
            "category" => kind == Kind::Place,
            "number" | "issuer" | "adopted-at" => kind == Kind::Document,
            _ => true,
        }
    };
    let mut present: Vec<(&str, Range<usize>)> = Vec::new();
    macro_rules! note {
        ($name:literal, $field:expr) => {
            if let Some(f) = &$field {
                present.push(($name, f.span()));
            }
        };
    }
    note!("parent", r.parent);
    note!("founded", r.founded);
    note!("headquarters", r.headquarters);
    note!("organiser", r.organiser);
    note!("frequency", r.frequency);
    note!("series", r.series);
    note!("edition", r.edition);
    note!("date", r.date);
    note!("end-date", r.end_date);
    note!("place", r.place);
    note!("host", r.host);
    note!("chair", r.chair);
    note!("online", r.online);
    note!("category", r.category);
    note!("number", r.number);
    note!("issuer", r.issuer);
    note!("adopted-at", r.adopted_at);
    if let Some(m) = r.members.first() {
        present.push(("members", m.span()));
    }
    if let Some(m) = r.adopted.first() {
        present.push(("adopted", m.span()));
    }
    if let Some(m) = r.roles.first() {
        present.push(("roles", m.span()));
    }
    if let Some(m) = r.edition_aliases.first() {
        present.push(("edition-aliases", m.span()));
    }
    for (field, span) in present {
        if !allowed(field) {
            v.error(span, format!("field `{field}` does not apply to a {kind}"));
        }
    }

    let mut reference = |field: Option<&S>, want: &[Kind]| -> Option<RecordId> {
        let f = field?;
        let target = f.get_ref();
        match by_id.get(target) {
            None => {
                v.error(f.span(), format!("`{target}` is not the id of any record"));
                None
            }
            Some(&t) if !want.contains(&kinds[t.index()]) => {
                let want: Vec<&str> = want.iter().map(|k| k.as_str()).collect();
                v.error(
                    f.span(),
                    format!(
                        "`{target}` is a {}, but this field takes a {}",
                        kinds[t.index()],
                        want.join(" or ")
                    ),
                );
                None
            }
            Some(&t) => Some(t),
        }
    };
    let org = &[Kind::Organisation][..];
    let place = &[Kind::Place][..];
    let parent_kinds: &[Kind] = if kind == Kind::Place { place } else { org };
    let mut facts = Facts {
        parent: reference(r.parent.as_ref(), parent_kinds),
        headquarters: reference(r.headquarters.as_ref(), place),
        organiser: reference(r.organiser.as_ref(), org),
        series: reference(r.series.as_ref(), &[Kind::Series]),
        place: reference(r.place.as_ref(), place),
        host: reference(r.host.as_ref(), &[Kind::Place, Kind::Organisation]),
        chair: reference(r.chair.as_ref(), &[Kind::Person]),
        issuer: reference(r.issuer.as_ref(), org),
        adopted_at: reference(r.adopted_at.as_ref(), &[Kind::Meeting]),
        ..Facts::default()
    };
    facts.members = r
        .members
        .iter()
        .filter_map(|m| reference(Some(m), &[Kind::Place, Kind::Organisation]))
        .collect();
    facts.adopted = r
        .adopted
        .iter()
        .filter_map(|m| reference(Some(m), &[Kind::Document]))
        .collect();
    let mut roles = Vec::new();
    for role in &mut r.roles {
        let raw = role.get_mut();
        roles.push(Role {
            title: std::mem::take(&mut raw.title).into(),
            rank: std::mem::take(&mut raw.rank).into(),
            organisation: reference(raw.organisation.as_ref(), org),
            from: None,
            to: None,
        });
    }
    for (role, raw) in roles.iter_mut().zip(&r.roles) {
        let raw = raw.get_ref();
        if role.title.en.is_none() && role.title.vi.is_none() {
            v.error(r.id.span(), "a role needs a title in `en` or `vi`".into());
        }
        role.from = date(raw.from.as_ref(), v);
        role.to = date(raw.to.as_ref(), v);
    }
    facts.roles = roles;
    facts.founded = date(r.founded.as_ref(), v);
    facts.date = date(r.date.as_ref(), v);
    facts.end_date = date(r.end_date.as_ref(), v);
    if let (Some(a), Some(b)) = (facts.date, facts.end_date)
        && b < a
        && let Some(e) = &r.end_date
    {
        v.error(e.span(), format!("end-date {b} is before date {a}"));
    }
    facts.online = r.online.as_ref().map(|o| *o.get_ref());
    facts.frequency = r.frequency.as_mut().map(take);
    if let Some(c) = &r.category {
        const CATEGORIES: [&str; 7] = [
            "country",
            "city",
            "province",
            "sea",
            "river",
            "region",
            "continent",
        ];
        if !CATEGORIES.contains(&c.get_ref().as_str()) {
            v.error(
                c.span(),
                format!(
                    "unknown place category `{}` (one of {})",
                    c.get_ref(),
                    CATEGORIES.join(", ")
                ),
            );
        }
    }
    facts.category = r.category.as_mut().map(take);
    facts.number = r.number.as_mut().map(take);
    if let Some(e) = &r.edition {
        match u32::try_from(*e.get_ref()) {
            Ok(n) if n > 0 => facts.edition = Some(n),
            _ => v.error(e.span(), "edition must be a positive whole number".into()),
        }
    }
    if kind == Kind::Meeting {
        if r.series.is_none() {
            v.error(r.id.span(), format!("meeting `{id}` needs a `series`"));
        }
        if r.edition.is_none() {
            v.error(r.id.span(), format!("meeting `{id}` needs an `edition`"));
        }
    }

    let name: Names = r
        .name
        .as_mut()
        .map(|n| std::mem::take(n.get_mut()).into())
        .unwrap_or_default();
    if kind != Kind::Meeting && name.en.is_none() && name.vi.is_none() {
        let span = r.name.as_ref().map_or(r.id.span(), |n| n.span());
        v.error(span, format!("record `{id}` needs a name in `en` or `vi`"));
    }
    for n in [&name.en, &name.vi].into_iter().flatten() {
        if n.trim().is_empty() {
            let span = r.name.as_ref().map_or(r.id.span(), |n| n.span());
            v.error(span, "empty name".into());
        }
    }

    let mut text_ok = |s: &S, what: &str| {
        if s.get_ref().trim().is_empty() {
            v.error(s.span(), format!("empty {what}"));
            false
        } else {
            true
        }
    };
    let acronyms: Vec<String> = r
        .acronyms
        .iter_mut()
        .filter(|a| text_ok(a, "acronym"))
        .map(take)
        .collect();
    let misspellings: Vec<String> = r
        .misspellings
        .iter_mut()
        .filter(|a| text_ok(a, "misspelling"))
        .map(take)
        .collect();
    let not_in: Vec<String> = r
        .not_in
        .iter_mut()
        .filter(|a| text_ok(a, "not-in phrase"))
        .map(take)
        .collect();
    let aliases = read_aliases(&mut r.aliases, v);
    let edition_aliases = read_aliases(&mut r.edition_aliases, v);

    Record {
        id,
        kind,
        name,
        acronyms,
        aliases,
        edition_aliases,
        misspellings,
        not_in,
        well_known: r.well_known,
        ambiguous: r.ambiguous.iter_mut().map(take).collect(),
        description: r.description.take().map(Names::from).unwrap_or_default(),
        sources: std::mem::take(&mut r.sources),
        facts,
        location: Location {
            source: p.source,
            line,
            column,
        },
    }
}

fn read_aliases(raw: &mut [Spanned<RawAlias>], v: &mut Validator) -> Vec<Alias> {
    let mut out = Vec::with_capacity(raw.len());
    for a in raw {
        let span = a.span();
        let (text, case, lang) = match a.get_mut() {
            RawAlias::Text(t) => (std::mem::take(t), None, None),
            RawAlias::Table(t) => (std::mem::take(&mut t.text), t.case, t.lang.map(Lang::from)),
        };
        if text.trim().is_empty() {
            v.error(span, "empty alias".into());
            continue;
        }
        let case = match case {
            Some(RawCase::Sensitive) => CaseRule::Sensitive,
            Some(RawCase::Insensitive) => CaseRule::Insensitive,
            None => default_case(&text),
        };
        out.push(Alias { text, case, lang });
    }
    out
}

/// Two or more words: case-insensitive; one word: exact.
pub(crate) fn default_case(text: &str) -> CaseRule {
    if text.split_whitespace().nth(1).is_some() {
        CaseRule::Insensitive
    } else {
        CaseRule::Sensitive
    }
}

/// Moves the string out of a raw field (see [`record`]).
fn take(s: &mut S) -> String {
    std::mem::take(s.get_mut())
}

fn date(field: Option<&S>, v: &mut Validator) -> Option<Date> {
    let f = field?;
    match f.get_ref().parse::<Date>() {
        Ok(d) => Some(d),
        Err(msg) => {
            v.error(f.span(), msg);
            None
        }
    }
}

/// An alias written by two records must be marked `ambiguous` in both. `kept[r]` is the
/// index in `parsed` of record `r`.
fn check_alias_claims<'a>(
    parsed: &'a [Parsed],
    kept: &[usize],
    sources: &[Source],
    errors: &mut Vec<LexiconError>,
) {
    /// Where a record first writes a key.
    struct Claim<'t> {
        record: usize,
        span: Range<usize>,
        text: &'t str,
    }
    /// The records that write a key. Nearly every key has one, kept inline: `more` does not
    /// allocate while it is empty.
    struct Owners<'t> {
        first: Claim<'t>,
        more: Vec<Claim<'t>>,
    }
    let mut claims: Map<String, Owners<'a>> =
        Map::with_capacity_and_hasher(kept.len() * 3, Default::default());
    for (i, &pi) in kept.iter().enumerate() {
        let raw = &parsed[pi].raw;
        let mut add = |text: &'a str, span: Range<usize>| {
            let claim = Claim {
                record: i,
                span,
                text,
            };
            match claims.entry(normalized_string(text, Fold::Case)) {
                Entry::Vacant(e) => {
                    e.insert(Owners {
                        first: claim,
                        more: Vec::new(),
                    });
                }
                Entry::Occupied(mut e) => {
                    let owners = e.get_mut();
                    if owners.first.record != i && owners.more.iter().all(|c| c.record != i) {
                        owners.more.push(claim);
                    }
                }
            }
        };
        if let Some(n) = &raw.name {
            let names = n.get_ref();
            for t in [&names.en, &names.vi].into_iter().flatten() {
                add(t, n.span());
            }
        }
        for a in raw.acronyms.iter().chain(&raw.misspellings) {
            add(a.get_ref(), a.span());
        }
        for a in &raw.aliases {
            let t = match a.get_ref() {
                RawAlias::Text(t) => t,
                RawAlias::Table(t) => &t.text,
            };
            add(t, a.span());
        }
    }
    // Only shared keys are checked, in the order of the keys.
    let mut shared: Vec<(String, Vec<Claim>)> = claims
        .into_iter()
        .filter(|(_, o)| !o.more.is_empty())
        .map(|(key, o)| (key, std::iter::once(o.first).chain(o.more).collect()))
        .collect();
    shared.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let raw = |record: usize| &parsed[kept[record]].raw;
    for (key, owners) in &shared {
        // Exact-case aliases that differ in case do not collide ("Pháp" vs "pháp").
        let distinct_exact = owners
            .iter()
            .map(|c| normalized_string(c.text, Fold::None))
            .collect::<Set<_>>()
            .len()
            == owners.len()
            && owners
                .iter()
                .all(|c| default_case(c.text) == CaseRule::Sensitive);
        if distinct_exact {
            continue;
        }
        for c in owners {
            let r = raw(c.record);
            let marked = r
                .ambiguous
                .iter()
                .any(|a| normalized_string(a.get_ref(), Fold::Case) == *key);
            if !marked {
                let others: Vec<String> = owners
                    .iter()
                    .filter(|o| o.record != c.record)
                    .map(|o| format!("`{}`", raw(o.record).id.get_ref()))
                    .collect();
                let source = &sources[parsed[kept[c.record]].source];
                let (line, column) = line_col(&source.text, c.span.start);
                errors.push(LexiconError {
                    file: source.display_name(),
                    line,
                    column,
                    span: c.span.clone(),
                    message: format!(
                        "`{}` of `{}` is also claimed by {}; list it in `ambiguous` of each record if both are meant",
                        c.text,
                        r.id.get_ref(),
                        others.join(", ")
                    ),
                });
            }
        }
    }
}

/// Generated forms of a record used by the matcher in addition to its written aliases:
/// person and place names without diacritics.
pub(crate) fn folded_forms(r: &Record) -> Vec<String> {
    if !matches!(r.kind, Kind::Person | Kind::Place) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let names = [&r.name.en, &r.name.vi].into_iter().flatten();
    for n in names.chain(r.aliases.iter().map(|a| &a.text)) {
        // One word without its marks is too often an English word (`Mỹ` → `My`).
        if n.split_whitespace().nth(1).is_none() {
            continue;
        }
        let f = strip_diacritics(n);
        if f != *n && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Result<Lexicon, Vec<LexiconError>> {
        let mut b = LexiconBuilder::new();
        b.add_text(Origin::File("test.toml".into()), text);
        b.build()
    }

    fn errors(text: &str) -> Vec<String> {
        build(text)
            .expect_err("should fail")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn loads_a_small_lexicon() {
        let lx = build(
            r#"
[[organisation]]
id = "asean"
name = { en = "Association of Southeast Asian Nations", vi = "Hiệp hội các quốc gia Đông Nam Á" }
acronyms = ["ASEAN"]
well-known = true

[[series]]
id = "amim"
name = { en = "ASEAN Military Intelligence Meeting" }
acronyms = ["AMIM"]
organiser = "asean"

[[meeting]]
id = "amim-17"
series = "amim"
edition = 17
date = "2020-09"
online = true
"#,
        )
        .unwrap();
        let m = lx.get("amim-17").unwrap();
        let amim = lx.get("amim").unwrap();
        assert_eq!(lx.edition(amim, 17), Some(m));
        let r = lx.record(m);
        assert_eq!(r.location.line, 15);
        assert_eq!(r.facts.date.unwrap().to_string(), "2020-09");
        let e = lx.resolve_edition(amim, 17);
        assert_eq!(
            lx.label(e, Lang::En),
            "17th ASEAN Military Intelligence Meeting"
        );
        assert_eq!(lx.acronym(e).as_deref(), Some("AMIM-17"));
        let e21 = lx.resolve_edition(amim, 21);
        assert_eq!(e21.record, amim);
        assert_eq!(
            lx.label(e21, Lang::En),
            "21st ASEAN Military Intelligence Meeting"
        );
        assert_eq!(lx.acronym(e21).as_deref(), Some("AMIM-21"));
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let e = errors("[[organisation]]\nid = \"x\"\nname = { en = \"X\" \n");
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("test.toml:3:"), "{e:?}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let e = errors("[[organisation]]\nid = \"x\"\nname = { en = \"X\" }\nacronym = [\"X\"]\n");
        assert!(e[0].starts_with("test.toml:4:1:"), "{e:?}");
        assert!(e[0].contains("acronym"), "{e:?}");
    }

    #[test]
    fn reports_duplicates_dangling_kinds_and_dates() {
        let e = errors(
            r#"[[organisation]]
id = "a"
name = { en = "A" }
[[organisation]]
id = "a"
name = { en = "A again" }
[[meeting]]
id = "m-1"
series = "nope"
edition = 1
date = "2021-02-30"
[[meeting]]
id = "m-2"
series = "a"
edition = 0
chair = "a"
"#,
        );
        let all = e.join("\n");
        assert!(
            all.contains("test.toml:5:6: duplicate id `a` (first defined at test.toml:2:6)"),
            "{all}"
        );
        assert!(
            all.contains("test.toml:9:10: `nope` is not the id"),
            "{all}"
        );
        assert!(all.contains("test.toml:11:8: malformed date"), "{all}");
        assert!(
            all.contains("test.toml:14:10: `a` is a organisation, but this field takes a series"),
            "{all}"
        );
        assert!(all.contains("test.toml:15:11: edition must be"), "{all}");
        assert!(
            all.contains("test.toml:16:9: `a` is a organisation"),
            "{all}"
        );
    }

    #[test]
    fn shared_alias_needs_ambiguous_on_both() {
        let text = r#"[[organisation]]
id = "asc-iseas"
name = { en = "ASEAN Studies Centre" }
acronyms = ["ASC"]
ambiguous = ["ASC"]
[[organisation]]
id = "asc-other"
name = { en = "ASEAN Security Community" }
acronyms = ["ASC"]
"#;
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("test.toml:9:13:"), "{e:?}");
        let fixed = format!("{text}ambiguous = [\"ASC\"]\n");
        assert!(build(&fixed).is_ok());
    }

    #[test]
    fn field_of_another_kind_is_rejected() {
        let e = errors("[[person]]\nid = \"p\"\nname = { vi = \"Bùi Văn Nam\" }\nedition = 3\n");
        assert!(
            e[0].contains("field `edition` does not apply to a person"),
            "{e:?}"
        );
    }

    #[test]
    fn later_layer_overrides_by_id() {
        let mut b = LexiconBuilder::new();
        b.add_text(
            Origin::File("base.toml".into()),
            "[[term]]\nid = \"sop\"\nname = { en = \"Standard Operating Procedure\" }\n",
        );
        let mut b = b.overriding();
        b.add_text(
            Origin::File("ws.toml".into()),
            "[[term]]\nid = \"sop\"\nname = { en = \"Standing Order\" }\n",
        );
        let lx = b.build().unwrap();
        assert_eq!(lx.records().len(), 1);
        assert_eq!(
            lx.record(RecordId(0)).name.en.as_deref(),
            Some("Standing Order")
        );
    }

    /// Ids and the spans of ids and names, by kind: what tells two parses apart.
    fn outline(f: &RawFile) -> Vec<(String, Range<usize>, Option<Range<usize>>)> {
        [
            &f.organisation,
            &f.series,
            &f.meeting,
            &f.person,
            &f.place,
            &f.document,
            &f.term,
        ]
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r.id.get_ref().clone(),
                r.id.span(),
                r.name.as_ref().map(|n| n.span()),
            )
        })
        .collect()
    }

    /// Records of two kinds, interleaved, about `bytes` long.
    fn many_records(prefix: &str, bytes: usize) -> String {
        let mut s = String::new();
        let mut i = 0;
        while s.len() < bytes {
            let kind = if i % 3 == 0 { "place" } else { "organisation" };
            s.push_str(&format!(
                "[[{kind}]] # {i}\nid = \"{prefix}-{i}\"\nname = {{ en = \"Name {i}\", vi = \"Tên {i}\" }}\n\n"
            ));
            i += 1;
        }
        s
    }

    #[test]
    fn a_large_file_parsed_in_halves_gives_the_whole_file() {
        let text = format!("# a comment first\n\n{}", many_records("r", 400_000));
        assert!(split_point(&text).is_some());
        let whole: RawFile = toml::from_str(&text).unwrap();
        let halves = parse(&text).unwrap();
        assert_eq!(outline(&halves), outline(&whole));
        assert!(build(&text).is_ok());
    }

    #[test]
    fn a_cut_inside_a_multiline_string_falls_back_to_the_whole_file() {
        // The first `[[organisation]]` line after the middle is inside a description.
        let filler = "x\n".repeat(50_000);
        let text = format!(
            "{}[[term]]\nid = \"t\"\nname = {{ en = \"T\" }}\ndescription.en = \"\"\"\n{filler}[[organisation]]\nid = \"not-a-record\"\n{filler}\"\"\"\n\n{}",
            many_records("a", 150_000),
            many_records("b", 150_000),
        );
        let cut = split_point(&text).unwrap();
        assert!(text[cut..].starts_with("[[organisation]]\nid = \"not-a-record\""));
        let whole: RawFile = toml::from_str(&text).unwrap();
        let parsed = parse(&text).unwrap();
        assert_eq!(outline(&parsed), outline(&whole));
        assert!(
            outline(&parsed)
                .iter()
                .all(|(id, _, _)| id != "not-a-record")
        );
    }

    #[test]
    fn a_file_not_starting_with_a_table_is_parsed_whole() {
        // Appending to a static array is an error, which halves would not see.
        let text = format!(
            "organisation = [{{ id = \"x\", name = {{ en = \"X\" }} }}]\n{}",
            many_records("r", 300_000)
        );
        assert_eq!(split_point(&text), None);
        assert!(parse(&text).is_err());
        assert!(build(&text).is_err());
    }

    #[test]
    fn table_lines() {
        assert!(is_table_line("[[organisation]]"));
        assert!(is_table_line("[[term]]  # a comment"));
        assert!(!is_table_line("[[person.roles]]"));
        assert!(!is_table_line("[[ organisation ]]"));
        assert!(!is_table_line("[[organisations]]"));
        assert!(!is_table_line("[organisation]"));
    }

    #[test]
    fn folded_forms_of_people() {
        let lx =
            build("[[person]]\nid = \"bui-van-nam\"\nname = { vi = \"Bùi Văn Nam\" }\n").unwrap();
        assert_eq!(folded_forms(lx.record(RecordId(0))), ["Bui Van Nam"]);
    }
}
