//! GitHub Actions workflow commands: one `::warning file=…,line=…,col=…,endLine=…,
//! endColumn=…,title=rule::message` line per finding, which Actions shows as an annotation
//! on the file. Errors are `::error`, info and hints `::notice`.

use std::io::{self, Write};

use super::{Checked, Digits, HAND_OVER_AT, Place, Reporter};
use crate::cli::annotate::LineIndex;
use crate::rules::Severity;

/// The GitHub Actions format: a workflow command per finding, nothing around them.
///
/// A file's commands are written as pieces into one buffer, handed to the output in one
/// piece: `format!` and a `String::replace` per escape were most of this format's cost.
pub struct Github;

impl Reporter for Github {
    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        // The path escaped as a property, once for all the file's findings, then the
        // commands after it.
        let mut buf = Vec::with_capacity((128 * file.findings.len()).min(2 * HAND_OVER_AT));
        property(&mut buf, file.path);
        let path = 0..buf.len();
        for f in file.findings {
            let p = Place::of(&index, file.text, &f.span);
            buf.extend_from_slice(match f.severity {
                Severity::Error => b"::error file=" as &[u8],
                Severity::Warning => b"::warning file=",
                Severity::Info | Severity::Hint => b"::notice file=",
            });
            buf.extend_from_within(path.clone());
            buf.extend_from_slice(b",line=");
            number(&mut buf, p.line);
            buf.extend_from_slice(b",col=");
            number(&mut buf, p.column);
            buf.extend_from_slice(b",endLine=");
            number(&mut buf, p.end_line);
            buf.extend_from_slice(b",endColumn=");
            number(&mut buf, p.end_column);
            buf.extend_from_slice(b",title=");
            property(&mut buf, f.rule);
            buf.extend_from_slice(b"::");
            data(&mut buf, &f.message);
            buf.push(b'\n');
            // Handed to the output in pieces of `HAND_OVER_AT` bytes or so: in one for most
            // files.
            if buf.len() - path.end >= HAND_OVER_AT {
                out.write_all(&buf[path.end..])?;
                buf.truncate(path.end);
            }
        }
        out.write_all(&buf[path.end..])
    }
}

/// Appends `n` in decimal.
fn number(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(Digits::default().of(n).as_bytes());
}

/// Appends a command's message, escaped: `%`, CR and LF. What needs no escaping is copied in
/// one piece.
fn data(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Bytes before `done` are written.
    let mut done = 0;
    for at in memchr::memchr3_iter(b'%', b'\r', b'\n', bytes) {
        out.extend_from_slice(&bytes[done..at]);
        out.extend_from_slice(escape(bytes[at]));
        done = at + 1;
    }
    out.extend_from_slice(&bytes[done..]);
}

/// Appends a property value, escaped: as a message, plus `:` and `,`.
fn property(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut done = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if matches!(b, b'%' | b'\r' | b'\n' | b':' | b',') {
            out.extend_from_slice(&bytes[done..at]);
            out.extend_from_slice(escape(b));
            done = at + 1;
        }
    }
    out.extend_from_slice(&bytes[done..]);
}

/// The escape of a byte that [`data`] or [`property`] escapes.
fn escape(b: u8) -> &'static [u8] {
    match b {
        b'%' => b"%25",
        b'\r' => b"%0D",
        b'\n' => b"%0A",
        b':' => b"%3A",
        b',' => b"%2C",
        _ => unreachable!("only the bytes of a command's escapes are escaped"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The escapes as they were written first, one `String::replace` per character.
    fn data_by_replace(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }

    fn property_by_replace(s: &str) -> String {
        data_by_replace(s).replace(':', "%3A").replace(',', "%2C")
    }

    fn escaped(f: fn(&mut Vec<u8>, &str), s: &str) -> String {
        let mut out = b"before ".to_vec();
        f(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escaped(data, "50% done\r\nnext"),
            "before 50%25 done%0D%0Anext"
        );
        assert_eq!(escaped(data, "a,b:c"), "before a,b:c");
        assert_eq!(escaped(property, "a,b:c%.txt"), "before a%2Cb%3Ac%25.txt");
        assert_eq!(escaped(property, ""), "before ");
        assert_eq!(escaped(property, "%%"), "before %25%25");
    }

    #[test]
    fn numbers() {
        for n in [0, 7, 10, 99, 100, 12_345, u32::MAX] {
            let mut out = b"x".to_vec();
            number(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
    }

    proptest! {
        #[test]
        fn escapes_are_the_replacements(s in "(?s)[a-zđ%:,\r\n ạ\u{0300}]{0,40}") {
            prop_assert_eq!(escaped(data, &s), format!("before {}", data_by_replace(&s)));
            prop_assert_eq!(escaped(property, &s), format!("before {}", property_by_replace(&s)));
        }
    }
}
