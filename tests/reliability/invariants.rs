//! Invariants checked on arbitrary input, shared by the property tests, the bounded-time
//! fuzz runs (`fuzz` module) and the cargo-fuzz targets in `tests/fuzz/` (included by path). Each
//! check panics with a message when an invariant does not hold.

#![allow(dead_code)]

use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use lexls::analysis::{Analysis, Engine};
use lexls::config::Config;
use lexls::lexicon::{LexiconBuilder, LexiconError, Origin};
use lexls::normalize::{self, Fold};

fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text of {} bytes: {text:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on character boundaries: {text:?}"
    );
}

/// The normalised view's offset map: every character boundary of the view maps to a
/// character boundary of the original, monotonically, and ranges map to ordered ranges.
pub fn check_normalize(text: &str) {
    for fold in [Fold::None, Fold::Case] {
        let n = normalize::normalize(text, fold);
        let view = n.as_str();
        let bounds: Vec<usize> = view
            .char_indices()
            .map(|(i, _)| i)
            .chain([view.len()])
            .collect();
        let (mut prev_start, mut prev_end) = (0, 0);
        for &i in &bounds {
            let s = n.orig_start(i);
            let e = n.orig_end(i);
            for (o, which) in [(s, "orig_start"), (e, "orig_end")] {
                assert!(
                    o <= text.len() && text.is_char_boundary(o),
                    "{fold:?} {which}({i}) = {o}: not a char boundary of {text:?} (view {view:?})"
                );
            }
            assert!(
                s >= prev_start,
                "{fold:?} orig_start not monotonic at {i}: {s} < {prev_start} in {text:?} (view {view:?})"
            );
            assert!(
                e >= prev_end,
                "{fold:?} orig_end not monotonic at {i}: {e} < {prev_end} in {text:?} (view {view:?})"
            );
            prev_start = s;
            prev_end = e;
        }
        for w in bounds.windows(2) {
            let r = n.to_original(w[0]..w[1]);
            assert_span(text, &r, "to_original of one view character");
        }
        // Consecutive view characters come from ordered, disjoint parts of the original
        // (unless both come from one rewritten unit, such as U+0344 → two marks).
        for w in bounds.windows(3) {
            let (a, b) = (w[0], w[1]);
            if n.orig_start(a) == n.orig_start(b) {
                continue;
            }
            assert!(
                n.orig_end(b) <= n.orig_start(b),
                "{fold:?} the character ending at {b} maps past the start of the next one \
                 ({} > {}) in {text:?} (view {view:?})",
                n.orig_end(b),
                n.orig_start(b)
            );
        }
        let all = n.to_original(0..view.len());
        assert_span(text, &all, "to_original of the whole view");
    }
    let _ = normalize::normalized_string(text, Fold::Case);
    let _ = normalize::strip_diacritics(text);
    let r = normalize::inspect(text);
    for span in r
        .decomposed
        .iter()
        .chain(&r.eth)
        .chain(&r.old_tone)
        .chain(&r.new_tone)
    {
        assert_span(text, span, "inspect");
    }
    let c = normalize::canonical_text(text);
    assert_eq!(
        normalize::canonical_text(&c),
        c,
        "canonical_text is not idempotent on {text:?}"
    );
}

/// Mentions inside the text, on character boundaries, not empty, sorted and disjoint;
/// definitions and bindings consistent.
pub fn check_analysis(text: &str, a: &Analysis) {
    let mut prev_end = 0;
    for m in &a.mentions {
        assert_span(text, &m.span, "mention");
        assert!(m.span.start < m.span.end, "empty mention {m:?} in {text:?}");
        assert!(
            m.span.start >= prev_end,
            "mentions overlap or are out of order at {:?} in {text:?}: {:?}",
            m.span,
            a.mentions
        );
        prev_end = m.span.end;
        let written = &text[m.span.clone()];
        assert!(
            !written.starts_with(char::is_whitespace) && !written.ends_with(char::is_whitespace),
            "mention {written:?} starts or ends with whitespace in {text:?}"
        );
        assert!(
            !m.candidates.is_empty(),
            "mention without candidates {m:?} in {text:?}"
        );
    }
    for d in &a.definitions {
        assert_span(text, &d.short, "definition acronym");
        assert_span(text, &d.long, "definition long form");
    }
    assert_eq!(
        a.defined_by.len(),
        a.mentions.len(),
        "defined_by per mention"
    );
    for d in a.defined_by.iter().flatten() {
        assert!(
            *d < a.definitions.len(),
            "defined_by points past the definitions"
        );
    }
}

/// The whole core on one text: normaliser, matcher, definitions and the lint rules (with
/// their fixes).
pub fn check_text(text: &str) {
    check_normalize(text);
    let engine = Engine::embedded();
    let a = engine.analyze(text);
    check_analysis(text, &a);
    let config = Config::default();
    let ctx = lexls::rules::Context {
        engine: &engine,
        text,
        analysis: &a,
        config: &config,
        path: None,
    };
    let findings = lexls::rules::check(&ctx);
    for f in &findings {
        assert_span(text, &f.span, f.rule);
        for (span, _) in &f.related {
            assert_span(text, span, f.rule);
        }
        for fix in &f.fixes {
            for e in &fix.edits {
                assert_span(text, &e.range, f.rule);
            }
        }
    }
    let _ = lexls::rules::apply_safe_fixes(text, &findings);
}

/// Arbitrary bytes as a text, the way a fuzzer hands them over.
pub fn check_bytes(data: &[u8]) {
    check_text(&String::from_utf8_lossy(data));
}

/// The file name the fuzzed lexicon is loaded under.
pub const FUZZ_LEXICON: &str = "/fuzz/lexicon.toml";

/// An error lies inside its file: line and column name a place that exists, and the span is
/// inside the text.
pub fn check_error_position(e: &LexiconError, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        e.line >= 1 && (e.line as usize) <= lines.len(),
        "error line {} outside the {} lines of the file: {e}",
        e.line,
        lines.len()
    );
    let line = lines[e.line as usize - 1];
    let chars = line.chars().count() as u32;
    assert!(
        e.column >= 1 && e.column <= chars + 1,
        "error column {} outside line {} of {chars} characters: {e}",
        e.column,
        e.line
    );
    assert!(
        e.span.start <= e.span.end && e.span.end <= text.len().max(e.span.start),
        "error span {:?} outside the file of {} bytes: {e}",
        e.span,
        text.len()
    );
    assert!(
        e.span.start <= text.len(),
        "error span starts past the end: {e}"
    );
}

/// The loader on one text, alone and over the embedded lexicon (as the server loads a
/// workspace lexicon): never panics, every error is placed inside its file, and a lexicon
/// that loads builds a matcher that analyses its own names.
pub fn check_lexicon_text(text: &str) {
    for over_embedded in [false, true] {
        let mut b = if over_embedded {
            LexiconBuilder::new().with_embedded().overriding()
        } else {
            LexiconBuilder::new()
        };
        b.add_text(Origin::File(FUZZ_LEXICON.into()), text.to_owned());
        match b.build() {
            Ok(lx) => {
                let sample: String = lx
                    .records()
                    .iter()
                    .take(200)
                    .flat_map(|r| {
                        r.acronyms
                            .iter()
                            .chain(r.name.en.iter())
                            .chain(r.name.vi.iter())
                            .cloned()
                    })
                    .collect::<Vec<_>>()
                    .join(" và ");
                let engine = Engine::new(lx);
                let a = engine.analyze(&sample);
                check_analysis(&sample, &a);
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "build failed without an error");
                for e in &errors {
                    if e.file == FUZZ_LEXICON {
                        check_error_position(e, text);
                    } else {
                        let embedded = lexls::lexicon::Lexicon::embedded();
                        let src = embedded
                            .sources()
                            .iter()
                            .find(|s| s.display_name() == e.file)
                            .unwrap_or_else(|| panic!("error in an unknown file: {e}"));
                        check_error_position(e, &src.text);
                    }
                }
            }
        }
    }
}

/// The loader on raw bytes: a text as [`check_lexicon_text`]; bytes that are not UTF-8
/// through a file, whose error must point inside it.
pub fn check_lexicon_bytes(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_lexicon_text(text);
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("lexicon.toml");
    std::fs::write(&path, data).expect("write the lexicon");
    let mut b = LexiconBuilder::new();
    b.add_path(&path);
    let errors = b.build().expect_err("a file that is not UTF-8 is an error");
    let lossy = String::from_utf8_lossy(data);
    for e in &errors {
        assert_eq!(e.file, path.display().to_string(), "{e}");
        check_error_position(e, &lossy);
    }
}

/// Panics seen by the process (test-only `lexls/debugPanic` excepted): the server catches
/// handler panics and tokio swallows task panics, so a hook is the way to see them.
pub static PANICS: LazyLock<Mutex<Vec<String>>> = LazyLock::new(|| Mutex::new(Vec::new()));

pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let msg = info.to_string();
            if !msg.contains("lexls/debugPanic") {
                PANICS.lock().unwrap_or_else(|p| p.into_inner()).push(msg);
            }
            default(info);
        }));
    });
}

pub fn panics_seen() -> usize {
    PANICS.lock().unwrap_or_else(|p| p.into_inner()).len()
}

/// Feeds `input` to the server as everything a client sends, then end of input. When the
/// input starts with a complete request (normally `initialize`), the rest is held back
/// until it is answered, as a real client does, so that the rest reaches an initialised
/// server. The server must finish within `limit`, write well-formed frames, and no handler
/// or task may panic. Returns the bodies it wrote.
pub fn check_jsonrpc(input: &[u8], limit: Duration) -> Vec<serde_json::Value> {
    use tokio::io::AsyncWriteExt;
    install_panic_hook();
    let before = panics_seen();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let out = Arc::new(Mutex::new(Vec::new()));
    let writer = SharedVec(out.clone());
    let (first, rest) = split_first_request(input);
    let finished = rt.block_on(async {
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let serving = tokio::spawn(async move {
            lexls::lsp::serve(server, writer).await;
        });
        let feed = async {
            if let Some(first) = first {
                client.write_all(first).await?;
                // Wait for the answer: the first response, the only request being this one
                // (an invalid one is answered with a null id). Bounded: a server that never
                // answers fails below.
                let answered = async {
                    while !parse_frames_lenient(&out.lock().unwrap_or_else(|p| p.into_inner()))
                        .iter()
                        .any(|m| m.get("method").is_none())
                    {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                };
                let _ = tokio::time::timeout(limit / 2, answered).await;
            }
            client.write_all(rest).await?;
            client.shutdown().await
        };
        // The server may stop reading early (after `exit` or a malformed frame): then the
        // writes fail, which is fine.
        let _ = tokio::time::timeout(limit, feed).await;
        drop(client);
        tokio::time::timeout(limit, serving).await
    });
    drop(rt);
    let show = || String::from_utf8_lossy(&input[..input.len().min(2000)]).into_owned();
    match finished {
        Err(_) => panic!(
            "serve() did not finish within {limit:?} after the end of input: {:?}",
            show()
        ),
        Ok(Err(e)) => panic!("serve() panicked: {e}; input: {:?}", show()),
        Ok(Ok(_)) => {}
    }
    let out = out.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let bodies = parse_frames(&out);
    for b in &bodies {
        let msg = b
            .pointer("/error/message")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        assert!(
            !msg.starts_with("internal error in"),
            "a handler panicked: {msg}\ninput: {:?}",
            show()
        );
    }
    let after = panics_seen();
    assert_eq!(
        before,
        after,
        "a task panicked: {:?}\ninput: {:?}",
        PANICS.lock().unwrap_or_else(|p| p.into_inner()).last(),
        show()
    );
    bodies
}

/// The first frame when it is a complete request, and the bytes after it.
fn split_first_request(input: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let parse = || {
        let sep = input.windows(4).position(|w| w == b"\r\n\r\n")?;
        let header = std::str::from_utf8(&input[..sep]).ok()?;
        let len: usize = header
            .strip_prefix("Content-Length: ")?
            .trim()
            .parse()
            .ok()?;
        let end = sep.checked_add(4)?.checked_add(len)?;
        let body: serde_json::Value = serde_json::from_slice(input.get(sep + 4..end)?).ok()?;
        body.get("method")?;
        body.get("id")?;
        Some(end)
    };
    match parse() {
        Some(end) => (Some(&input[..end]), &input[end..]),
        None => (None, input),
    }
}

/// The complete frames written so far.
fn parse_frames_lenient(mut out: &[u8]) -> Vec<serde_json::Value> {
    let mut bodies = Vec::new();
    while let Some(sep) = out.windows(4).position(|w| w == b"\r\n\r\n") {
        let Some(len) = std::str::from_utf8(&out[..sep])
            .ok()
            .and_then(|h| h.lines().find_map(|l| l.strip_prefix("Content-Length: ")))
            .and_then(|l| l.trim().parse::<usize>().ok())
        else {
            break;
        };
        let Some(body) = out.get(sep + 4..sep + 4 + len) else {
            break;
        };
        bodies.extend(serde_json::from_slice(body).ok());
        out = &out[sep + 4 + len..];
    }
    bodies
}

/// Splits the server's output into JSON bodies, checking the framing.
pub fn parse_frames(mut out: &[u8]) -> Vec<serde_json::Value> {
    let mut bodies = Vec::new();
    while !out.is_empty() {
        let sep = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header ends with a blank line");
        let header = std::str::from_utf8(&out[..sep]).expect("ASCII headers");
        let len: usize = header
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .expect("a Content-Length header")
            .trim()
            .parse()
            .expect("a numeric length");
        let body = &out[sep + 4..sep + 4 + len];
        bodies.push(serde_json::from_slice(body).expect("a JSON body"));
        out = &out[sep + 4 + len..];
    }
    bodies
}

/// An `AsyncWrite` into a shared buffer.
pub struct SharedVec(pub Arc<Mutex<Vec<u8>>>);

impl tokio::io::AsyncWrite for SharedVec {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// Frames a JSON body.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body);
    v
}
