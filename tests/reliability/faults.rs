//! Faults: a handler that panics in the middle of a burst of edits, a client that vanishes,
//! a 5 MB single-line document, and 300 documents edited faster than they are analysed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use lexls::lsp::position::Encoding;

use super::client::{Client, WAIT, frame, runtime, uri};
use super::edits::{Change, apply};
use super::inputs;
use super::reference;

/// Peak resident memory of this process (Linux), for the figures in tests/RELIABILITY.md.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn assert_internal_error(r: &Value) {
    assert_eq!(
        r["error"]["code"],
        json!(-32603),
        "a panic answers an internal error: {r}"
    );
}

/// A handler panics between edits (test-only `lexls/debugPanic`): each panic answers an
/// internal error, no edit is lost or reordered, and the server goes on serving.
#[test]
fn panics_during_a_burst_of_edits_lose_nothing() {
    let rt = runtime();
    let mut runner = TestRunner::new(inputs::config(24));
    let change = (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        inputs::insert_text(),
    )
        .prop_map(|(a, b, c, d, t)| {
            Change::Range(super::edits::PosSeed(a, b), super::edits::PosSeed(c, d), t)
        });
    let steps = proptest::collection::vec((change, any::<bool>()), 1..40);
    let (sessions, injected) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&(inputs::text(20), steps), |(initial, steps)| {
            rt.block_on(async {
                let mut c = Client::initialized(Encoding::Utf16).await;
                let doc = uri("panicky.txt");
                c.open(&doc, 1, &initial);
                let mut reference = initial.clone();
                let mut panics = Vec::new();
                for (i, (ch, panic_after)) in steps.iter().enumerate() {
                    let sent = apply(&mut reference, ch, Encoding::Utf16);
                    c.change(&doc, 2 + i as i32, json!([sent]));
                    if *panic_after {
                        panics.push(c.send_request("lexls/debugPanic", json!({})));
                    }
                }
                for id in &panics {
                    assert_internal_error(&c.response(*id).await);
                }
                sessions.set(sessions.get() + 1);
                injected.set(injected.get() + panics.len());
                assert_eq!(c.text(&doc).await.as_deref(), Some(reference.as_str()));
                let tokens = c
                    .request(
                        "textDocument/semanticTokens/full",
                        json!({ "textDocument": { "uri": doc } }),
                    )
                    .await;
                assert!(tokens.get("error").is_none(), "still serving: {tokens}");
                c.finish().await;
            });
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "panics: {} injected in {} sessions, every one answered, no edit lost",
        injected.get(),
        sessions.get()
    );
}

/// A client that disappears (the pipe dropped, as when the editor crashes) ends `serve()`
/// within seconds: before initialize, after it, in the middle of a frame, and with
/// requests in flight.
#[test]
fn a_vanished_client_ends_the_server() {
    let rt = runtime();
    const WITHIN: Duration = Duration::from_secs(60);
    rt.block_on(async {
        // Before initialize.
        let c = Client::start();
        let server = c.vanish();
        let clean = tokio::time::timeout(WITHIN, server)
            .await
            .expect("serve() ends when the client vanishes before initialize")
            .expect("no panic");
        assert!(!clean, "no shutdown came first");

        // After initialize, with documents open.
        let c = Client::initialized(Encoding::Utf16).await;
        c.open(&uri("a.txt"), 1, "AMIC và ASEAN");
        let server = c.vanish();
        let clean = tokio::time::timeout(WITHIN, server)
            .await
            .expect("serve() ends when the client vanishes after initialize")
            .expect("no panic");
        assert!(!clean, "no shutdown came first");

        // In the middle of a frame: a header promising more than will ever come.
        let c = Client::initialized(Encoding::Utf8).await;
        let mut partial = frame(&json!({"jsonrpc": "2.0", "method": "initialized"}));
        partial.truncate(partial.len() / 2);
        c.send_raw(partial);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let server = c.vanish();
        let clean = tokio::time::timeout(WITHIN, server)
            .await
            .expect("serve() ends when the client vanishes mid-frame")
            .expect("no panic");
        assert!(!clean, "no shutdown came first");

        // With requests in flight on a large document.
        let mut c = Client::initialized(Encoding::Utf16).await;
        let doc = uri("big.txt");
        c.open(&doc, 1, &"AMIC và ASEAN, Hà Nội.\n".repeat(20_000));
        for _ in 0..4 {
            c.send_request(
                "textDocument/semanticTokens/full",
                json!({ "textDocument": { "uri": doc } }),
            );
        }
        let server = c.vanish();
        let clean = tokio::time::timeout(WITHIN * 6, server)
            .await
            .expect("serve() ends when the client vanishes with requests in flight")
            .expect("no panic");
        assert!(!clean, "no shutdown came first");
    });
}

/// A 5 MB document on one line, opened and edited: the server answers hover and semantic
/// tokens on it (no timing asserted; the figures are printed for tests/RELIABILITY.md).
#[test]
fn a_five_megabyte_single_line_document() {
    let rt = runtime();
    rt.block_on(async {
        let unit = "AMIC và Hà Nội, hòa bình 😀 ASEAN; the ASEANAPOL meets ";
        let mut text = unit.repeat(5 * 1024 * 1024 / unit.len() + 1);
        assert!(!text.contains('\n') && text.len() >= 5 * 1024 * 1024);
        let started = Instant::now();
        let mut c = Client::initialized(Encoding::Utf16).await;
        let doc = uri("five-megabytes.txt");
        c.open(&doc, 1, &text);
        // Edit: in the middle, past the line end, and a deletion.
        let mid = reference::line_units(&text, 0, Encoding::Utf16) / 2;
        let edits = [
            Change::At((0, mid), (0, mid), "ASEANAPOL ".into()),
            Change::At((0, u32::MAX >> 1), (0, u32::MAX >> 1), " AMIC".into()),
            Change::At((0, 0), (0, 5), String::new()),
        ];
        for (i, e) in edits.iter().enumerate() {
            let sent = apply(&mut text, e, Encoding::Utf16);
            c.change(&doc, 2 + i as i32, json!([sent]));
        }
        // Hover on the AMIC appended at the end.
        let end = reference::line_units(&text, 0, Encoding::Utf16);
        let hover = c
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": doc }, "position": { "line": 0, "character": end - 2 } }),
            )
            .await;
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("ASEAN Military Intelligence Community")),
            "hover on the last AMIC: {hover}"
        );
        let tokens = c
            .request(
                "textDocument/semanticTokens/full",
                json!({ "textDocument": { "uri": doc } }),
            )
            .await;
        let data = tokens["result"]["data"].as_array().expect("token data");
        let mentions = text.matches("AMIC").count();
        assert!(
            data.len() / 5 >= mentions,
            "at least one token per AMIC: {} tokens, {mentions} AMIC",
            data.len() / 5
        );
        assert_eq!(c.text(&doc).await.map(|t| t.len()), Some(text.len()));
        c.finish().await;
        eprintln!(
            "five-megabyte document: {} bytes, {} tokens, {:.1?} in all, peak RSS {:?} KiB",
            text.len(),
            data.len() / 5,
            started.elapsed(),
            peak_rss_kib()
        );
    });
}

/// 300 open documents, edited round after round without waiting: the last diagnostics of
/// every document are for its last version, versions published per document only go up,
/// and those last diagnostics equal the diagnostics of the final text opened fresh.
#[test]
fn three_hundred_documents_edited_faster_than_analysed() {
    const DOCS: usize = 300;
    const ROUNDS: i32 = 8;
    let rt = runtime();
    rt.block_on(async {
        let started = Instant::now();
        let mut c = Client::initialized(Encoding::Utf16).await;
        let names: Vec<String> = (0..DOCS).map(|i| uri(&format!("load/{i}.txt"))).collect();
        let mut texts: Vec<String> = (0..DOCS)
            .map(|i| format!("Doc {i}: ASEANPOL và AMIC.\n"))
            .collect();
        for (u, t) in names.iter().zip(&texts) {
            c.open(u, 1, t);
        }
        for round in 0..ROUNDS {
            for (i, u) in names.iter().enumerate() {
                // Each version adds a misspelling: its diagnostics differ from the last.
                let line = (round as u32 + i as u32) % (round as u32 + 2);
                let e = Change::At((line, 0), (line, 0), format!("ASEANPOL {round}\n"));
                let sent = apply(&mut texts[i], &e, Encoding::Utf16);
                c.change(u, 2 + round, json!([sent]));
            }
        }
        let last = 1 + ROUNDS;
        let published = collect_diagnostics(&mut c, &names, last).await;
        let (mut total, mut repeated) = (0, 0);
        for u in &names {
            let versions: Vec<i64> = published[u].iter().map(|(v, _)| *v).collect();
            total += versions.len();
            repeated += versions.windows(2).filter(|w| w[0] == w[1]).count();
            // A version may be published twice (two marks of one document), never after a
            // newer one.
            assert!(
                versions.windows(2).all(|w| w[0] <= w[1]),
                "{u}: versions published out of order: {versions:?}"
            );
            assert_eq!(versions.last(), Some(&(last as i64)), "{u}: last publish");
        }
        c.finish().await;
        eprintln!(
            "300 documents: {} versions, {total} diagnostics published ({repeated} repeats of \
             a version), {:.1?}, peak RSS {:?} KiB",
            DOCS as i32 * (last),
            started.elapsed(),
            peak_rss_kib()
        );

        // The same final texts opened fresh give the same diagnostics.
        let mut fresh = Client::initialized(Encoding::Utf16).await;
        for (u, t) in names.iter().zip(&texts) {
            fresh.open(u, last, t);
        }
        let expected = collect_diagnostics(&mut fresh, &names, last).await;
        for u in &names {
            let got = &published[u].last().expect("published").1;
            let want = &expected[u].last().expect("published").1;
            let misspellings = got.as_array().map_or(0, |a| {
                a.iter()
                    .filter(|d| d["code"] == "known-misspelling")
                    .count()
            });
            assert_eq!(
                misspellings as i32,
                ROUNDS + 1,
                "{u}: one finding per misspelling: {got}"
            );
            assert_eq!(
                got, want,
                "{u}: diagnostics of the edited and the fresh text"
            );
        }
        fresh.finish().await;
    });
}

/// Reads `publishDiagnostics` until every document has one for version `last`, then until
/// the server is quiet; returns (version, diagnostics) per document in arrival order.
async fn collect_diagnostics(
    c: &mut Client,
    names: &[String],
    last: i32,
) -> HashMap<String, Vec<(i64, Value)>> {
    let mut published: HashMap<String, Vec<(i64, Value)>> =
        names.iter().map(|u| (u.clone(), Vec::new())).collect();
    let record = |msg: Value, published: &mut HashMap<String, Vec<(i64, Value)>>| {
        if msg["method"] == "textDocument/publishDiagnostics" {
            let u = msg["params"]["uri"].as_str().unwrap_or_default().to_owned();
            let v = msg["params"]["version"].as_i64().unwrap_or(-1);
            if let Some(list) = published.get_mut(&u) {
                list.push((v, msg["params"]["diagnostics"].clone()));
            }
        }
    };
    while let Some(m) = c.inbox.pop_front() {
        record(m, &mut published);
    }
    let deadline = Instant::now() + WAIT * 2;
    while published
        .values()
        .any(|l| !l.iter().any(|(v, _)| *v == last as i64))
    {
        assert!(
            Instant::now() < deadline,
            "not every document got diagnostics for its last version"
        );
        let m = c.next_message().await;
        record(m, &mut published);
    }
    // Anything still on its way (a stale publish would come now).
    while let Some(m) = c.try_next_message(Duration::from_secs(1)).await {
        record(m, &mut published);
    }
    published
}
