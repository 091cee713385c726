//! An independent model of LSP positions over a plain `String`: lines end at `\n`, `\r\n`
//! or `\r`; a character past the line end means the line end; a line past the last means
//! the end of the text; a position inside a character (half a surrogate pair, the middle of
//! a UTF-8 sequence) means the start of that character. No rope, no code of the server.

use lexls::lsp::position::Encoding;

/// Code units of `c` in `enc`, computed by hand.
pub fn units(c: char, enc: Encoding) -> u32 {
    match enc {
        Encoding::Utf8 => c.to_string().len() as u32,
        Encoding::Utf16 => {
            if (c as u32) >= 0x1_0000 {
                2
            } else {
                1
            }
        }
        Encoding::Utf32 => 1,
    }
}

/// Lines as (start byte, end of content byte): the content excludes the line break.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

/// The byte offset of `(line, character)`, clamped as the protocol says.
pub fn offset(text: &str, line: u32, character: u32, enc: Encoding) -> usize {
    let ls = lines(text);
    let Some(&(start, end)) = ls.get(line as usize) else {
        return text.len();
    };
    let mut used = 0u32;
    let mut at = start;
    for c in text[start..end].chars() {
        let u = units(c, enc);
        if used + u > character {
            break;
        }
        used += u;
        at += c.len_utf8();
    }
    at
}

/// The position of a byte offset on a character boundary, not between `\r` and `\n`.
pub fn position(text: &str, offset: usize, enc: Encoding) -> (u32, u32) {
    let ls = lines(text);
    let line = ls
        .iter()
        .rposition(|&(s, _)| s <= offset)
        .expect("the first line starts at 0");
    let (start, end) = ls[line];
    let upto = offset.min(end);
    let character = text[start..upto].chars().map(|c| units(c, enc)).sum();
    (line as u32, character)
}

/// Whether `offset` is a position of the text: a character boundary that is not between the
/// `\r` and the `\n` of a CRLF.
pub fn is_position(text: &str, offset: usize) -> bool {
    text.is_char_boundary(offset)
        && !(offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n'))
}

/// The length of line `line`'s content in code units (0 past the end).
pub fn line_units(text: &str, line: u32, enc: Encoding) -> u32 {
    lines(text)
        .get(line as usize)
        .map_or(0, |&(s, e)| text[s..e].chars().map(|c| units(c, enc)).sum())
}

pub fn line_count(text: &str) -> u32 {
    lines(text).len() as u32
}
