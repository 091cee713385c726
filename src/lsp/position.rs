//! The one converter between byte offsets of the core and LSP positions, in the negotiated
//! encoding (UTF-8, UTF-16 or UTF-32 code units). Lines end at `\n`, `\r\n` or `\r`, as the
//! protocol says (ropey with `cr_lines`).
//!
//! Out-of-range positions are clamped: a character past the end of its line means the end of
//! the line (the specification says so), a line past the end means the end of the text, and
//! a position inside a character (half a surrogate pair) means the start of that character.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// Picks the encoding from the client's offer: UTF-8 when offered (no conversion), else
    /// UTF-16 (every client supports it), UTF-32 only when it is all the client offers.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let Some(offered) = offered else {
            return Encoding::Utf16;
        };
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// Code units of `c`.
    pub fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }

    /// Code units of a string.
    pub fn len(self, s: &str) -> u32 {
        match self {
            Encoding::Utf8 => s.len() as u32,
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum::<usize>() as u32,
            Encoding::Utf32 => s.chars().count() as u32,
        }
    }
}

/// The length in bytes of line `line`'s content, without its line break.
fn line_content_bytes(rope: &Rope, line: usize) -> usize {
    let l = rope.line(line);
    let mut len = l.len_bytes();
    let mut chars = l.chars_at(l.len_chars());
    if let Some('\n') = chars.prev() {
        len -= 1;
        if let Some('\r') = chars.prev() {
            len -= 1;
        }
    } else if l.len_chars() > 0 && l.char(l.len_chars() - 1) == '\r' {
        len -= 1;
    }
    len
}

/// The byte offset of an LSP position, clamped into the text.
pub fn to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let content = line_content_bytes(rope, line);
    let want = pos.character;
    if enc == Encoding::Utf8 {
        // Clamp, then step back to a character boundary.
        let mut b = start + (want as usize).min(content);
        while b > start && !is_char_boundary(rope, b) {
            b -= 1;
        }
        return b;
    }
    let mut units = 0u32;
    let mut b = start;
    for c in rope.byte_slice(start..start + content).chars() {
        let u = enc.units(c);
        if units + u > want {
            break;
        }
        units += u;
        b += c.len_utf8();
    }
    b
}

fn is_char_boundary(rope: &Rope, b: usize) -> bool {
    // byte_to_char rounds down to the character the byte is in.
    rope.char_to_byte(rope.byte_to_char(b)) == b
}

/// The LSP position of a byte offset (rounded down to a character boundary, clamped).
pub fn to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let offset = rope.char_to_byte(char_idx);
    let line = rope.byte_to_line(offset);
    let start = rope.line_to_byte(line);
    let character = match enc {
        Encoding::Utf8 => (offset - start) as u32,
        Encoding::Utf16 => {
            let line_char = rope.line_to_char(line);
            (rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_char)) as u32
        }
        Encoding::Utf32 => (char_idx - rope.line_to_char(line)) as u32,
    };
    Position {
        line: line as u32,
        character,
    }
}

/// Positions of increasing byte offsets of one text, in one forward pass: for encoding the
/// thousands of semantic tokens of a large document, where a [`to_position`] per offset
/// would cost a few rope lookups each. Gives exactly what `to_position` gives on the rope of
/// `text`; an offset before the previous one starts again from the top.
pub struct Forward<'a> {
    text: &'a str,
    enc: Encoding,
    /// The last offset converted, and its position.
    at: usize,
    line: u32,
    character: u32,
}

impl<'a> Forward<'a> {
    pub fn new(text: &'a str, enc: Encoding) -> Forward<'a> {
        Forward {
            text,
            enc,
            at: 0,
            line: 0,
            character: 0,
        }
    }

    /// The position of `offset` (rounded down to a character boundary, clamped).
    pub fn position(&mut self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            *self = Forward::new(self.text, self.enc);
        }
        let bytes = self.text.as_bytes();
        let mut line_start = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.at..offset]) {
            let i = self.at + i;
            // `\r\n` is one line break, at its `\n`: up to there the `\r` is a character of
            // the line, as in ropey.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            self.line += 1;
            line_start = Some(i + 1);
        }
        let counted = match line_start {
            Some(start) => {
                self.character = 0;
                &self.text[start..offset]
            }
            None => &self.text[self.at..offset],
        };
        self.character += if counted.is_ascii() {
            counted.len() as u32
        } else {
            self.enc.len(counted)
        };
        self.at = offset;
        Position {
            line: self.line,
            character: self.character,
        }
    }
}

/// The positions of a set of byte offsets of one text, found in one forward pass
/// ([`Forward`]) and then looked up: for the thousands of ranges of a large document's
/// diagnostics, which come in no single order (a finding's related spans may be anywhere),
/// and where a [`to_position`] each, a few rope look-ups and a count of UTF-16 units from
/// the line's start, took a tenth of an edit's time to publish them.
pub struct Positions<'a> {
    text: &'a str,
    enc: Encoding,
    /// The offsets given, sorted, without repeats, and their positions.
    offsets: Vec<usize>,
    positions: Vec<Position>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, enc: Encoding, offsets: impl IntoIterator<Item = usize>) -> Self {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut forward = Forward::new(text, enc);
        let positions = offsets.iter().map(|&o| forward.position(o)).collect();
        Positions {
            text,
            enc,
            offsets,
            positions,
        }
    }

    /// The position of `offset`, as [`to_position`] gives it. An offset that was not given
    /// is converted on its own (from the start of the text).
    pub fn position(&self, offset: usize) -> Position {
        match self.offsets.binary_search(&offset) {
            Ok(i) => self.positions[i],
            Err(_) => {
                debug_assert!(false, "offset {offset} was not given");
                Forward::new(self.text, self.enc).position(offset)
            }
        }
    }

    /// The LSP range of a byte range whose ends were given.
    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }
}

/// The LSP range of a byte range.
pub fn to_range(rope: &Rope, range: std::ops::Range<usize>, enc: Encoding) -> Range {
    Range {
        start: to_position(rope, range.start, enc),
        end: to_position(rope, range.end, enc),
    }
}

/// The byte range of an LSP range (clamped; an inverted range becomes empty).
pub fn to_byte_range(rope: &Rope, range: Range, enc: Encoding) -> std::ops::Range<usize> {
    let s = to_offset(rope, range.start, enc);
    let e = to_offset(rope, range.end, enc);
    s..e.max(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_positions_equal_to_position_at_every_byte() {
        let texts = [
            "",
            "a\r\nb\rc\n\nd",
            "Hà Nội 😀 x\r\n\r\ny\r",
            "\r\r\n\n\u{1F600}\u{0301}é",
            "ASEAN\nHội nghị\r\nAMMTC-17\r",
        ];
        for text in texts {
            let rope = Rope::from_str(text);
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let mut f = Forward::new(text, enc);
                for b in 0..=text.len() + 2 {
                    assert_eq!(
                        f.position(b),
                        to_position(&rope, b, enc),
                        "{text:?} {enc:?} {b}"
                    );
                }
                // Going back starts again.
                assert_eq!(f.position(1), to_position(&rope, 1, enc), "{text:?} back");
                // Jumps of several bytes at once.
                let mut f = Forward::new(text, enc);
                for b in (0..=text.len()).step_by(3) {
                    assert_eq!(
                        f.position(b),
                        to_position(&rope, b, enc),
                        "{text:?} {enc:?} {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn batched_positions_equal_to_position() {
        let text = "Hà Nội 😀 x\r\n\r\ny\rASEAN\nHội nghị\r\nAMMTC-17\r";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            // In no order, repeated, inside characters and past the end.
            let offsets: Vec<usize> = (0..=text.len() + 2).rev().chain([3, 3, 0, 7]).collect();
            let p = Positions::new(text, enc, offsets.iter().copied());
            for &o in &offsets {
                assert_eq!(p.position(o), to_position(&rope, o, enc), "{enc:?} {o}");
            }
            assert_eq!(p.range(2..9), to_range(&rope, 2..9, enc));
        }
    }

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    const TEXT: &str = "a😀b\r\nHà Nội\rAMIC\nend";

    #[test]
    fn round_trips_every_char_boundary_in_every_encoding() {
        let rope = Rope::from_str(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (b, _) in TEXT.char_indices().chain([(TEXT.len(), ' ')]) {
                if TEXT[..b].ends_with('\r') && TEXT[b..].starts_with('\n') {
                    continue; // between \r and \n: not a position of the text
                }
                let p = to_position(&rope, b, enc);
                // Positions at a line break map to the line end; the break itself is the
                // position after the last character, which maps back to the same byte.
                assert_eq!(to_offset(&rope, p, enc), b, "{enc:?} byte {b} -> {p:?}");
            }
        }
    }

    #[test]
    fn units_per_encoding() {
        let rope = Rope::from_str(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(to_position(&rope, b, Encoding::Utf8), pos(0, 5));
        assert_eq!(to_position(&rope, b, Encoding::Utf16), pos(0, 3));
        assert_eq!(to_position(&rope, b, Encoding::Utf32), pos(0, 2));
        let noi = TEXT.find("Nội").unwrap();
        assert_eq!(to_position(&rope, noi, Encoding::Utf16), pos(1, 3));
        // Lone CR ends a line.
        let amic = TEXT.find("AMIC").unwrap();
        assert_eq!(to_position(&rope, amic, Encoding::Utf16), pos(2, 0));
        assert_eq!(to_position(&rope, TEXT.len(), Encoding::Utf16), pos(3, 3));
    }

    #[test]
    fn clamps_out_of_range() {
        let rope = Rope::from_str(TEXT);
        // Past the line end: the line end, before \r\n.
        assert_eq!(
            to_offset(&rope, pos(0, 99), Encoding::Utf16),
            TEXT.find('\r').unwrap()
        );
        // Past the last line: the end of the text.
        assert_eq!(to_offset(&rope, pos(99, 0), Encoding::Utf16), TEXT.len());
        // Inside a surrogate pair: the start of the emoji.
        assert_eq!(to_offset(&rope, pos(0, 2), Encoding::Utf16), 1);
        // Inside a UTF-8 sequence: the start of the character.
        assert_eq!(to_offset(&rope, pos(0, 3), Encoding::Utf8), 1);
        // Past the end in bytes.
        assert_eq!(to_position(&rope, 10_000, Encoding::Utf8), pos(3, 3));
        let empty = Rope::from_str("");
        assert_eq!(to_offset(&empty, pos(5, 5), Encoding::Utf16), 0);
        assert_eq!(to_position(&empty, 0, Encoding::Utf16), pos(0, 0));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let k = |v: &[&'static str]| {
            v.iter()
                .map(|s| PositionEncodingKind::from(*s))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            Encoding::negotiate(Some(&k(&["utf-16", "utf-8"]))),
            Encoding::Utf8
        );
        assert_eq!(Encoding::negotiate(Some(&k(&["utf-16"]))), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&k(&["utf-32"]))), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
