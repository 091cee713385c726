//! Re-analysis after an edit (`Engine::reanalyze`, issue 7's paragraph reuse) gives exactly
//! what a fresh analysis of the edited text gives: mentions, definitions and bindings.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;

use lexls::analysis::{Analysis, Engine};

use super::inputs;
use super::invariants::check_analysis;

/// Paragraph and line breaks of every kind, and sentence ends before them, so that edits
/// make, join and split pieces.
fn separator() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "\n", "\n\n", "\r\n\r\n", "\r\r", ".\n", ". \n", "?\r\n", ".”\n", "\n \t\n", " ",
    ])
    .prop_map(str::to_owned)
}

/// A document of paragraphs of generated text.
fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec((inputs::text(12), separator()), 1..12)
        .prop_map(|v| v.into_iter().map(|(t, s)| t + &s).collect())
}

/// An edit: a place and a length (as fractions of the text) and what replaces them.
fn edit() -> impl Strategy<Value = (f64, f64, String)> {
    (
        0.0..=1.0f64,
        prop_oneof![3 => Just(0.0), 1 => 0.0..0.2f64],
        prop_oneof![4 => inputs::insert_text(), 1 => separator()],
    )
}

fn char_boundary(text: &str, at: usize) -> usize {
    (at.min(text.len())..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

fn summary(a: &Analysis) -> String {
    format!("{:?}\n{:?}\n{:?}", a.mentions, a.definitions, a.defined_by)
}

#[test]
fn reanalysis_equals_fresh_analysis_after_random_edits() {
    let engine = Engine::embedded();
    let mut runner = TestRunner::new(inputs::config(256));
    let strategy = (document(), proptest::collection::vec(edit(), 1..6));
    runner
        .run(&strategy, |(mut text, edits)| {
            let mut previous = engine.analyze(&text);
            for (at, len, insert) in edits {
                let start = char_boundary(&text, (at * text.len() as f64) as usize);
                let end = char_boundary(&text, start + (len * text.len() as f64) as usize);
                let mut edited = text.clone();
                edited.replace_range(start..end, &insert);
                let again = engine.reanalyze(&edited, Some((&text, &previous)));
                check_analysis(&edited, &again);
                let fresh = engine.analyze(&edited);
                prop_assert_eq!(summary(&again), summary(&fresh), "edited text {:?}", edited);
                text = edited;
                previous = again;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
