//! How `lexls lint` prints findings: rustc-style snippets for people, JSON, SARIF 2.1.0 for
//! code scanning, and GitHub Actions workflow commands. Every format is a [`Reporter`]: it
//! writes into a `&mut dyn Write` as the files come, in the order given, and needs nothing
//! of a file once it has been written, so that a run's memory does not grow with the
//! number of files. JSON and SARIF are single documents, written as they go: the opening,
//! each finding, then the closing.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};
use std::ops::Range;

use super::annotate::LineIndex;
use crate::export::SpanPlaces;
pub(crate) use crate::lexicon::Digits;
use crate::rules::Finding;

pub use human::Colors;

/// An output format of `lexls lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the mention underlined, and a summary line.
    Human,
    /// A JSON array of findings with positions and fixes.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other tools.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…::…`).
    Github,
}

/// A file that was linted: its path as shown, its text and its findings.
pub struct Checked<'a> {
    /// The path as the user wrote it or the walk found it, with `/` separators.
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

/// Totals of a run, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read and checked.
    pub files: usize,
    /// Files that could not be checked (unreadable, not UTF-8, binary).
    pub failed: usize,
    /// Safe fixes applied by `--fix`, and the files they changed.
    pub fixed: usize,
    pub fixed_files: usize,
}

/// Writes one format: [`begin`](Reporter::begin) once, [`file`](Reporter::file) for each
/// file in order, then [`end`](Reporter::end) once. A reporter keeps what its summary needs
/// (counts), never the files.
pub trait Reporter {
    /// Before the first file: a document's opening.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One file's findings. A reporter may hold some of what it writes until
    /// [`flush`](Reporter::flush) or [`end`](Reporter::end).
    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()>;
    /// Hands what the reporter holds to `out`: the output must show every file so far (on
    /// a terminal the progress bar is drawn on).
    fn flush(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// After the last file: a document's closing, or the summary line.
    fn end(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The reporter of `format`. `colors` matter for the human format only.
pub fn reporter(format: Format, colors: Colors) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human::new(colors)),
        Format::Json => Box::new(json::Json::default()),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
    }
}

/// Writes the findings of `files` in `format`, all at once (for tests).
#[cfg(test)]
pub fn write(
    format: Format,
    out: &mut dyn Write,
    files: &[Checked],
    summary: &Summary,
    colors: Colors,
) -> io::Result<()> {
    let mut r = reporter(format, colors);
    r.begin(out)?;
    for file in files {
        r.file(out, file)?;
    }
    r.end(out, summary)
}

/// Where a span is, 1-based, in characters (a BOM is not a column). Lines end at `\n`,
/// `\r\n` or a lone `\r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Place {
    pub fn of(index: &LineIndex, text: &str, span: &Range<usize>) -> Place {
        let (line, column) = index.line_col(text, span.start);
        let (end_line, end_column) = index.line_col(text, span.end);
        Place {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// The places of a file's spans, for a report that writes many: asked all first (
/// [`Places::ask`], in the order the report will write them), found at once, then read
/// in that order ([`Places::next`]). See [`SpanPlaces`] for why.
#[derive(Default)]
struct Places {
    spans: SpanPlaces,
    /// The places read so far.
    read: usize,
}

impl Places {
    /// Forgets the places of the last file.
    fn clear(&mut self) {
        self.spans.clear();
        self.read = 0;
    }

    /// Asks for the place of `span`.
    #[inline]
    fn ask(&mut self, span: &Range<usize>) {
        self.spans.ask(span);
    }

    /// Finds the places asked in `text`.
    fn answer(&mut self, text: &str) {
        self.spans.answer(text);
        self.read = 0;
    }

    /// The place of the next span asked.
    #[inline]
    fn next(&mut self) -> Place {
        let [line, column, end_line, end_column] = self.spans.get(self.read);
        self.read += 1;
        Place {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Whether every place asked has been read.
    fn all_read(&self) -> bool {
        self.read == self.spans.len()
    }
}

/// The elements of a pretty-printed JSON array written one at a time: `[`, then each
/// element on its own lines at `indent` (`,` between them), then `]` — byte for byte what
/// `serde_json::to_writer_pretty` prints for the whole array at that depth (`[]` when
/// empty).
struct JsonArray {
    /// The indentation of the array's elements; the closing `]` goes two spaces less.
    indent: String,
    elements: usize,
}

impl JsonArray {
    fn new(indent: impl Into<String>) -> JsonArray {
        JsonArray {
            indent: indent.into(),
            elements: 0,
        }
    }

    fn open(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    /// Writes `element`, already written at the array's depth, as the next element.
    fn push_written(&mut self, out: &mut dyn Write, element: &[u8]) -> io::Result<()> {
        out.write_all(if self.elements == 0 { b"\n" } else { b",\n" })?;
        out.write_all(self.indent.as_bytes())?;
        out.write_all(element)?;
        self.elements += 1;
        Ok(())
    }

    /// Writes the closing `]`, on its own line at the outer indentation unless the array
    /// is empty.
    fn close(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.elements > 0 {
            out.write_all(b"\n")?;
            let outer = self.indent.len().saturating_sub(2);
            out.write_all(&self.indent.as_bytes()[..outer])?;
        }
        out.write_all(b"]")
    }
}

/// A JSON document written token by token, byte for byte as `serde_json::to_writer_pretty`
/// prints the same value: two spaces of indentation per level, `"key": value`, `,` and a
/// line break between members, `{}` and `[]` when empty, and serde_json's escaping. The JSON
/// report writes its records through it rather than through serde: serialising a record
/// and indenting it into the array took about 20,000 instructions, writing it here 6,000.
struct PrettyJson {
    /// What has been written and not yet handed to the output: reused from one element to
    /// the next.
    buf: Vec<u8>,
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the innermost open object or array has no member yet.
    empty: bool,
}

impl PrettyJson {
    fn new() -> PrettyJson {
        PrettyJson {
            buf: Vec::new(),
            depth: 0,
            empty: true,
        }
    }

    /// Empties the buffer to write a value that sits `depth` levels deep in a document.
    fn restart(&mut self, depth: usize) {
        self.buf.clear();
        self.depth = depth;
        self.empty = true;
    }

    #[inline]
    fn begin_object(&mut self) {
        self.open(b'{');
    }

    #[inline]
    fn end_object(&mut self) {
        self.close(b'}');
    }

    #[inline]
    fn begin_array(&mut self) {
        self.open(b'[');
    }

    #[inline]
    fn end_array(&mut self) {
        self.close(b']');
    }

    /// Starts the next member of the innermost object, `"key": `, on a line of its own. The
    /// keys are the reports' own names, which need no escaping. Always inlined: the key is
    /// then a constant, copied without a call to `memcpy` (writing a key took 97
    /// instructions when it was a call, a tenth of a JSON record's).
    #[inline(always)]
    fn key(&mut self, key: &str) {
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        self.next();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    /// Starts the next element of the innermost array, on a line of its own.
    #[inline]
    fn element(&mut self) {
        self.next();
    }

    /// A string, escaped as serde_json escapes it: `"` and `\`, the control characters
    /// below U+0020 (`\n`, `\r`, `\t`, `\b`, `\f`, the others as `\u00xx`), nothing else.
    /// What needs no escaping is copied in one piece.
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.buf.push(b'"');
        let bytes = s.as_bytes();
        // Bytes before `done` are written.
        let mut done = 0;
        while let Some(at) = find_escape(bytes, done) {
            self.buf.extend_from_slice(&bytes[done..at]);
            done = at + 1;
            let b = bytes[at];
            match b {
                b'"' => self.buf.extend_from_slice(b"\\\""),
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                0x08 => self.buf.extend_from_slice(b"\\b"),
                0x0C => self.buf.extend_from_slice(b"\\f"),
                _ => {
                    self.buf.extend_from_slice(b"\\u00");
                    self.buf.push(HEX[usize::from(b >> 4)]);
                    self.buf.push(HEX[usize::from(b & 0xF)]);
                }
            }
        }
        self.buf.extend_from_slice(&bytes[done..]);
        self.buf.push(b'"');
    }

    /// A string that needs no escaping (a rule's id), as [`PrettyJson::string`] writes it.
    #[inline]
    fn plain_string(&mut self, s: &str) {
        debug_assert!(find_escape(s.as_bytes(), 0).is_none(), "{s:?}");
        self.buf.push(b'"');
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(b'"');
    }

    /// Bytes already written as JSON (a string escaped by [`PrettyJson::string`] earlier).
    #[inline]
    fn raw(&mut self, json: &[u8]) {
        self.buf.extend_from_slice(json);
    }

    /// A number, in decimal.
    #[inline]
    fn uint(&mut self, n: impl Into<u64>) {
        let mut digits = [0u8; 20];
        let len = put_uint(&mut digits, 0, n.into());
        self.buf.extend_from_slice(&digits[..len]);
    }

    /// A boolean (the JSON record writes its own as part of a constant piece).
    #[cfg(test)]
    fn bool(&mut self, b: bool) {
        self.buf
            .extend_from_slice(if b { b"true" as &[u8] } else { b"false" });
    }

    #[inline]
    fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    /// Hands what has been written to `out`, and empties the buffer for what comes next.
    fn flush_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    #[inline]
    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    /// The separator before a member or an element, and its indentation.
    #[inline]
    fn next(&mut self) {
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        self.line_break();
    }

    /// Closes the innermost object or array; the one around it, if any, has a member now.
    #[inline]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.line_break();
        }
        self.buf.push(bracket);
        self.empty = false;
    }

    /// A line break and the indentation of the current depth. For the depths the reports
    /// reach, a constant 33 bytes are copied and the excess cut: a copy of a variable length
    /// was a call to `memcpy`.
    #[inline]
    fn line_break(&mut self) {
        const BREAK_AND_INDENT: &[u8; 33] = b"\n                                ";
        let end = self.buf.len() + 1 + 2 * self.depth;
        if self.depth <= 16 {
            self.buf.extend_from_slice(BREAK_AND_INDENT);
            self.buf.truncate(end);
        } else {
            self.buf.push(b'\n');
            self.buf.resize(end, b' ');
        }
    }
}

/// Writes `n` in decimal into `buf` at `at`, and returns where its digits end: two digits
/// at a step, into a buffer of their own, then copied as a constant 20 bytes from where
/// they start (a copy of the digits' own length was a call to `memcpy`, and counting the
/// digits first to write them in place cost more): `buf` needs 20 bytes from `at`,
/// whatever the number.
#[inline(always)]
fn put_uint(buf: &mut [u8], at: usize, mut n: u64) -> usize {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    // The digits end at 20 (`u64::MAX` has 20), and start at `start`.
    let mut digits = [0u8; 40];
    let mut start = 20;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        start -= 2;
        digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        start -= 2;
        digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        start -= 1;
        digits[start] = b'0' + n as u8;
    }
    buf[at..at + 20].copy_from_slice(&digits[start..start + 20]);
    at + 20 - start
}

/// The first byte at or after `from` that a JSON string escapes: a control character below
/// U+0020, `"` or `\`. Eight bytes are checked at a time (32 in long runs); the last few of
/// a string of eight bytes or more are checked in its last eight.
#[inline]
fn find_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    // Long runs without one (a message's) are passed 32 bytes at a step, in vector
    // instructions; the words below find the byte in the block that has one.
    while let Some(block) = bytes.get(i..i + 32) {
        let block: &[u8; 32] = block.try_into().expect("32 bytes");
        if block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        }) {
            break;
        }
        i += 32;
    }
    while let Some(word) = bytes.get(i..i + 8) {
        let marks = escapes(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        if marks != 0 {
            return Some(i + marks.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    if i == bytes.len() {
        return None;
    }
    if let Some(last) = bytes.len().checked_sub(8) {
        // The bytes of the last eight before `i` are left out: one may have been escaped
        // already.
        let word = u64::from_le_bytes(bytes[last..].try_into().expect("eight bytes"));
        let marks = escapes(word) & (!0 << ((i - last) * 8));
        return (marks != 0).then(|| last + marks.trailing_zeros() as usize / 8);
    }
    bytes[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|p| i + p)
}

/// The high bit of each byte of `word` (little-endian) that a JSON string escapes, and no
/// other bit. Exact for every byte, whatever its neighbours: a byte's low seven bits plus
/// `0x80 - k` carry into its high bit when they are `k` or more, and never out of the byte;
/// a byte equal to `c` is one that XOR with `c` makes zero, below 1.
#[inline]
fn escapes(word: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const LOW: u64 = u64::from_ne_bytes([0x7F; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit is set where the byte is `k` or more (non-ASCII bytes are).
    let at_least = |x: u64, k: u64| ((x & LOW) + (0x80 - k) * ONES) | x;
    let plain = at_least(word, 0x20)
        & at_least(word ^ (u64::from(b'"') * ONES), 1)
        & at_least(word ^ (u64::from(b'\\') * ONES), 1);
    !plain & HIGH
}

/// A file's output is handed to the writer in pieces of about this many bytes: in one write
/// for an article, and with a bounded buffer for a file of any size (one 60 MB file has
/// about 80 MB of JSON findings). The JSON report gathers the records of many files up to
/// it: it is the capacity of `main`'s `BufWriter`, which passes so large a piece on without
/// copying it.
const HAND_OVER_AT: usize = 64 * 1024;

/// `1 warning`, `2 warnings`, `3 info`.
fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) | (_, "info") => format!("{n} {word}"),
        _ => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;

    use super::*;

    /// A writer that keeps what it is given and the size of each write.
    #[derive(Default)]
    struct Writes {
        bytes: Vec<u8>,
        sizes: Vec<usize>,
    }

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes.extend_from_slice(buf);
            self.sizes.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A huge file's findings reach the output in bounded pieces (so that lint's memory does
    /// not grow with a file's output), and an article's in one.
    #[test]
    fn a_files_output_is_handed_over_in_bounded_pieces() {
        let line = "Hội nghị AMIC họp tại Hà Nội, \"đúng hẹn\".\n";
        let text = line.repeat(3_000);
        let findings: Vec<Finding> = (0..3_000)
            .map(|i| Finding {
                rule: "unknown-acronym",
                severity: crate::rules::Severity::Warning,
                span: i * line.len() + 14..i * line.len() + 18,
                message: format!("`AMIC` {i} is not spelled out"),
                fixes: vec![],
                related: vec![],
            })
            .collect();
        for format in [Format::Json, Format::Human, Format::Github] {
            let write = |findings: &[Finding]| {
                let mut out = Writes::default();
                let mut r = reporter(format, human::Colors::new(false));
                let file = Checked {
                    path: "huge.txt",
                    text: &text,
                    findings,
                };
                r.file(&mut out, &file).unwrap();
                r.flush(&mut out).unwrap();
                out
            };
            let huge = write(&findings);
            let largest = huge.sizes.iter().max().copied().unwrap_or(0);
            assert!(huge.bytes.len() > 4 * HAND_OVER_AT, "{format:?}");
            assert!(
                largest < HAND_OVER_AT + 4096,
                "{format:?}: a write of {largest} bytes"
            );
            // Pieces of about the threshold, not a write per finding.
            assert!(
                huge.sizes.len() <= huge.bytes.len() / HAND_OVER_AT + 1,
                "{format:?}"
            );
            let article = write(&findings[..20]);
            assert_eq!(article.sizes.len(), 1, "{format:?}");
            assert!(huge.bytes.starts_with(&article.bytes), "{format:?}");
        }
    }

    /// Streams `values` through [`JsonArray`] at `indent`, each written by [`PrettyJson`]
    /// at the array's depth.
    fn streamed(values: &[serde_json::Value], indent: &str) -> String {
        let mut out = Vec::new();
        let mut array = JsonArray::new(indent);
        let mut json = PrettyJson::new();
        array.open(&mut out).unwrap();
        for v in values {
            json.restart(indent.len() / 2);
            write_value(&mut json, v);
            array.push_written(&mut out, &json.buf).unwrap();
        }
        array.close(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_streamed_array_is_what_serde_json_prints() {
        let values = [
            serde_json::json!({"a": 1, "text": "two\nlines", "nested": {"list": [1, [], {}]}}),
            serde_json::json!([]),
            serde_json::json!("x"),
            serde_json::json!({"empty": [], "obj": {"k": [{"deep": null}]}}),
        ];
        for n in 0..=values.len() {
            let whole = serde_json::to_string_pretty(&values[..n]).unwrap();
            assert_eq!(streamed(&values[..n], "  "), whole, "{n} elements");
            // The same array as a member of an object, one level deeper.
            let outer = serde_json::to_string_pretty(&serde_json::json!({ "k": &values[..n] }));
            let nested = format!("{{\n  \"k\": {}\n}}", streamed(&values[..n], "    "));
            assert_eq!(nested, outer.unwrap(), "{n} elements, nested");
        }
    }

    /// Writes `value` through [`PrettyJson`].
    fn write_value(json: &mut PrettyJson, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => json.null(),
            Value::Bool(b) => json.bool(*b),
            Value::Number(n) => json.uint(n.as_u64().expect("tests use unsigned numbers")),
            Value::String(s) => json.string(s),
            Value::Array(elements) => {
                json.begin_array();
                for v in elements {
                    json.element();
                    write_value(json, v);
                }
                json.end_array();
            }
            Value::Object(members) => {
                json.begin_object();
                for (k, v) in members {
                    json.key(k);
                    write_value(json, v);
                }
                json.end_object();
            }
        }
    }

    #[test]
    fn pretty_json_is_what_serde_json_prints() {
        let values = [
            serde_json::json!({"a": 1, "text": "two\nlines", "nested": {"list": [1, [], {}]}}),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("x"),
            serde_json::json!({"empty": [], "obj": {"k": [{"deep": null}]}, "t": true, "f": false}),
            serde_json::json!([0, 9, 10, u32::MAX, u64::MAX, [[{"a": [{}]}]]]),
        ];
        for v in &values {
            let mut json = PrettyJson::new();
            write_value(&mut json, v);
            let expected = serde_json::to_string_pretty(v).unwrap();
            assert_eq!(String::from_utf8(json.buf).unwrap(), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn pretty_json_escapes_strings_as_serde_json_does(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<char>(),
                    (0u8..0x20).prop_map(char::from),
                    proptest::sample::select(vec![
                        '"', '\\', '/', '\u{7F}', '\u{80}', '\u{2028}', '\u{2029}', '\u{FEFF}',
                        'à', 'Đ', '🇻',
                    ]),
                    proptest::char::range('a', 'z'),
                ],
                0..40,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let mut json = PrettyJson::new();
            json.string(&s);
            proptest::prop_assert_eq!(
                String::from_utf8(json.buf).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }

    #[test]
    fn numbers() {
        for n in [
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            101,
            999,
            1000,
            12345,
            4_294_967_295,
            u64::MAX,
        ] {
            let mut json = PrettyJson::new();
            json.buf.extend_from_slice(b"x");
            json.uint(n);
            assert_eq!(json.buf, format!("x{n}").as_bytes());
            // In place, after other bytes, which it leaves as they are.
            let mut buf = [b'-'; 26];
            let end = put_uint(&mut buf, 3, n);
            assert_eq!(&buf[..end], format!("---{n}").as_bytes());
        }
    }

    proptest::proptest! {
        /// Every byte is marked exactly when it needs escaping, whatever its neighbours.
        #[test]
        fn escape_marks_are_exact(bytes: [u8; 8]) {
            let marks = escapes(u64::from_le_bytes(bytes));
            for (i, &b) in bytes.iter().enumerate() {
                let marked = marks >> (8 * i) & 0xFF;
                let needs = b < 0x20 || b == b'"' || b == b'\\';
                proptest::prop_assert_eq!(marked, if needs { 0x80 } else { 0 }, "byte {}", i);
            }
        }
    }

    #[test]
    fn escapes_near_the_end_of_long_strings() {
        // Escapes in the last eight bytes, after one already escaped there, of strings of
        // every length around a word's.
        for len in 0..20 {
            for a in 0..len {
                for b in a..len {
                    let mut s: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    s[a] = b'"';
                    s[b] = b'\n';
                    let s = String::from_utf8(s).unwrap();
                    let mut json = PrettyJson::new();
                    json.string(&s);
                    assert_eq!(json.buf, serde_json::to_string(&s).unwrap().as_bytes());
                }
            }
        }
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "problem"), "1 problem");
        assert_eq!(plural(2, "warning"), "2 warnings");
        assert_eq!(plural(2, "info"), "2 info");
    }
}
