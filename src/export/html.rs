//! A self-contained HTML page per annotated article, and an index of pages.
//!
//! The page needs nothing from the network and runs no script: inline CSS, system fonts,
//! and a `Content-Security-Policy` that forbids scripts, so even a bug in escaping could not
//! run one. Every mention is a `<mark class="m k-KIND">` coloured by kind, with its record
//! card as a CSS tooltip (on hover, or on focus: tab to it, or tap it on a phone, where the
//! card opens as a sheet at the bottom of the screen). Lint findings are wavy underlines
//! with a numbered marker linking to the list of findings (`line:col`, rule, message, fix).
//! A side panel (below the article on narrow screens) lists the findings, when there are
//! some, and the entities by kind with their counts; a legend gives the colours of the kinds
//! on the page. The article keeps its line breaks
//! (`white-space: pre-wrap`); a first line followed by a blank line is shown as the
//! headline. Names are given in both languages; facts and descriptions in the article's.
//!
//! Mentions never overlap, but a finding can overlap a mention or another finding: the text
//! is cut at every edge, and each piece is wrapped on its own, so elements always nest.
//! Everything from the article or the lexicon goes through [`escape`].

use std::fmt::Write as _;
use std::ops::Range;

use crate::analysis::{Analysis, detect_language};
use crate::lexicon::{EntityRef, Kind, Lang, Lexicon};
use crate::matcher::{Mention, Via};
use crate::rules::{Finding, Severity};

use super::{LineIndex, floor_char_boundary, strip_bom};

/// An article and what lexls found in it.
pub struct Article<'a> {
    /// The name shown for the article (the path as given).
    pub name: &'a str,
    /// The text as read (a BOM is not shown).
    pub text: &'a str,
    pub analysis: &'a Analysis,
    /// Lint findings, byte spans of `text`, in any order.
    pub findings: &'a [Finding],
}

/// Options of a page.
#[derive(Clone, Debug, Default)]
pub struct PageOptions<'a> {
    /// A link back to the index page, when there is one.
    pub index_href: Option<&'a str>,
}

/// The text and accent colour of a kind, and its highlight background.
pub fn kind_colour(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Organisation => ("#1d4ed8", "#dbe7ff"),
        Kind::Series => ("#115e59", "#cdf3ec"),
        Kind::Meeting => ("#6d28d9", "#ebe3ff"),
        Kind::Person => ("#92400e", "#fcebc5"),
        Kind::Place => ("#166534", "#d6f1dc"),
        Kind::Document => ("#be123c", "#fde0e5"),
        Kind::Term => ("#475569", "#e4e8ee"),
    }
}

/// HTML-escapes `s` into `out`, for text and for attribute values: `& < > " '` become
/// references; NUL becomes U+FFFD (as an HTML parser would).
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// HTML-escapes `s`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Percent-encodes a file name for a relative `href` (every byte but unreserved ASCII).
pub fn href_of(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The counts an index shows for one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The article's name (the path as given).
    pub name: String,
    /// The page's address relative to the index.
    pub href: String,
    /// The headline, when the article has one.
    pub headline: Option<String>,
    pub lang: Lang,
    /// Mentions per kind, in [`Kind::ALL`] order.
    pub mentions: [usize; 7],
    /// Distinct entities.
    pub entities: usize,
    pub findings: usize,
}

/// The index's line for an article.
pub fn summary(lexicon: &Lexicon, article: &Article, href: &str) -> Summary {
    let a = article.analysis;
    let mut mentions = [0; 7];
    for m in &a.mentions {
        mentions[kind_index(lexicon.record(m.entity.record).kind)] += 1;
    }
    Summary {
        name: article.name.to_owned(),
        href: href.to_owned(),
        headline: headline(article.text, &a.mentions).map(|r| article.text[r].trim().to_owned()),
        lang: detect_language(article.text),
        mentions,
        entities: entities(lexicon, &a.mentions)
            .iter()
            .map(|(_, list)| list.len())
            .sum(),
        findings: article.findings.len(),
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// Entities of one kind, each with the indices of its mentions.
type Group = (Kind, Vec<(EntityRef, Vec<usize>)>);

/// Entities by kind, in [`Kind::ALL`] order; within a kind, most mentioned first, then in
/// order of first mention. Each entity comes with the indices of its mentions.
fn entities(lexicon: &Lexicon, mentions: &[Mention]) -> Vec<Group> {
    let mut all: Vec<(EntityRef, Vec<usize>)> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        match all.iter_mut().find(|(e, _)| *e == m.entity) {
            Some((_, list)) => list.push(i),
            None => all.push((m.entity, vec![i])),
        }
    }
    let mut out = Vec::new();
    for k in Kind::ALL {
        let mut of_kind: Vec<(EntityRef, Vec<usize>)> = all
            .iter()
            .filter(|(e, _)| lexicon.record(e.record).kind == k)
            .cloned()
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        of_kind.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(&b.1[0])));
        out.push((k, of_kind));
    }
    out
}

/// The headline: a first line followed by a blank line, no longer than 200 characters,
/// that no mention runs out of.
fn headline(text: &str, mentions: &[Mention]) -> Option<Range<usize>> {
    let (body, bom) = strip_bom(text);
    let end = body.find(['\n', '\r'])?;
    let rest = &body[end..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .or_else(|| rest.strip_prefix('\r'))?;
    let blank = rest.starts_with(['\n', '\r']);
    let line = &body[..end];
    let range = bom..bom + end;
    let crossed = mentions
        .iter()
        .any(|m| m.span.start < range.end && m.span.end > range.end);
    (blank && !line.trim().is_empty() && line.chars().count() <= 200 && !crossed).then_some(range)
}

/// What the renderer needs at hand.
struct Cx<'a> {
    lexicon: &'a Lexicon,
    text: &'a str,
    mentions: &'a [Mention],
    /// Sorted by position; the marker number of a finding is its index + 1.
    findings: Vec<&'a Finding>,
    lang: Lang,
}

/// The page of one article.
pub fn page(lexicon: &Lexicon, article: &Article, opts: &PageOptions) -> String {
    let text = article.text;
    let mentions = &article.analysis.mentions;
    let mut findings: Vec<&Finding> = article.findings.iter().collect();
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
    let lang = detect_language(text);
    let cx = Cx {
        lexicon,
        text,
        mentions,
        findings,
        lang,
    };
    let groups = entities(lexicon, mentions);
    let n_entities: usize = groups.iter().map(|(_, l)| l.len()).sum();
    let head = headline(text, mentions);
    let title = match &head {
        Some(r) => format!("{} — lexls", text[r.clone()].trim()),
        None => format!("{} — lexls", article.name),
    };

    let mut o = String::with_capacity(text.len() * 8 + CSS.len() + 4096);
    page_head(&mut o, &title);
    o.push_str("<div class=\"wrap\">\n<header class=\"top\">\n");
    if let Some(h) = opts.index_href {
        o.push_str("<a class=\"back\" href=\"");
        escape_into(&mut o, h);
        o.push_str("\">← All articles</a>\n");
    }
    o.push_str("<p class=\"brand\">lexls · annotated article</p>\n<h1>");
    let (folder, file) = split_name(article.name);
    escape_into(&mut o, file);
    o.push_str("</h1>\n");
    if !folder.is_empty() {
        o.push_str("<p class=\"path\">");
        escape_into(&mut o, folder);
        o.push_str("</p>\n");
    }
    o.push_str("<p class=\"meta\">");
    let _ = write!(
        o,
        "{} · {} · {} · {}",
        match lang {
            Lang::En => "English",
            Lang::Vi => "Tiếng Việt",
        },
        plural(mentions.len(), "mention", "mentions"),
        plural(n_entities, "entity", "entities"),
        plural(cx.findings.len(), "finding", "findings"),
    );
    o.push_str("</p>\n");
    let mut counts = [0; 7];
    for m in mentions {
        counts[kind_index(lexicon.record(m.entity.record).kind)] += 1;
    }
    legend(&mut o, &counts);
    o.push_str("</header>\n<main class=\"layout\">\n<article class=\"doc\" lang=\"");
    o.push_str(lang.as_str());
    o.push_str("\">\n");
    let (_, bom) = strip_bom(text);
    let (owned_from, body_start) = match &head {
        Some(r) => {
            o.push_str("<h2 class=\"headline\">");
            render(&mut o, &cx, r.start, r.clone());
            o.push_str("</h2>\n");
            // The blank line after the headline is the heading's margin.
            let rest = &text[r.end..];
            (
                r.end,
                r.end + (rest.len() - rest.trim_start_matches(['\n', '\r']).len()),
            )
        }
        None => (bom, bom),
    };
    o.push_str("<div class=\"text\">");
    render(&mut o, &cx, owned_from, body_start..text.len());
    o.push_str("</div>\n</article>\n<aside class=\"panel\">\n");
    // Findings first when there are some: the list is short, and the markers point to it.
    if cx.findings.is_empty() {
        entities_panel(&mut o, &cx, &groups);
        findings_panel(&mut o, &cx);
    } else {
        findings_panel(&mut o, &cx);
        entities_panel(&mut o, &cx, &groups);
    }
    o.push_str("</aside>\n</main>\n<footer class=\"foot\">Made by lexls from the lexicon and the lint rules. Hover, focus or tap a highlighted name for its record.</footer>\n</div>\n</body>\n</html>\n");
    o
}

/// A path as given, split into its folder (with the separator) and its file name.
fn split_name(name: &str) -> (&str, &str) {
    match name.rfind(['/', '\\']) {
        Some(i) if i + 1 < name.len() => name.split_at(i + 1),
        _ => ("", name),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn page_head(o: &mut String, title: &str) {
    o.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"generator\" content=\"lexls\">\n<title>",
    );
    escape_into(o, title);
    o.push_str("</title>\n<style>\n");
    o.push_str(CSS);
    for k in Kind::ALL {
        let (fg, bg) = kind_colour(k);
        let _ = writeln!(o, ".k-{} {{ --k: {fg}; --kbg: {bg}; }}", k.as_str());
    }
    o.push_str("</style>\n</head>\n<body>\n");
}

/// The legend: the colour of each kind on the page, with its mention count.
fn legend(o: &mut String, counts: &[usize; 7]) {
    o.push_str("<ul class=\"legend\" aria-label=\"Kinds of entity\">\n");
    for (i, k) in Kind::ALL.into_iter().enumerate() {
        if counts[i] == 0 {
            continue;
        }
        let _ = writeln!(
            o,
            "<li class=\"k-{}\"><span class=\"sw\"></span>{} <span class=\"vi\" lang=\"vi\">{}</span> <span class=\"n\">{}</span></li>",
            k.as_str(),
            capitalised(k.label(Lang::En)),
            k.label(Lang::Vi),
            counts[i]
        );
    }
    o.push_str("</ul>\n");
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
        Severity::Hint => "sev-hint",
    }
}

/// Renders `text[range]` with its marks. No mention crosses the range's edges. The markers
/// of findings that end (or, empty, sit) between `owned_from` and the range's start, in
/// text that is not shown (the blank line after the headline), come at its start.
fn render(o: &mut String, cx: &Cx, owned_from: usize, range: Range<usize>) {
    let text = cx.text;
    let range = floor_char_boundary(text, range.start)..floor_char_boundary(text, range.end);
    let at_end = range.end == text.len();
    let inside = |p: usize| range.start < p && p < range.end;
    let mut points: Vec<usize> = vec![range.start, range.end];
    for m in cx.mentions {
        points.extend(
            [m.span.start, m.span.end]
                .into_iter()
                .filter(|&p| inside(p)),
        );
    }
    for f in &cx.findings {
        points.extend(
            [f.span.start, f.span.end]
                .into_iter()
                .map(|p| floor_char_boundary(text, p))
                .filter(|&p| inside(p)),
        );
    }
    points.sort_unstable();
    points.dedup();

    let mut next_mention = cx.mentions.partition_point(|m| m.span.start < range.start);
    let mut open: Option<&Mention> = None;
    let mut pending: Vec<usize> = Vec::new();
    for (pi, &p) in points.iter().enumerate() {
        // Close the mark that ends here.
        if let Some(m) = open
            && m.span.end <= p
        {
            tip(o, cx, m);
            o.push_str("</mark>");
            open = None;
        }
        // Markers of the findings that end here (or are empty and sit here).
        for (fi, f) in cx.findings.iter().enumerate() {
            let (s, e) = (
                floor_char_boundary(text, f.span.start),
                floor_char_boundary(text, f.span.end),
            );
            let first = p == range.start;
            let here = if s < e {
                e > owned_from && (e == p || (first && e < p))
            } else {
                (s == p && (p < range.end || at_end)) || (first && owned_from <= s && s < p)
            };
            if here {
                pending.push(fi);
            }
        }
        if open.is_none() {
            for fi in pending.drain(..) {
                marker(o, cx, fi);
            }
        }
        if p >= range.end {
            break;
        }
        // Open the mark that starts here.
        if let Some(m) = cx.mentions.get(next_mention)
            && m.span.start == p
        {
            let kind = cx.lexicon.record(m.entity.record).kind;
            let _ = write!(
                o,
                "<mark class=\"m k-{}{}\" tabindex=\"0\" data-entity=\"",
                kind.as_str(),
                if m.is_ambiguous() { " amb" } else { "" }
            );
            escape_into(o, &cx.lexicon.record(m.entity.record).id);
            o.push_str("\">");
            open = Some(m);
            next_mention += 1;
        }
        // The piece up to the next point.
        let q = points[pi + 1];
        let piece = &text[p..q];
        let covering: Vec<&Finding> = cx
            .findings
            .iter()
            .copied()
            .filter(|f| {
                let (s, e) = (
                    floor_char_boundary(text, f.span.start),
                    floor_char_boundary(text, f.span.end),
                );
                s <= p && q <= e && s < e
            })
            .collect();
        let piece = piece.strip_prefix('\u{FEFF}').unwrap_or(piece);
        if covering.is_empty() {
            escape_into(o, piece);
        } else {
            let worst = covering
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Hint);
            let title: Vec<String> = covering
                .iter()
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect();
            let _ = write!(o, "<span class=\"f {}\" title=\"", severity_class(worst));
            escape_into(o, &title.join("\n"));
            o.push_str("\">");
            escape_into(o, piece);
            o.push_str("</span>");
        }
    }
    if let Some(m) = open {
        tip(o, cx, m);
        o.push_str("</mark>");
    }
    for fi in pending.drain(..) {
        marker(o, cx, fi);
    }
}

/// The numbered marker after a finding, linking to its entry in the list.
fn marker(o: &mut String, cx: &Cx, fi: usize) {
    let f = cx.findings[fi];
    let n = fi + 1;
    let _ = write!(
        o,
        "<a class=\"fref {}\" id=\"fr-{n}\" href=\"#f-{n}\" title=\"",
        severity_class(f.severity)
    );
    escape_into(o, &format!("{}: {}", f.rule, f.message));
    let _ = write!(o, "\">{n}</a>");
}

/// A mention's tooltip: the record card, and how it was written.
fn tip(o: &mut String, cx: &Cx, m: &Mention) {
    o.push_str("<span class=\"tip\" role=\"tooltip\">");
    card(o, cx, m.entity);
    match m.via {
        Via::Acronym => o.push_str("<span class=\"c-via\">Written as its acronym</span>"),
        Via::Alias => o.push_str("<span class=\"c-via\">Written as an alias</span>"),
        Via::Misspelling => {
            o.push_str("<span class=\"c-via warn\">Written as a known misspelling</span>")
        }
        Via::Folded => o.push_str("<span class=\"c-via\">Written without diacritics</span>"),
        Via::Name(_) => {}
    }
    if m.is_ambiguous() {
        o.push_str("<span class=\"c-via warn\">Ambiguous: could be ");
        let names: Vec<String> = m
            .candidates
            .iter()
            .map(|c| {
                cx.lexicon.label(
                    EntityRef {
                        record: *c,
                        edition: None,
                    },
                    cx.lang,
                )
            })
            .collect();
        escape_into(o, &names.join(" or "));
        o.push_str("</span>");
    }
    o.push_str("</span>");
}

/// A record card, in spans (it sits inside a `<mark>`, where only phrasing content may go).
fn card(o: &mut String, cx: &Cx, e: EntityRef) {
    let lx = cx.lexicon;
    let r = lx.record(e.record);
    let other = match cx.lang {
        Lang::En => Lang::Vi,
        Lang::Vi => Lang::En,
    };
    let _ = write!(
        o,
        "<span class=\"c-kind\">{} · <span lang=\"vi\">{}</span></span>",
        capitalised(r.kind.label(Lang::En)),
        r.kind.label(Lang::Vi)
    );
    let _ = write!(o, "<span class=\"c-name\" lang=\"{}\">", cx.lang.as_str());
    escape_into(o, &lx.label(e, cx.lang));
    if let Some(a) = lx.acronym(e) {
        o.push_str(" <span class=\"c-acr\">");
        escape_into(o, &a);
        o.push_str("</span>");
    }
    o.push_str("</span>");
    let alt = lx.label(e, other);
    if alt != lx.label(e, cx.lang) {
        let _ = write!(o, "<span class=\"c-alt\" lang=\"{}\">", other.as_str());
        escape_into(o, &alt);
        o.push_str("</span>");
    }
    let facts = lx.facts(e, cx.lang);
    if !facts.is_empty() {
        o.push_str("<span class=\"c-facts\">");
        for f in facts {
            o.push_str("<span class=\"c-fact\"><span class=\"c-fl\">");
            escape_into(
                o,
                match cx.lang {
                    Lang::En => f.label_en,
                    Lang::Vi => f.label_vi,
                },
            );
            o.push_str("</span> <span class=\"c-fv\">");
            escape_into(o, &f.value);
            o.push_str("</span></span>");
        }
        o.push_str("</span>");
    }
    if let Some(d) = r.description.prefer(cx.lang) {
        o.push_str("<span class=\"c-desc\">");
        escape_into(o, d);
        o.push_str("</span>");
    }
    o.push_str("<span class=\"c-id\">lexls:");
    escape_into(o, &r.id);
    o.push_str("</span>");
}

fn entities_panel(o: &mut String, cx: &Cx, groups: &[Group]) {
    let total: usize = groups.iter().map(|(_, l)| l.len()).sum();
    let _ = writeln!(
        o,
        "<section class=\"card entities\" aria-labelledby=\"h-entities\">\n<h2 id=\"h-entities\">Entities <span class=\"n\">{total}</span></h2>"
    );
    if groups.is_empty() {
        o.push_str("<p class=\"none\">No lexicon entity in this article.</p>\n");
    }
    let index = LineIndex::new(cx.text);
    for (kind, list) in groups {
        let mentions: usize = list.iter().map(|(_, l)| l.len()).sum();
        let _ = writeln!(
            o,
            "<div class=\"kind k-{}\"><h3><span class=\"sw\"></span>{} <span class=\"n\">{} · {}</span></h3>\n<ul class=\"ents\">",
            kind.as_str(),
            capitalised(kind.label(Lang::En)),
            plural(list.len(), "entity", "entities"),
            plural(mentions, "mention", "mentions")
        );
        for (e, idx) in list {
            o.push_str("<li><details><summary><span class=\"e-name\">");
            escape_into(o, &cx.lexicon.label(*e, cx.lang));
            o.push_str("</span>");
            if let Some(a) = cx.lexicon.acronym(*e) {
                o.push_str(" <span class=\"c-acr\">");
                escape_into(o, &a);
                o.push_str("</span>");
            }
            let _ = write!(
                o,
                "<span class=\"count\" title=\"{}\">{}</span></summary><div class=\"e-card\">",
                plural(idx.len(), "mention", "mentions"),
                idx.len()
            );
            card(o, cx, *e);
            o.push_str("<span class=\"c-where\">At ");
            let places: Vec<String> = idx
                .iter()
                .map(|&i| {
                    let (l, c) = index.line_col(cx.text, cx.mentions[i].span.start);
                    format!("{l}:{c}")
                })
                .collect();
            escape_into(o, &places.join(", "));
            o.push_str("</span></div></details></li>\n");
        }
        o.push_str("</ul></div>\n");
    }
    o.push_str("</section>\n");
}

fn findings_panel(o: &mut String, cx: &Cx) {
    let _ = writeln!(
        o,
        "<section class=\"card findings\" aria-labelledby=\"h-findings\">\n<h2 id=\"h-findings\">Findings <span class=\"n\">{}</span></h2>",
        cx.findings.len()
    );
    if cx.findings.is_empty() {
        o.push_str("<p class=\"none\">No finding: the lint rules are happy with this article.</p>\n</section>\n");
        return;
    }
    let index = LineIndex::new(cx.text);
    o.push_str("<ol>\n");
    for (i, f) in cx.findings.iter().enumerate() {
        let n = i + 1;
        let (line, col) = index.line_col(cx.text, f.span.start);
        let _ = write!(
            o,
            "<li id=\"f-{n}\" class=\"{}\"><a class=\"fnum\" href=\"#fr-{n}\" title=\"Show in the text\">{n}</a><div><p class=\"f-head\"><span class=\"loc\">{line}:{col}</span> <span class=\"sev\">{}</span> <code class=\"rule\">",
            severity_class(f.severity),
            f.severity.as_str()
        );
        escape_into(o, f.rule);
        o.push_str("</code></p><p class=\"msg\">");
        with_code(o, &f.message);
        o.push_str("</p>");
        if let Some(fix) = f.fixes.first() {
            o.push_str("<p class=\"fix\">Fix: ");
            with_code(o, &fix.title);
            o.push_str("</p>");
        }
        o.push_str("</div></li>\n");
    }
    o.push_str("</ol>\n</section>\n");
}

/// Escapes a rule's message, with its Markdown code spans (`` `AMIC` ``) as `<code>`.
fn with_code(o: &mut String, message: &str) {
    let parts: Vec<&str> = message.split('`').collect();
    // An odd number of parts means the backticks pair up.
    let paired = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && paired {
            o.push_str("<code>");
            escape_into(o, part);
            o.push_str("</code>");
        } else {
            if i > 0 && !paired {
                o.push('`');
            }
            escape_into(o, part);
        }
    }
}

/// The index of several pages: one row per article with its counts, and a bar of its
/// mentions by kind.
pub fn index(summaries: &[Summary]) -> String {
    let mut o = String::new();
    page_head(&mut o, "Annotated articles — lexls");
    let mentions: usize = summaries
        .iter()
        .map(|s| s.mentions.iter().sum::<usize>())
        .sum();
    let findings: usize = summaries.iter().map(|s| s.findings).sum();
    let mut counts = [0; 7];
    for s in summaries {
        for (c, n) in counts.iter_mut().zip(s.mentions) {
            *c += n;
        }
    }
    o.push_str("<div class=\"wrap\">\n<header class=\"top\">\n<p class=\"brand\">lexls · annotated articles</p>\n<h1>Annotated articles</h1>\n<p class=\"meta\">");
    let _ = write!(
        o,
        "{} · {} · {}",
        plural(summaries.len(), "article", "articles"),
        plural(mentions, "mention", "mentions"),
        plural(findings, "finding", "findings")
    );
    o.push_str("</p>\n");
    legend(&mut o, &counts);
    o.push_str("</header>\n<main>\n<section class=\"card\">\n<table class=\"idx\">\n<thead><tr><th scope=\"col\">Article</th><th scope=\"col\">Mentions by kind</th><th scope=\"col\" class=\"num\">Mentions</th><th scope=\"col\" class=\"num\">Entities</th><th scope=\"col\" class=\"num\">Findings</th></tr></thead>\n<tbody>\n");
    for s in summaries {
        let total: usize = s.mentions.iter().sum();
        o.push_str("<tr><td class=\"art\"><a href=\"");
        escape_into(&mut o, &s.href);
        o.push_str("\">");
        escape_into(&mut o, &s.name);
        o.push_str("</a>");
        if let Some(h) = &s.headline {
            let _ = write!(o, "<span class=\"hl\" lang=\"{}\">", s.lang.as_str());
            escape_into(&mut o, h);
            o.push_str("</span>");
        }
        o.push_str("</td><td><span class=\"bar\">");
        for (k, n) in Kind::ALL.into_iter().zip(s.mentions) {
            if n > 0 {
                let _ = write!(
                    o,
                    "<span class=\"seg k-{}\" style=\"flex-grow: {n}\" title=\"{}: {n}\"></span>",
                    k.as_str(),
                    k.label(Lang::En)
                );
            }
        }
        let _ = writeln!(
            o,
            "</span></td><td class=\"num\" data-label=\"Mentions\">{total}</td><td class=\"num\" data-label=\"Entities\">{}</td><td class=\"num{}\" data-label=\"Findings\">{}</td></tr>",
            s.entities,
            if s.findings > 0 { " has" } else { "" },
            s.findings
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n</main>\n<footer class=\"foot\">Made by lexls.</footer>\n</div>\n</body>\n</html>\n");
    o
}

/// The page's style sheet (the per-kind colours are appended from [`kind_colour`]).
const CSS: &str = r#":root {
  --bg: #f4f5f8; --paper: #ffffff; --ink: #1b2230; --muted: #5a6476; --line: #e2e6ed;
  --accent: #1d4ed8; --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 8px rgba(16, 24, 40, .04);
  --serif: Charter, "Bitstream Charter", "Noto Serif", "DejaVu Serif", Georgia, Cambria, "Times New Roman", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  --error: #c81e1e; --warning: #c2410c; --info: #1d4ed8; --hint: #6b7280;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.55 var(--sans); }
a { color: var(--accent); }
.wrap { max-width: 1240px; margin: 0 auto; padding: 28px 24px 40px; }
.top { margin-bottom: 20px; }
.back { display: inline-block; margin-bottom: 10px; font-size: .9rem; text-decoration: none; }
.back:hover { text-decoration: underline; }
.brand { margin: 0; font-size: .72rem; font-weight: 700; letter-spacing: .14em; text-transform: uppercase; color: var(--muted); }
h1 { margin: 4px 0 2px; font-size: 1.45rem; line-height: 1.25; overflow-wrap: anywhere; }
.path { margin: 0; color: var(--muted); font: .8rem/1.4 var(--mono); overflow-wrap: anywhere; }
.meta { margin: 4px 0 14px; color: var(--muted); font-size: .92rem; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.legend li { display: inline-flex; align-items: center; gap: 5px; padding: 3px 9px 3px 7px; border: 1px solid var(--line); border-radius: 999px; background: var(--paper); font-size: .78rem; white-space: nowrap; }
.legend .vi { color: var(--muted); }
.legend .n, h2 .n, h3 .n { color: var(--muted); font-variant-numeric: tabular-nums; font-weight: 600; }
.sw { display: inline-block; flex: none; width: 12px; height: 12px; border-radius: 3px; background: var(--kbg); box-shadow: inset 0 -3px 0 var(--k); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 24px; align-items: start; }
.doc, .card { background: var(--paper); border: 1px solid var(--line); border-radius: 14px; box-shadow: var(--shadow); }
.doc { padding: 32px 40px 36px; }
.headline { margin: 0 0 18px; max-width: 40em; font: 700 1.7rem/1.3 var(--serif); letter-spacing: -.005em; }
.text { max-width: 42em; white-space: pre-wrap; overflow-wrap: break-word; font: 1.08rem/1.8 var(--serif); }
mark.m { position: relative; padding: .08em .14em; border-radius: 4px; color: inherit; background: var(--kbg); box-shadow: inset 0 -2px 0 var(--k); cursor: help; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.m.amb { box-shadow: inset 0 -2px 0 var(--k), 0 0 0 1.5px var(--k); }
mark.m:hover, mark.m:focus { outline: 2px solid var(--k); outline-offset: 1px; }
.f { text-decoration: underline wavy var(--sev); text-decoration-thickness: 1.5px; text-underline-offset: .32em; text-decoration-skip-ink: none; }
.sev-error { --sev: var(--error); } .sev-warning { --sev: var(--warning); } .sev-info { --sev: var(--info); } .sev-hint { --sev: var(--hint); }
.fref { display: inline-block; min-width: 1.35em; margin: 0 .1em 0 .15em; padding: 0 .3em; border-radius: 999px; background: var(--sev); color: #fff; font: 700 .62rem/1.45 var(--sans); text-align: center; text-decoration: none; vertical-align: .55em; }
.fref:target { outline: 2px solid var(--sev); outline-offset: 2px; }
.tip { display: none; position: absolute; z-index: 20; top: calc(100% + 8px); left: 0; width: max-content; max-width: min(380px, 86vw); padding: 12px 14px; border: 1px solid var(--line); border-top: 4px solid var(--k); border-radius: 10px; background: var(--paper); color: var(--ink); box-shadow: 0 12px 32px rgba(16, 24, 40, .2); font: 400 .86rem/1.45 var(--sans); text-align: left; white-space: normal; cursor: auto; }
mark.m:hover > .tip, mark.m:focus > .tip, mark.m:focus-within > .tip { display: block; }
.tip > span, .e-card > span { display: block; }
.c-kind { color: var(--k); font-size: .7rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; }
.c-name { margin-top: 2px; font-weight: 700; font-size: 1rem; line-height: 1.3; }
.c-acr { display: inline-block; padding: 0 6px; white-space: nowrap; border-radius: 5px; background: var(--kbg); color: var(--k); font: 700 .75rem/1.5 var(--mono); vertical-align: .1em; }
.c-alt { color: var(--muted); font-style: italic; }
.c-facts { display: grid !important; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 8px 0 0; padding: 8px 0 0; border-top: 1px solid var(--line); }
.c-fact { display: contents; }
.c-fl { color: var(--muted); }
.c-desc { margin-top: 8px; }
.c-via { margin-top: 8px; color: var(--muted); font-size: .8rem; }
.c-via.warn { color: var(--warning); font-weight: 600; }
.c-id, .c-where { margin-top: 6px; color: var(--muted); font: .72rem/1.4 var(--mono); }
.panel { display: grid; gap: 18px; }
.card { padding: 18px 20px; }
.card h2 { display: flex; justify-content: space-between; align-items: baseline; margin: 0 0 6px; font-size: .74rem; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; color: var(--muted); }
.kind h3 { display: flex; align-items: center; gap: 8px; margin: 14px 0 4px; font-size: .92rem; }
.kind h3 .n { margin-left: auto; font-size: .76rem; font-weight: 500; }
.ents { margin: 0; padding: 0; list-style: none; }
.ents li { border-top: 1px solid var(--line); }
.ents li:first-child { border-top: 0; }
.ents summary { display: flex; align-items: baseline; gap: 8px; padding: 6px 0; list-style: none; cursor: pointer; font-size: .9rem; }
.ents summary::-webkit-details-marker { display: none; }
.ents summary::before { content: "▸"; flex: none; color: var(--muted); font-size: .75rem; transition: transform .15s; }
.ents details[open] > summary::before { transform: rotate(90deg); }
.e-name { min-width: 0; overflow-wrap: anywhere; }
.count { flex: none; margin-left: auto; padding: 0 8px; border-radius: 999px; background: var(--kbg); color: var(--k); font-size: .76rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.e-card { margin: 0 0 10px 18px; padding: 10px 12px; border-left: 3px solid var(--k); border-radius: 0 8px 8px 0; background: var(--bg); font-size: .84rem; line-height: 1.45; }
.findings ol { margin: 0; padding: 0; list-style: none; }
.findings li { display: grid; grid-template-columns: auto 1fr; gap: 10px; padding: 10px 0; border-top: 1px solid var(--line); }
.findings li:first-child { border-top: 0; }
.findings li:target { background: #fff7e0; box-shadow: 0 0 0 6px #fff7e0; border-radius: 4px; }
.fnum { display: inline-block; min-width: 1.6em; height: 1.6em; border-radius: 999px; background: var(--sev); color: #fff; font: 700 .75rem/1.6em var(--sans); text-align: center; text-decoration: none; }
.findings p { margin: 0; }
.f-head { font-size: .8rem; color: var(--muted); }
.loc { font-family: var(--mono); color: var(--ink); }
.sev { color: var(--sev); font-weight: 700; text-transform: uppercase; font-size: .7rem; letter-spacing: .06em; }
.rule { font: .75rem var(--mono); color: var(--muted); }
.msg { font-size: .9rem; }
.msg code, .fix code { padding: 0 4px; border-radius: 4px; background: var(--bg); font: .82em var(--mono); }
.fix { font-size: .82rem; color: var(--muted); }
.none { margin: 4px 0 0; color: var(--muted); font-size: .9rem; }
.foot { margin-top: 28px; color: var(--muted); font-size: .8rem; }
table.idx { width: 100%; border-collapse: collapse; font-size: .92rem; }
.idx th { padding: 6px 10px; border-bottom: 2px solid var(--line); color: var(--muted); font-size: .72rem; letter-spacing: .08em; text-align: left; text-transform: uppercase; }
.idx td { padding: 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
.idx tr:last-child td { border-bottom: 0; }
.idx .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.idx .num.has { color: var(--warning); font-weight: 700; }
.idx .art a { font-weight: 600; overflow-wrap: anywhere; }
.idx .hl { display: block; color: var(--muted); font-size: .84rem; }
.bar { display: flex; width: 100%; min-width: 120px; height: 12px; overflow: hidden; border-radius: 999px; background: var(--bg); }
.seg { background: var(--k); }
@media (max-width: 960px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .doc { padding: 24px 24px 28px; }
  .tip { position: fixed; top: auto; right: auto; bottom: 10px; left: 50%; transform: translateX(-50%); width: min(560px, calc(100vw - 20px)); max-width: none; max-height: 60vh; overflow: auto; }
}
@media (max-width: 600px) {
  .wrap { padding: 16px 12px 28px; }
  h1 { font-size: 1.2rem; }
  .doc { padding: 18px 16px 22px; border-radius: 12px; }
  .headline { font-size: 1.35rem; }
  .text { font-size: 1.02rem; line-height: 1.72; }
  .legend li { font-size: .74rem; padding: 2px 8px 2px 6px; }
  .idx thead { display: none; }
  .idx tr { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px 10px; padding: 10px 0; border-bottom: 1px solid var(--line); }
  .idx td { padding: 0; border: 0; }
  .idx td.art, .idx td:nth-child(2) { grid-column: 1 / -1; }
  .idx .num { text-align: left; }
  .idx .num::before { content: attr(data-label) " "; color: var(--muted); font-weight: 400; }
}
@media screen and (prefers-color-scheme: dark) {
  :root { --bg: #0e131c; --paper: #161d29; --ink: #e5e9f0; --muted: #9aa5b6; --line: #263043; --accent: #8ab4ff; --shadow: none; --error: #f87171; --warning: #fb923c; --info: #8ab4ff; --hint: #9ca3af; }
  mark.m { background: color-mix(in srgb, var(--k) 30%, transparent); box-shadow: inset 0 -2px 0 color-mix(in srgb, var(--k) 70%, white); }
  .c-kind, .count, .c-acr { color: color-mix(in srgb, var(--k) 45%, white); }
  .count, .c-acr, .sw { background: color-mix(in srgb, var(--k) 35%, transparent); }
  .findings li:target { background: #3a3113; box-shadow: 0 0 0 6px #3a3113; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .wrap { max-width: none; padding: 0; }
  .layout { display: block; }
  .doc, .card { border: 0; border-radius: 0; box-shadow: none; padding: 0; }
  .panel { margin-top: 18pt; gap: 12pt; }
  .back, .tip, .foot { display: none !important; }
  .text { max-width: none; font-size: 11pt; line-height: 1.6; }
  .headline { font-size: 17pt; }
  mark.m, .sw, .count, .fref, .fnum, .c-acr, .seg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  mark.m:hover, mark.m:focus { outline: none; }
  a { color: inherit; text-decoration: none; }
  .ents li, .findings li, .kind h3 { break-inside: avoid; }
  .ents summary::before { content: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert('x')</script> & "q" "#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; "
        );
        assert_eq!(escape("a\0b"), "a\u{FFFD}b");
    }

    #[test]
    fn code_spans_in_messages() {
        let mut o = String::new();
        with_code(&mut o, "`A<B` is not `C`");
        assert_eq!(o, "<code>A&lt;B</code> is not <code>C</code>");
        let mut o = String::new();
        with_code(&mut o, "odd ` tick");
        assert_eq!(o, "odd ` tick");
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(
            href_of("bài viết #1.html"),
            "b%C3%A0i%20vi%E1%BA%BFt%20%231.html"
        );
    }

    #[test]
    fn headline_needs_a_blank_line() {
        assert_eq!(headline("Title\n\nBody", &[]), Some(0..5));
        assert_eq!(headline("\u{FEFF}Title\r\n\r\nBody", &[]), Some(3..8));
        assert_eq!(headline("Title\r\rBody", &[]), Some(0..5));
        assert_eq!(headline("Line one\nline two", &[]), None);
        assert_eq!(headline("One line", &[]), None);
    }
}
