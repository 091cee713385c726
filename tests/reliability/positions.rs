//! The one position converter (`lexls::lsp::position`) against the independent model: every
//! character boundary round-trips in utf-8, utf-16 and utf-32; every position, however far
//! out of range, clamps as the protocol says and never panics.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

use lexls::lsp::position::{Encoding, to_byte_range, to_offset, to_position};

use super::inputs;
use super::reference;

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

fn check_round_trips(text: &str) {
    let rope = Rope::from_str(text);
    assert_eq!(
        rope.len_lines() as u32,
        reference::line_count(text),
        "line count of {text:?}"
    );
    for enc in ENCODINGS {
        for b in (0..=text.len()).filter(|&b| reference::is_position(text, b)) {
            let p = to_position(&rope, b, enc);
            let (line, character) = reference::position(text, b, enc);
            assert_eq!(
                (p.line, p.character),
                (line, character),
                "{enc:?}: position of byte {b} in {text:?}"
            );
            assert_eq!(
                to_offset(&rope, p, enc),
                b,
                "{enc:?}: byte {b} -> {p:?} -> back, in {text:?}"
            );
        }
        // Every character index of every line, and a little past its end.
        for line in 0..reference::line_count(text) + 2 {
            for character in 0..reference::line_units(text, line, enc) + 3 {
                let got = to_offset(&rope, Position { line, character }, enc);
                let want = reference::offset(text, line, character, enc);
                assert_eq!(got, want, "{enc:?}: ({line}, {character}) in {text:?}");
            }
        }
    }
}

#[test]
fn round_trips_every_boundary() {
    let mut runner = TestRunner::new(inputs::config(256));
    runner
        .run(&inputs::text(40), |text| {
            check_round_trips(&text);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn clamps_arbitrary_positions_and_offsets() {
    let mut runner = TestRunner::new(inputs::config(256));
    let positions = proptest::collection::vec((any::<u32>(), any::<u32>()), 1..16);
    let offsets = proptest::collection::vec(any::<usize>(), 1..16);
    runner
        .run(
            &(inputs::text(30), positions, offsets),
            |(text, positions, offsets)| {
                let rope = Rope::from_str(&text);
                for enc in ENCODINGS {
                    for &(line, character) in &positions {
                        // Small values too, so that they land in the text.
                        for (line, character) in [(line, character), (line % 4, character % 12)] {
                            let p = Position { line, character };
                            let got = to_offset(&rope, p, enc);
                            let want = reference::offset(&text, line, character, enc);
                            prop_assert_eq!(got, want, "{:?}: {:?} in {:?}", enc, p, text);
                        }
                    }
                    for &o in &offsets {
                        for o in [o, o % (text.len() + 3)] {
                            let p = to_position(&rope, o, enc);
                            prop_assert!((p.line as usize) < rope.len_lines());
                            let back = to_offset(&rope, p, enc);
                            prop_assert!(back <= text.len() && text.is_char_boundary(back));
                        }
                    }
                    for w in positions.windows(2) {
                        let r = Range {
                            start: Position::new(w[0].0 % 4, w[0].1 % 12),
                            end: Position::new(w[1].0 % 4, w[1].1 % 12),
                        };
                        let br = to_byte_range(&rope, r, enc);
                        prop_assert!(br.start <= br.end && br.end <= text.len());
                        prop_assert!(text.is_char_boundary(br.start));
                        prop_assert!(text.is_char_boundary(br.end));
                    }
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
}
