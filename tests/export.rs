//! Exports (issue 6): HTML pages and index, brat standoff, CoNLL, and the lexicon as spaCy
//! patterns and a gazetteer.
//!
//! Golden files live in `tests/fixtures/export/`; after a deliberate change, rewrite them
//! with `LEXLS_BLESS=1 cargo test --test export` and review the diff by eye. Besides the
//! snapshots, every test checks properties that hold whatever the lexicon says: offsets
//! against the text, tags against mentions, HTML that nests and escapes everything.

use std::path::{Path, PathBuf};
use std::process::Command;

use lexls::analysis::Engine;
use lexls::config::Config;
use lexls::export::{self, brat, conll, html, spacy, tsv};
use lexls::lexicon::{Lexicon, LexiconBuilder, Origin};
use lexls::rules::{self, Finding, Severity};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn articles() -> PathBuf {
    root().join("tests/fixtures/articles")
}

/// Every fixture article that is valid UTF-8, by file name.
fn fixture_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(articles())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        if let Ok(text) = String::from_utf8(bytes) {
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), text));
        }
    }
    assert!(out.len() >= 10, "fixtures missing: {out:?}");
    out
}

/// Compares `actual` with the golden file `tests/fixtures/export/<rel>`, or writes it when
/// `LEXLS_BLESS=1`.
fn golden(rel: &str, actual: &str) {
    let path = root().join("tests/fixtures/export").join(rel);
    if std::env::var_os("LEXLS_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `LEXLS_BLESS=1 cargo test --test export` and review it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             If the change is intended: `LEXLS_BLESS=1 cargo test --test export`, then review the diff.",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

fn findings(engine: &Engine, text: &str, analysis: &lexls::analysis::Analysis) -> Vec<Finding> {
    rules::check(&rules::Context {
        engine,
        text,
        analysis,
        config: &Config::default(),
        path: None,
    })
}

// ---------------------------------------------------------------------------------------
// brat

/// Parses the `T` lines of an `.ann`: (type, fragments, text).
/// A T line: its type, its fragments (character offsets) and its text.
type TLine = (String, Vec<(usize, usize)>, String);

fn t_lines(ann: &str) -> Vec<TLine> {
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            assert_eq!(parts.len(), 3, "{l:?}");
            let (ty, offs) = parts[1].split_once(' ').unwrap();
            let frags = offs
                .split(';')
                .map(|o| {
                    let (s, e) = o.split_once(' ').unwrap();
                    (s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            (ty.to_owned(), frags, parts[2].to_owned())
        })
        .collect()
}

#[test]
fn brat_offsets_are_characters_of_the_text_without_bom() {
    let engine = Engine::embedded();
    let lx = engine.lexicon();
    let mut discontinuous = 0;
    for (name, text) in fixture_texts() {
        let a = engine.analyze(&text);
        let ann = brat::ann(lx, &text, &a.mentions);
        golden(&format!("brat/{}", name.replace(".txt", ".ann")), &ann);
        let chars: Vec<char> = brat::txt(&text).chars().collect();
        let ts = t_lines(&ann);
        assert_eq!(ts.len(), a.mentions.len(), "{name}");
        for ((ty, frags, written), m) in ts.iter().zip(&a.mentions) {
            let r = lx.record(m.entity.record);
            assert_eq!(ty, brat::entity_type(r.kind), "{name}");
            let got: Vec<String> = frags
                .iter()
                .map(|&(s, e)| chars[s..e].iter().collect())
                .collect();
            assert_eq!(&got.join(" "), written, "{name}: {frags:?}");
            assert!(!written.contains(['\n', '\r', '\t']), "{name}: {written:?}");
            if frags.len() > 1 {
                discontinuous += 1;
            }
            // Fragments stay inside the mention and in order.
            assert!(
                frags.windows(2).all(|w| w[0].1 < w[1].0),
                "{name}: {frags:?}"
            );
        }
        // Every T line has its N line with the record id.
        for (i, m) in a.mentions.iter().enumerate() {
            let id = &lx.record(m.entity.record).id;
            let want = format!("N{}\tReference T{} lexls:{id}\t", i + 1, i + 1);
            assert!(ann.contains(&want), "{name}: no {want:?}");
        }
    }
    assert!(
        discontinuous >= 2,
        "vi_nbsp_wrapped.txt breaks names across lines"
    );
}

#[test]
fn brat_with_a_bom_and_crlf_counts_from_after_the_bom() {
    let engine = Engine::embedded();
    let text = std::fs::read_to_string(articles().join("en_crlf_bom.txt")).unwrap();
    assert!(text.starts_with('\u{FEFF}'));
    let a = engine.analyze(&text);
    let ann = brat::ann(engine.lexicon(), &text, &a.mentions);
    let first = &t_lines(&ann)[0];
    let body = brat::txt(&text);
    let start = body.find("SOMTC").unwrap();
    assert_eq!(first.1[0].0, body[..start].chars().count());
    // `\r\n` counts two characters: the offsets after line 1 include the `\r`s.
    let second_para = body.find("The talks").unwrap();
    assert!(body[..second_para].contains("\r\n"));
}

// ---------------------------------------------------------------------------------------
// CoNLL

#[test]
fn conll_tags_align_with_mentions() {
    let engine = Engine::embedded();
    let lx = engine.lexicon();
    for (name, text) in fixture_texts() {
        let a = engine.analyze(&text);
        let mut out = Vec::new();
        conll::write(lx, &text, &a.mentions, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        golden(&format!("conll/{}", name.replace(".txt", ".conll")), &out);
        assert!(out.starts_with("-DOCSTART-\tO\n\n"), "{name}");

        let tokens: Vec<conll::Tagged> = conll::sentences(lx, &text, &a.mentions)
            .into_iter()
            .flatten()
            .collect();
        // Tokens cover the text in order; what lies between them is space or invisible.
        let mut at = 0;
        for t in &tokens {
            assert!(t.span.start >= at && t.span.end > t.span.start, "{name}");
            let gap = &text[at..t.span.start];
            assert!(
                gap.chars()
                    .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{AD}')),
                "{name}: {gap:?} skipped"
            );
            assert!(
                !text[t.span.clone()].contains(char::is_whitespace),
                "{name}"
            );
            at = t.span.end;
        }
        // Each mention is exactly a B- token followed by I- tokens of its kind.
        for m in &a.mentions {
            let tag = export::tag(lx.record(m.entity.record).kind);
            let inside: Vec<&conll::Tagged> = tokens
                .iter()
                .filter(|t| t.span.start < m.span.end && m.span.start < t.span.end)
                .collect();
            assert!(!inside.is_empty(), "{name}: {m:?}");
            assert_eq!(inside[0].span.start, m.span.start, "{name}: token edge");
            assert_eq!(inside.last().unwrap().span.end, m.span.end, "{name}");
            for (i, t) in inside.iter().enumerate() {
                let want = format!("{}-{tag}", if i == 0 { "B" } else { "I" });
                assert_eq!(t.tag, want, "{name}: {:?}", &text[t.span.clone()]);
            }
        }
        let tagged = tokens.iter().filter(|t| t.tag != "O").count();
        let in_mentions = tokens
            .iter()
            .filter(|t| {
                a.mentions
                    .iter()
                    .any(|m| m.span.start <= t.span.start && t.span.end <= m.span.end)
            })
            .count();
        assert_eq!(tagged, in_mentions, "{name}");
    }
}

#[test]
fn conll_keeps_document_numbers_and_numbers_whole_in_one_sentence() {
    let engine = Engine::embedded();
    let text =
        "Nghị quyết số 24-NQ/TW được ban hành. Có 3.000 đại biểu dự. Ông Tô Lâm phát biểu.\n";
    let a = engine.analyze(text);
    let s = conll::sentences(engine.lexicon(), text, &a.mentions);
    assert_eq!(s.len(), 3, "{s:?}");
    assert!(s[1].iter().any(|t| &text[t.span.clone()] == "3.000"));
}

// ---------------------------------------------------------------------------------------
// HTML

/// A tag or a text run of an HTML page, as written.
#[derive(Debug)]
enum Node {
    Open(String, Vec<(String, String)>),
    Close(String),
    Text(String),
}

/// Splits a page into nodes and checks that it is the HTML lexls means to write: only known
/// elements and attributes, quoted attribute values, text and values with every `<`, `>`
/// and `&` escaped, no comments, no script, links only inside the page or to relative
/// files, and balanced nesting with only phrasing content inside `<mark>`.
fn parse_checked(page: &str) -> Vec<Node> {
    const TAGS: &[&str] = &[
        "html", "head", "meta", "title", "style", "body", "div", "header", "main", "article",
        "aside", "section", "footer", "h1", "h2", "h3", "p", "ul", "ol", "li", "mark", "span", "a",
        "details", "summary", "code", "table", "thead", "tbody", "tr", "th", "td",
    ];
    const ATTRS: &[&str] = &[
        "class",
        "id",
        "href",
        "lang",
        "tabindex",
        "role",
        "title",
        "charset",
        "name",
        "content",
        "http-equiv",
        "aria-label",
        "aria-labelledby",
        "data-entity",
        "data-label",
        "scope",
        "style",
    ];
    let check_escaped = |s: &str, what: &str| {
        assert!(!s.contains(['<', '>']), "unescaped in {what}: {s:?}");
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            rest = &rest[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "bad reference in {what}: {:?}",
                &rest[..rest.len().min(12)]
            );
            rest = &rest[1..];
        }
    };
    let rest = page
        .strip_prefix("<!DOCTYPE html>\n")
        .expect("a doctype first");
    let mut nodes = Vec::new();
    let mut i = 0;
    let b = rest.as_bytes();
    while i < b.len() {
        if b[i] != b'<' {
            let j = rest[i..].find('<').map_or(rest.len(), |k| i + k);
            let t = &rest[i..j];
            check_escaped(t, "text");
            nodes.push(Node::Text(t.to_owned()));
            i = j;
            continue;
        }
        assert!(!rest[i..].starts_with("<!--"), "a comment in the page");
        let closing = rest[i + 1..].starts_with('/');
        let name_start = i + 1 + usize::from(closing);
        let name_end = name_start
            + rest[name_start..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap();
        let name = rest[name_start..name_end].to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "element <{name}> in the page"
        );
        let mut j = name_end;
        let mut attrs = Vec::new();
        loop {
            while b[j] == b' ' {
                j += 1;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            assert!(!closing, "attributes on a closing tag");
            let a_end = j + rest[j..].find(['=', ' ', '>']).unwrap();
            let a = rest[j..a_end].to_owned();
            assert!(ATTRS.contains(&a.as_str()), "attribute {a} on <{name}>");
            assert_eq!(b[a_end], b'=', "attribute {a} without a value");
            assert_eq!(b[a_end + 1], b'"', "unquoted attribute {a}");
            let v_end = a_end + 2 + rest[a_end + 2..].find('"').unwrap();
            let v = rest[a_end + 2..v_end].to_owned();
            check_escaped(&v, &format!("attribute {a}"));
            if a == "href" {
                assert!(!v.contains(':'), "a link with a scheme: {v:?}");
            }
            if a == "style" {
                assert!(v.starts_with("flex-grow: "), "style {v:?}");
            }
            attrs.push((a, v));
            j = v_end + 1;
        }
        if closing {
            nodes.push(Node::Close(name));
        } else if name == "style" {
            let end = j + rest[j..].find("</style>").unwrap();
            let css = &rest[j..end];
            assert!(!css.contains('<'), "markup in the style sheet");
            assert!(!css.contains("url("), "the style sheet loads something");
            assert!(!css.contains("@import"), "the style sheet loads something");
            nodes.push(Node::Open(name.clone(), attrs));
            nodes.push(Node::Close(name));
            j = end + "</style>".len();
        } else {
            nodes.push(Node::Open(name, attrs));
        }
        i = j;
    }
    // Nesting.
    let mut stack: Vec<&str> = Vec::new();
    for n in &nodes {
        match n {
            Node::Open(name, _) if name == "meta" => {}
            Node::Open(name, _) => {
                if stack.contains(&"mark") {
                    assert!(
                        ["span", "a"].contains(&name.as_str()),
                        "<{name}> inside <mark>"
                    );
                }
                stack.push(name);
            }
            Node::Close(name) => {
                assert_eq!(
                    stack.pop(),
                    Some(name.as_str()),
                    "</{name}> closes the wrong element"
                );
            }
            Node::Text(_) => {}
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    nodes
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn has_class(attrs: &[(String, String)], class: &str) -> bool {
    attrs
        .iter()
        .any(|(a, v)| a == "class" && v.split(' ').any(|c| c == class))
}

/// The article as the page shows it: the headline's text and the body's text (the
/// `.text` block), without the tooltips and finding markers.
fn shown_text(nodes: &[Node]) -> (Option<String>, String) {
    let mut headline: Option<String> = None;
    let mut body = String::new();
    // The depth of the headline or body element being read, and of a skipped subtree.
    let mut reading: Option<(usize, bool)> = None;
    let mut skip_depth = 0usize;
    let mut depth = 0usize;
    for n in nodes {
        match n {
            Node::Open(name, attrs) => {
                depth += 1;
                if reading.is_none() {
                    if name == "h2" && has_class(attrs, "headline") {
                        reading = Some((depth, true));
                        headline = Some(String::new());
                    } else if name == "div" && has_class(attrs, "text") {
                        reading = Some((depth, false));
                    }
                } else if skip_depth == 0 && (has_class(attrs, "tip") || has_class(attrs, "fref")) {
                    skip_depth = depth;
                }
            }
            Node::Close(_) => {
                if skip_depth == depth {
                    skip_depth = 0;
                }
                if reading.is_some_and(|(d, _)| d == depth) {
                    reading = None;
                }
                depth -= 1;
            }
            Node::Text(t) => match reading {
                Some((_, true)) if skip_depth == 0 => {
                    headline.as_mut().unwrap().push_str(&unescape(t))
                }
                Some((_, false)) if skip_depth == 0 => body.push_str(&unescape(t)),
                _ => {}
            },
        }
    }
    (headline, body)
}

/// The page shows the whole article, unchanged (the blank line after a headline is the
/// heading's margin).
fn assert_shows_text(page: &str, text: &str, name: &str) {
    let nodes = parse_checked(page);
    let (headline, body) = shown_text(&nodes);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match headline {
        Some(h) => {
            assert!(text.starts_with(&h), "{name}: headline {h:?}");
            assert!(
                text.ends_with(&body),
                "{name}: body {:?}",
                &body[..body.len().min(160)],
            );
            let gap = &text[h.len()..text.len() - body.len()];
            assert!(
                !gap.is_empty() && gap.chars().all(|c| c == '\n' || c == '\r'),
                "{name}: {gap:?} between headline and body"
            );
        }
        None => assert_eq!(body, text, "{name}"),
    }
}

fn marks(nodes: &[Node]) -> Vec<&str> {
    nodes
        .iter()
        .filter_map(|n| match n {
            Node::Open(name, attrs) if name == "mark" => attrs
                .iter()
                .find(|(a, _)| a == "data-entity")
                .map(|(_, v)| v.as_str()),
            _ => None,
        })
        .collect()
}

fn page_of(engine: &Engine, name: &str, text: &str, opts: &html::PageOptions) -> String {
    let a = engine.analyze(text);
    let f = findings(engine, text, &a);
    html::page(
        engine.lexicon(),
        &html::Article {
            name,
            text,
            analysis: &a,
            findings: &f,
        },
        opts,
    )
}

#[test]
fn html_pages_show_every_article_whole_with_every_mention() {
    let engine = Engine::embedded();
    let mut summaries = Vec::new();
    for (name, text) in fixture_texts() {
        let a = engine.analyze(&text);
        let f = findings(&engine, &text, &a);
        let article = html::Article {
            name: &name,
            text: &text,
            analysis: &a,
            findings: &f,
        };
        let page = html::page(engine.lexicon(), &article, &html::PageOptions::default());
        assert_shows_text(&page, &text, &name);
        let nodes = parse_checked(&page);
        let want: Vec<&str> = a
            .mentions
            .iter()
            .map(|m| engine.lexicon().record(m.entity.record).id.as_str())
            .collect();
        assert_eq!(marks(&nodes), want, "{name}");
        // One numbered marker and one list entry per finding.
        for i in 1..=f.len() {
            assert_eq!(page.matches(&format!("id=\"fr-{i}\"")).count(), 1, "{name}");
            assert_eq!(page.matches(&format!("id=\"f-{i}\"")).count(), 1, "{name}");
        }
        assert!(!page.contains(&format!("id=\"fr-{}\"", f.len() + 1)));
        if [
            "en_amiclc_launch.txt",
            "vi_macosa_meeting.txt",
            "vi_nbsp_wrapped.txt",
        ]
        .contains(&name.as_str())
        {
            golden(&format!("html/{}", name.replace(".txt", ".html")), &page);
        }
        summaries.push(html::summary(
            engine.lexicon(),
            &article,
            &html::href_of(&name.replace(".txt", ".html")),
        ));
    }
    let index = html::index(&summaries);
    parse_checked(&index);
    for s in &summaries {
        assert!(index.contains(&format!("href=\"{}\"", s.href)));
    }
    golden("html/index.html", &index);
}

#[test]
fn html_is_self_contained_and_runs_no_script() {
    let engine = Engine::embedded();
    let text = std::fs::read_to_string(articles().join("en_amiclc_launch.txt")).unwrap();
    let page = page_of(&engine, "a.txt", &text, &html::PageOptions::default());
    assert!(page.contains("script-src") || page.contains("default-src 'none'"));
    for needle in [
        "http://", "https://", "<script", "<link", "@import", "url(", "<img",
    ] {
        assert!(!page.contains(needle), "{needle} in the page");
    }
    assert!(page.contains("white-space: pre-wrap"));
    assert!(page.contains("@media print"));
    assert!(page.contains("@media (max-width: 600px)"));
}

#[test]
fn html_escapes_a_hostile_article() {
    let engine = Engine::embedded();
    let text = std::fs::read_to_string(root().join("tests/fixtures/export/hostile.txt")).unwrap();
    let page = page_of(
        &engine,
        "<i>hostile\".txt",
        &text,
        &html::PageOptions::default(),
    );
    golden("html/hostile.html", &page);
    // `parse_checked` proves no element or attribute came from the text.
    assert_shows_text(&page, &text, "hostile.txt");
    let lower = page.to_lowercase();
    for needle in [
        "<script",
        "<img",
        "<iframe",
        "<svg",
        "<b>",
        "<!--",
        "<![cdata",
        "javascript:alert(2)\"",
    ] {
        assert!(!lower.contains(needle), "{needle} in the page");
    }
    assert!(page.contains("&lt;script&gt;alert(&quot;lexls&quot;)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        page.contains("&amp;lt;b&amp;gt;"),
        "an escaped entity stays visible as written"
    );
    assert!(page.contains("<h1>&lt;i&gt;hostile&quot;.txt</h1>"));
    assert_eq!(page.matches("<style>").count(), 1);
    assert_eq!(page.matches("</style>").count(), 1);
    // The mentions are still marked, next to the markup-like text.
    let nodes = parse_checked(&page);
    assert_eq!(
        marks(&nodes),
        ["amic", "amic", "amic", "hanoi", "aseanapol", "amic", "amic"]
    );
}

/// A lexicon whose strings try to inject markup.
fn hostile_lexicon() -> Lexicon {
    let mut b = LexiconBuilder::new();
    b.add_text(
        Origin::File("hostile.toml".into()),
        r#"
[[organisation]]
id = "evil"
name.en = "Evil <script>alert('name')</script> Agency"
name.vi = "Cơ quan \"><img src=x onerror=alert(1)>"
acronyms = ["EVL"]
founded = "2020"
description.en = "Described as </span></mark><script>alert('desc')</script> & friends."
description.vi = "Mô tả <b>in đậm</b>"
"#,
    );
    b.build().expect("the hostile lexicon is valid")
}

#[test]
fn html_escapes_hostile_lexicon_strings() {
    let engine = Engine::new(hostile_lexicon());
    let text = "The EVL met on Monday.\n\nIts head said the EVL had nothing to add.\n";
    let page = page_of(&engine, "evil.txt", text, &html::PageOptions::default());
    assert_shows_text(&page, text, "evil.txt");
    let lower = page.to_lowercase();
    assert!(!lower.contains("<script"));
    assert!(!lower.contains("<img"));
    assert!(!lower.contains("<b>"));
    assert!(page.contains("Evil &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Agency"));
    assert!(page.contains("&lt;/span&gt;&lt;/mark&gt;&lt;script&gt;"));
    assert!(page.contains("Cơ quan &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert_eq!(marks(&parse_checked(&page)), ["evil", "evil"]);
}

#[test]
fn html_findings_overlapping_mentions_keep_elements_nested() {
    let engine = Engine::embedded();
    let text = "Delegates from Vietnam met AMIC officials in Hanoi on Monday.\n";
    let a = engine.analyze(text);
    assert_eq!(a.mentions.len(), 3, "{:?}", a.mentions);
    let at = |s: &str| text.find(s).unwrap();
    let finding = |span: std::ops::Range<usize>, severity| Finding {
        rule: "test-rule",
        severity,
        span,
        message: "a <finding> & \"quote\"".to_owned(),
        fixes: Vec::new(),
        related: Vec::new(),
    };
    let f = vec![
        // From inside one mention to inside the next, across plain text.
        finding(at("nam")..at("IC"), Severity::Warning),
        // Exactly a mention.
        finding(at("Hanoi")..at("Hanoi") + 5, Severity::Error),
        // Overlapping the previous one and running past the mention.
        finding(at("noi")..at(" Monday") + 3, Severity::Info),
        // Empty, inside a mention.
        finding(at("Viet") + 2..at("Viet") + 2, Severity::Hint),
        // Empty, at the very end.
        finding(text.len()..text.len(), Severity::Hint),
    ];
    let page = html::page(
        engine.lexicon(),
        &html::Article {
            name: "t.txt",
            text,
            analysis: &a,
            findings: &f,
        },
        &html::PageOptions::default(),
    );
    assert_shows_text(&page, text, "t.txt");
    assert_eq!(marks(&parse_checked(&page)), ["vietnam", "amic", "hanoi"]);
    for i in 1..=f.len() {
        assert_eq!(
            page.matches(&format!("id=\"fr-{i}\"")).count(),
            1,
            "marker {i}"
        );
    }
    // The warning is cut into pieces at the mention edges.
    assert!(page.matches("class=\"f sev-warning\"").count() >= 3);
    assert!(page.contains("test-rule: a &lt;finding&gt; &amp; &quot;quote&quot;"));
    // Markers never sit inside a mark: the one of a finding ending inside `AMIC` follows it.
    let amic = page.find("data-entity=\"amic\"").unwrap();
    let amic_end = amic + page[amic..].find("</mark>").unwrap();
    assert!(!page[amic..amic_end].contains("class=\"fref"));
}

// ---------------------------------------------------------------------------------------
// The CLI

fn lexls(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lexls"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn cli_html_writes_a_page_per_article_and_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let a = articles().join("en_amiclc_launch.txt");
    let b = articles().join("vi_macosa_meeting.txt");
    let bad = articles().join("invalid_utf8.txt");
    let out = dir.path().join("site");
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "html",
            "-o",
            out.to_str().unwrap(),
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "an unreadable file is exit 2");
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid_utf8.txt"));
    assert!(o.stdout.is_empty());
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "en_amiclc_launch.html",
            "index.html",
            "vi_macosa_meeting.html"
        ]
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    parse_checked(&index);
    assert!(index.contains("href=\"en_amiclc_launch.html\""));
    assert!(index.contains("href=\"vi_macosa_meeting.html\""));
    let page = std::fs::read_to_string(out.join("vi_macosa_meeting.html")).unwrap();
    assert!(page.contains("href=\"index.html\""));
    parse_checked(&page);

    // One file: to stdout, or to the file named.
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "html",
            a.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "html",
            "-o",
            "one.html",
            a.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.path().join("one.html").is_file());

    // Several files and no folder: an error, nothing written.
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "html",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o DIR"));
    assert!(o.stdout.is_empty());
}

#[test]
fn cli_brat_writes_txt_ann_and_conf() {
    let dir = tempfile::tempdir().unwrap();
    let a = articles().join("en_crlf_bom.txt");
    let b = articles().join("vi_nbsp_wrapped.txt");
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "brat",
            "-o",
            "corpus",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let corpus = dir.path().join("corpus");
    for f in [
        "en_crlf_bom.txt",
        "en_crlf_bom.ann",
        "vi_nbsp_wrapped.txt",
        "vi_nbsp_wrapped.ann",
        "annotation.conf",
        "visual.conf",
    ] {
        assert!(corpus.join(f).is_file(), "{f}");
    }
    // The .txt is the text without its BOM; the .ann's offsets are its characters.
    let txt = std::fs::read(corpus.join("en_crlf_bom.txt")).unwrap();
    let orig = std::fs::read(&a).unwrap();
    assert_eq!(txt, orig[3..]);
    let txt = String::from_utf8(txt).unwrap();
    let chars: Vec<char> = txt.chars().collect();
    let ann = std::fs::read_to_string(corpus.join("en_crlf_bom.ann")).unwrap();
    for (_, frags, written) in t_lines(&ann) {
        let got: Vec<String> = frags
            .iter()
            .map(|&(s, e)| chars[s..e].iter().collect())
            .collect();
        assert_eq!(got.join(" "), written);
    }
    let conf = std::fs::read_to_string(corpus.join("annotation.conf")).unwrap();
    for t in [
        "[entities]",
        "Organisation",
        "Series",
        "Meeting",
        "Person",
        "Place",
        "Document",
        "Term",
        "[relations]",
        "[events]",
        "[attributes]",
    ] {
        assert!(conf.lines().any(|l| l == t), "{t}");
    }
    // Without -o: the .ann of one file on stdout; several files need a folder.
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "brat",
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        std::fs::read_to_string(corpus.join("vi_nbsp_wrapped.ann")).unwrap()
    );
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "brat",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_conll_and_jsonl_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let a = articles().join("en_emoji_mixed.txt");
    let b = articles().join("vi_decomposed_nfd.txt");
    let o = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "conll",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.matches("-DOCSTART-\tO\n").count(), 2);
    for line in out.lines().filter(|l| !l.is_empty()) {
        let (tok, tag) = line.split_once('\t').unwrap();
        assert!(!tok.is_empty() && !tag.contains('\t'), "{line:?}");
        assert!(
            tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"),
            "{line:?}"
        );
    }
    // -o FILE gets the same bytes.
    let o2 = lexls(
        &[
            "annotate",
            "--no-config",
            "--format",
            "conll",
            "-o",
            "all.conll",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o2.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("all.conll")).unwrap(),
        out
    );

    // jsonl: byte offsets into the file as read, unchanged by this work, also with -o.
    for (name, text) in fixture_texts() {
        let p = articles().join(&name);
        let o = lexls(
            &["annotate", "--no-config", p.to_str().unwrap()],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0));
        for line in String::from_utf8(o.stdout).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let (s, e) = (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], v["text"].as_str().unwrap(), "{name}");
        }
    }
    let o = lexls(
        &["annotate", "--no-config", a.to_str().unwrap()],
        dir.path(),
    );
    let o2 = lexls(
        &[
            "annotate",
            "--no-config",
            "-o",
            "a.jsonl",
            a.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o2.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("a.jsonl")).unwrap(), o.stdout);
}

// ---------------------------------------------------------------------------------------
// Lexicon export

/// A small lexicon with every kind of form, so the snapshot does not move with the data.
fn small_lexicon() -> Lexicon {
    let mut b = LexiconBuilder::new();
    b.add_text(
        Origin::File("small.toml".into()),
        r#"
[[organisation]]
id = "amic"
name.en = "ASEAN Military Intelligence Community"
name.vi = "Cộng đồng Tình báo Quân sự ASEAN"
acronyms = ["AMIC"]
aliases = ["ASEAN Military/Defence Intelligence Community", { text = "Cộng đồng AMIC", lang = "vi", case = "sensitive" }]
misspellings = ["AMlC"]

[[series]]
id = "amim"
name.en = "ASEAN Military Intelligence Meeting"
name.vi = "Hội nghị Tư lệnh Tình báo Quân sự ASEAN"
acronyms = ["AMIM"]
edition-aliases = ["Intelligence Chiefs' Meeting"]

[[meeting]]
id = "amim-17"
series = "amim"
edition = 17
online = true

[[person]]
id = "tran-cong-chinh"
name.vi = "Trần Công Chính"

[[place]]
id = "france"
name.en = "France"
name.vi = "Pháp"

[[document]]
id = "nq-24"
name.vi = "Nghị quyết 24-NQ/TW"
number = "24-NQ/TW"
"#,
    );
    b.build().expect("the small lexicon is valid")
}

#[test]
fn lexicon_exports_of_a_small_lexicon() {
    let lx = small_lexicon();
    let mut p = Vec::new();
    spacy::write(&lx, &mut p).unwrap();
    let p = String::from_utf8(p).unwrap();
    golden("lexicon/small.patterns.jsonl", &p);
    let mut t = Vec::new();
    tsv::write(&lx, &mut t).unwrap();
    let t = String::from_utf8(t).unwrap();
    golden("lexicon/small.gazetteer.tsv", &t);

    assert!(
        p.lines()
            .any(|l| l == r#"{"label":"ORG","pattern":"AMIC","id":"amic"}"#)
    );
    assert!(p.lines().any(|l| l
        == r#"{"label":"ORG","pattern":[{"LOWER":"asean"},{"LOWER":"military"},{"LOWER":"/"},{"LOWER":"defence"},{"LOWER":"intelligence"},{"LOWER":"community"}],"id":"amic"}"#));
    assert!(
        p.lines()
            .any(|l| l == r#"{"label":"MEETING","pattern":"AMIM-17","id":"amim-17"}"#)
    );
    assert!(
        p.lines()
            .any(|l| l == r#"{"label":"LOC","pattern":"Pháp","id":"france"}"#)
    );
    assert!(
        p.lines()
            .any(|l| l == r#"{"label":"DOC","pattern":"24-NQ/TW","id":"nq-24"}"#)
    );
    assert!(!p.contains("chiefs"), "edition aliases are not patterns");
    assert!(t.starts_with("id\tkind\tlang\tform\tcase\ttype\n"));
    assert!(
        t.contains("amim\tseries\t*\tIntelligence Chiefs' Meeting\tinsensitive\tedition-alias\n")
    );
    assert!(t.contains("tran-cong-chinh\tperson\t*\tTran Cong Chinh\tinsensitive\tfolded\n"));
    assert!(t.contains("amic\torganisation\tvi\tCộng đồng AMIC\tsensitive\talias\n"));
    assert!(t.contains(
        "amim-17\tmeeting\ten\t17th ASEAN Military Intelligence Meeting\tinsensitive\tedition\n"
    ));
}

#[test]
fn lexicon_export_of_the_embedded_lexicon() {
    let dir = tempfile::tempdir().unwrap();
    let lx = Lexicon::embedded();
    let o = lexls(
        &[
            "lexicon",
            "export",
            "--format",
            "spacy-patterns",
            "--embedded-only",
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let mut ids = std::collections::HashSet::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 3, "{line}");
        let label = v["label"].as_str().unwrap();
        assert!(["ORG", "SERIES", "MEETING", "PER", "LOC", "DOC", "TERM"].contains(&label));
        match &v["pattern"] {
            serde_json::Value::String(s) => assert!(!s.is_empty()),
            serde_json::Value::Array(toks) => {
                assert!(!toks.is_empty());
                for t in toks {
                    let s = t["LOWER"].as_str().unwrap();
                    assert_eq!(s, s.to_lowercase(), "{line}");
                    assert!(!s.contains(char::is_whitespace), "{line}");
                }
            }
            other => panic!("pattern {other}"),
        }
        ids.insert(v["id"].as_str().unwrap().to_owned());
    }
    for r in lx.records() {
        assert!(ids.contains(&r.id), "no pattern for {}", r.id);
    }
    assert!(out.contains(r#"{"label":"ORG","pattern":"AMIC","id":"amic"}"#));

    let o = lexls(
        &[
            "lexicon",
            "export",
            "--format",
            "tsv",
            "--embedded-only",
            "-o",
            "g.tsv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let t = std::fs::read_to_string(dir.path().join("g.tsv")).unwrap();
    let mut lines = t.lines();
    assert_eq!(lines.next(), Some("id\tkind\tlang\tform\tcase\ttype"));
    for l in lines {
        let f: Vec<&str> = l.split('\t').collect();
        assert_eq!(f.len(), 6, "{l:?}");
        assert!(lx.get(f[0]).is_some(), "{l:?}");
        assert!(["en", "vi", "*"].contains(&f[2]));
        assert!(["sensitive", "insensitive"].contains(&f[4]));
    }
}
