//! Positions computed by the test itself, independently of the server: lines end at `\r\n`,
//! `\r` or `\n`, and characters count in UTF-8 bytes or UTF-16 code units.

use serde_json::{Value, json};

/// A position encoding the test client can negotiate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
            Enc::Utf32 => "utf-32",
        }
    }

    pub fn units(self, c: char) -> usize {
        match self {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
            Enc::Utf32 => 1,
        }
    }

    pub fn len(self, s: &str) -> usize {
        s.chars().map(|c| self.units(c)).sum()
    }
}

/// Each line's (start, end of content) in bytes; the end excludes the line break.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, b.len()));
    out
}

/// The (line, character) of a byte offset.
pub fn line_char(text: &str, offset: usize, enc: Enc) -> (usize, usize) {
    let ls = lines(text);
    let line = ls
        .iter()
        .rposition(|(s, _)| *s <= offset)
        .expect("line 0 starts at 0");
    let (start, end) = ls[line];
    assert!(offset <= end, "offset {offset} is inside a line break");
    (line, enc.len(&text[start..offset]))
}

pub fn position(text: &str, offset: usize, enc: Enc) -> Value {
    let (line, character) = line_char(text, offset, enc);
    json!({"line": line, "character": character})
}

pub fn range(text: &str, start: usize, end: usize, enc: Enc) -> Value {
    json!({"start": position(text, start, enc), "end": position(text, end, enc)})
}

/// The byte offset of a position that lies in the text (panics otherwise: the server sent
/// a position that is not in the document).
pub fn offset(text: &str, pos: &Value, enc: Enc) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let character = pos["character"].as_u64().expect("character") as usize;
    let ls = lines(text);
    let (start, end) = *ls
        .get(line)
        .unwrap_or_else(|| panic!("line {line} is past the end of the text"));
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units == character {
            return start + i;
        }
        assert!(
            units < character,
            "character {character} of line {line} is inside a character"
        );
        units += enc.units(c);
    }
    assert_eq!(
        units, character,
        "character {character} is past the end of line {line}"
    );
    end
}

/// The byte offset of the `nth` (0-based) occurrence of `needle`.
pub fn find(text: &str, needle: &str, nth: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} is not in the text"))
        .0
}

/// Applies LSP `TextEdit`s (non-overlapping, in any order) to a text.
pub fn apply_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}

/// A document of the test: its URI, text and the session's encoding.
#[derive(Clone, Debug)]
pub struct Doc {
    pub uri: String,
    pub text: String,
    pub enc: Enc,
}

impl Doc {
    pub fn new(uri: impl Into<String>, text: impl Into<String>, enc: Enc) -> Doc {
        Doc {
            uri: uri.into(),
            text: text.into(),
            enc,
        }
    }

    /// The position of byte `offset`.
    pub fn at(&self, offset: usize) -> Value {
        position(&self.text, offset, self.enc)
    }

    /// A position inside the `nth` occurrence of `needle`: after its first character.
    pub fn inside(&self, needle: &str, nth: usize) -> Value {
        let start = find(&self.text, needle, nth);
        let first = self.text[start..].chars().next().expect("a needle");
        self.at(start + first.len_utf8())
    }

    /// The range of the `nth` occurrence of `needle`.
    pub fn range_of(&self, needle: &str, nth: usize) -> Value {
        let start = find(&self.text, needle, nth);
        range(&self.text, start, start + needle.len(), self.enc)
    }

    /// `TextDocumentPositionParams` at `pos`.
    pub fn tdpp(&self, pos: Value) -> Value {
        json!({"textDocument": {"uri": self.uri}, "position": pos})
    }

    pub fn id(&self) -> Value {
        json!({"uri": self.uri})
    }
}

/// A `file://` URI for an absolute path (test paths are plain ASCII).
pub fn file_uri(path: &std::path::Path) -> String {
    let s = path.to_str().expect("a UTF-8 path");
    assert!(s.starts_with('/'), "an absolute path: {s}");
    let mut out = String::from("file://");
    for c in s.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// The path of a `file://` URI.
pub fn uri_path(uri: &str) -> std::path::PathBuf {
    let rest = uri
        .strip_prefix("file://")
        .unwrap_or_else(|| panic!("not a file URI: {uri}"));
    let bytes = rest.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Ok(v) = u8::from_str_radix(&rest[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::path::PathBuf::from(String::from_utf8(out).expect("a UTF-8 path"))
}

/// Decoded semantic tokens: (line, start, length, type, modifiers), absolute.
pub fn decode_tokens(data: &[u32]) -> Vec<[u32; 5]> {
    assert_eq!(data.len() % 5, 0, "token data comes in fives");
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                line += c[0];
                start = c[1];
            } else {
                start += c[1];
            }
            [line, start, c[2], c[3], c[4]]
        })
        .collect()
}

/// Token data as numbers.
pub fn token_data(v: &Value) -> Vec<u32> {
    v["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no token data in {v}"))
        .iter()
        .map(|n| n.as_u64().expect("a token number") as u32)
        .collect()
}
