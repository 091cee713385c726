//! Incremental edits through the protocol: random `didChange` sequences sent without
//! waiting, in utf-8, utf-16 and utf-32 sessions, leave the server's text equal to a
//! reference string edited with an independent position model; the edited document is
//! analysed exactly as the same text opened fresh.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use lexls::lsp::position::Encoding;

use super::client::{Client, runtime, uri};
use super::inputs;
use super::reference;

/// A position chosen against the text current when the change applies: seeds map to a
/// line (sometimes past the last) and a character (sometimes past the line end, sometimes
/// inside a character: half a surrogate pair, the middle of a UTF-8 sequence).
#[derive(Clone, Copy, Debug)]
pub struct PosSeed(pub u32, pub u32);

#[derive(Clone, Debug)]
pub enum Change {
    Range(PosSeed, PosSeed, String),
    /// A range given as protocol positions `(line, character)`.
    At((u32, u32), (u32, u32), String),
    Full(String),
}

fn pos_seed() -> impl Strategy<Value = PosSeed> {
    (any::<u32>(), any::<u32>()).prop_map(|(a, b)| PosSeed(a, b))
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        30 => (pos_seed(), pos_seed(), inputs::insert_text())
            .prop_map(|(a, b, t)| Change::Range(a, b, t)),
        1 => inputs::text(12).prop_map(Change::Full),
    ]
}

/// One `didChange`: one to three changes, applied in order.
fn step() -> impl Strategy<Value = Vec<Change>> {
    proptest::collection::vec(change(), 1..4)
}

/// The protocol position a seed names in `text`.
pub fn resolve(seed: PosSeed, text: &str, enc: Encoding) -> (u32, u32) {
    let lines = reference::line_count(text);
    let line = match seed.0 % 10 {
        0 => lines + seed.0 % 3, // past the last line
        1 => lines - 1,          // the last line
        _ => (seed.0 / 10) % lines,
    };
    let len = reference::line_units(text, line, enc);
    let character = match seed.1 % 8 {
        0 => len + 1 + (seed.1 / 8) % 4, // past the line end
        1 => i32::MAX as u32,            // far past it
        2 => len,                        // at the line end
        3 => 0,
        _ => (seed.1 / 8) % (len + 1),
    };
    (line, character)
}

fn lsp_pos((line, character): (u32, u32)) -> Value {
    json!({ "line": line, "character": character })
}

/// Applies one change to the reference text; returns the change as sent.
pub fn apply(text: &mut String, c: &Change, enc: Encoding) -> Value {
    match c {
        Change::Full(t) => {
            *text = t.clone();
            json!({ "text": t })
        }
        Change::Range(a, b, insert) => {
            let mut pa = resolve(*a, text, enc);
            let mut pb = resolve(*b, text, enc);
            if pb < pa {
                std::mem::swap(&mut pa, &mut pb);
            }
            apply(text, &Change::At(pa, pb, insert.clone()), enc)
        }
        Change::At(pa, pb, insert) => {
            let (pa, pb) = (*pa, *pb);
            let s = reference::offset(text, pa.0, pa.1, enc);
            let e = reference::offset(text, pb.0, pb.1, enc).max(s);
            text.replace_range(s..e, insert);
            json!({
                "range": { "start": lsp_pos(pa), "end": lsp_pos(pb) },
                "text": insert
            })
        }
    }
}

/// Runs one case: opens `initial`, sends every step (with requests in between that make
/// the server analyse mid-stream), then compares text and analysis.
async fn run_case(enc: Encoding, initial: &str, steps: &[Vec<Change>]) {
    let mut c = Client::initialized(enc).await;
    let doc = uri("edited.txt");
    c.open(&doc, 1, initial);
    let mut reference = initial.to_owned();
    let mut pending = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let changes: Vec<Value> = step
            .iter()
            .map(|ch| apply(&mut reference, ch, enc))
            .collect();
        c.change(&doc, 2 + i as i32, Value::Array(changes));
        if i % 4 == 3 {
            // Requests racing the edits: they must not reorder them.
            pending.push(c.send_request(
                "textDocument/semanticTokens/full",
                json!({ "textDocument": { "uri": doc } }),
            ));
            pending.push(c.send_request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": doc }, "position": { "line": 0, "character": 1 } }),
            ));
        }
    }
    for id in pending {
        let r = c.response(id).await;
        assert!(
            r.get("error").is_none(),
            "a request during the edits failed: {r}"
        );
    }
    let server_text = c.text(&doc).await.expect("the document is open");
    assert_eq!(
        server_text,
        reference,
        "{enc:?}: the server's text differs from the reference after {} didChange",
        steps.len()
    );

    // Analysis of the edited document equals analysis of the same text opened fresh.
    let fresh = uri("fresh.txt");
    c.open(&fresh, 1, &reference);
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
    ] {
        let edited = c
            .request(method, json!({ "textDocument": { "uri": doc } }))
            .await;
        let opened = c
            .request(method, json!({ "textDocument": { "uri": fresh } }))
            .await;
        let strip = |mut v: Value| {
            if let Some(r) = v.get_mut("result").and_then(Value::as_object_mut) {
                r.remove("resultId");
            }
            v["result"].take()
        };
        let (edited, opened) = (strip(edited), strip(opened));
        assert!(
            !edited.is_null(),
            "{method} answered null for an open document"
        );
        assert_eq!(
            edited, opened,
            "{enc:?} {method}: edited and fresh documents differ"
        );
    }
    c.finish().await;
}

fn run(enc: Encoding) {
    let rt = runtime();
    let mut runner = TestRunner::new(inputs::config(128));
    let strategy = (inputs::text(24), proptest::collection::vec(step(), 1..16));
    let (cases, changes) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&strategy, |(initial, steps)| {
            rt.block_on(run_case(enc, &initial, &steps));
            cases.set(cases.get() + 1);
            changes.set(changes.get() + steps.iter().map(Vec::len).sum::<usize>());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{enc:?}: {e}"));
    eprintln!(
        "edits {enc:?}: {} sessions, {} changes, text and analysis equal",
        cases.get(),
        changes.get()
    );
}

#[test]
fn edits_utf8_session() {
    run(Encoding::Utf8);
}

#[test]
fn edits_utf16_session() {
    run(Encoding::Utf16);
}

#[test]
fn edits_utf32_session() {
    run(Encoding::Utf32);
}

/// Hand-written sequences for the hazards the random ones may take long to hit.
#[test]
fn edits_at_hazards() {
    let rt = runtime();
    let at = |a, b, t: &str| vec![Change::At(a, b, t.to_owned())];
    let cases: Vec<(&str, Vec<Vec<Change>>)> = vec![
        // A lone CR and an inserted LF make a CRLF; then text before it; then delete it.
        (
            "a\rb\nc",
            vec![
                at((1, 0), (1, 0), "\n"),
                at((0, 1), (0, 1), "x"),
                at((0, 2), (1, 0), ""),
            ],
        ),
        // Inside a surrogate pair (UTF-16) or a UTF-8 sequence: the start of the character.
        (
            "😀b\r\nHà Nội",
            vec![
                at((0, 1), (0, 1), "<"),
                at((1, 2), (1, 3), "|"),
                at((0, 99), (0, 99), ">"),
            ],
        ),
        // Past the last line and past line ends; deletions across line breaks.
        (
            "Hà Nội\r\n😀 AMIC\rend\n",
            vec![
                at((99, 0), (99, 5), "z"),
                at((0, 99), (2, 1), ""),
                at((0, 0), (99, 99), "AMIC\r\n\r"),
                at((1, 0), (1, 0), "\n"),
            ],
        ),
        // Several changes in one notification, each against the text the previous left.
        (
            "ASEAN\nAMIM-17",
            vec![vec![
                Change::At((0, 0), (0, 5), "Ð".into()),
                Change::At((1, 0), (1, 0), "\u{0301}".into()),
                Change::Full("AMIC\r\nx".into()),
                Change::At((1, 1), (1, 1), "🤝".into()),
            ]],
        ),
    ];
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        for (initial, steps) in &cases {
            rt.block_on(run_case(enc, initial, steps));
        }
    }
}
