//! Matcher cases as a table: (haystack, expected mentions as `text=id` or `text=id#edition`).
//! The lexicon is a small one written for these tests, so that a change to the shipped data
//! does not move them.

use super::*;
use crate::lexicon::{LexiconBuilder, Origin};

const LEXICON: &str = r#"
[[organisation]]
id = "asean"
name = { en = "Association of Southeast Asian Nations", vi = "Hiệp hội các quốc gia Đông Nam Á" }
acronyms = ["ASEAN"]
well-known = true

[[organisation]]
id = "amic"
name = { en = "ASEAN Military Intelligence Community", vi = "Cộng đồng Tình báo Quân sự ASEAN" }
acronyms = ["AMIC"]
aliases = ["ASEAN Military/Defense Intelligence Community"]

[[organisation]]
id = "aseanapol"
name = { en = "ASEAN Chiefs of Police" }
acronyms = ["ASEANAPOL"]
misspellings = ["ASEANPOL"]

[[organisation]]
id = "asc-studies"
name = { en = "ASEAN Studies Centre", vi = "Trung tâm Nghiên cứu ASEAN" }
acronyms = ["ASC"]
ambiguous = ["ASC"]

[[organisation]]
id = "asc-security"
name = { en = "ASEAN Security Community" }
acronyms = ["ASC"]
ambiguous = ["ASC"]

[[series]]
id = "amim"
name = { en = "ASEAN Military Intelligence Meeting", vi = "Hội nghị Những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN" }
acronyms = ["AMIM"]
aliases = ["ASEAN Heads of Military/Defense Intelligence Meeting", "Những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN"]

[[series]]
id = "cop"
name = { en = "Conference of the Parties", vi = "Hội nghị các bên" }
acronyms = ["COP"]

[[series]]
id = "party-congress"
name = { en = "National Congress of the Communist Party of Vietnam", vi = "Đại hội đại biểu toàn quốc của Đảng" }
edition-aliases = ["Đại hội", "Đại hội Đảng"]

[[meeting]]
id = "amim-17"
series = "amim"
edition = 17
date = "2020-09"

[[meeting]]
id = "party-congress-13"
series = "party-congress"
edition = 13
date = "2021"

[[person]]
id = "bui-van-nam"
name = { vi = "Bùi Văn Nam" }

[[place]]
id = "france"
name = { en = "France", vi = "Pháp" }

[[place]]
id = "east-sea"
name = { en = "East Sea", vi = "Biển Đông" }

[[place]]
id = "hanoi"
name = { en = "Hanoi", vi = "Hà Nội" }

[[term]]
id = "sop"
name = { en = "Standard Operating Procedure" }
acronyms = ["SOP"]

[[term]]
id = "tor"
name = { en = "Terms of Reference" }
acronyms = ["TOR"]
"#;

fn lexicon() -> Lexicon {
    let mut b = LexiconBuilder::new();
    b.add_text(Origin::File("test.toml".into()), LEXICON);
    b.build().unwrap()
}

fn render(lx: &Lexicon, text: &str, m: &Mention) -> String {
    let r = lx.record(m.entity.record);
    let mut s = format!("{}={}", &text[m.span.clone()], r.id);
    if r.kind == Kind::Series
        && let Some(n) = m.entity.edition
    {
        s.push_str(&format!("#{n}"));
    }
    if m.is_ambiguous() {
        s.push('?');
    }
    s
}

fn check(cases: &[(&str, &[&str])]) {
    let lx = lexicon();
    let matcher = Matcher::new(&lx);
    for (text, want) in cases {
        let got: Vec<String> = matcher
            .find(&lx, text, Some(Lang::En))
            .iter()
            .map(|m| render(&lx, text, m))
            .collect();
        assert_eq!(&got, want, "in {text:?}");
    }
}

#[test]
fn acronyms_and_names() {
    check(&[
        ("AMIC was launched", &["AMIC=amic"]),
        (
            "the ASEAN Military Intelligence Community (AMIC)",
            &["ASEAN Military Intelligence Community=amic", "AMIC=amic"],
        ),
        (
            "Cộng đồng Tình báo Quân sự ASEAN",
            &["Cộng đồng Tình báo Quân sự ASEAN=amic"],
        ),
    ]);
}

#[test]
fn word_boundaries() {
    check(&[
        ("AMICUS and TORONTO and ASEANAPOL", &["ASEANAPOL=aseanapol"]),
        ("xAMIC AMICx AMIC1", &[]),
        // A rejected longer match must not hide a shorter valid one.
        ("ASEAN Military Intelligence Communityx", &["ASEAN=asean"]),
    ]);
}

#[test]
fn case_rules() {
    check(&[
        // Acronyms are exact.
        ("amic and Amic", &[]),
        // Multi-word names ignore case; single words are exact.
        (
            "an ninh biển Đông và BIỂN ĐÔNG",
            &["biển Đông=east-sea", "BIỂN ĐÔNG=east-sea"],
        ),
        ("pháp luật của Pháp", &["Pháp=france"]),
    ]);
}

#[test]
fn plural_acronyms() {
    check(&[("the SOPs and TORs", &["SOPs=sop", "TORs=tor"])]);
    check(&[("SOPS", &[])]);
}

#[test]
fn misspellings() {
    check(&[("cùng ASEANPOL", &["ASEANPOL=aseanapol"])]);
}

#[test]
fn ambiguous_acronym_has_every_candidate() {
    check(&[("the ASC said", &["ASC=asc-studies?"])]);
}

#[test]
fn editions() {
    check(&[
        (
            "AMIM-17 and AMIM 17 and AMIM – 17",
            &["AMIM-17=amim-17", "AMIM 17=amim-17", "AMIM – 17=amim-17"],
        ),
        ("the 17th AMIM met", &["17th AMIM=amim-17"]),
        (
            "the 17th ASEAN Military Intelligence Meeting",
            &["17th ASEAN Military Intelligence Meeting=amim-17"],
        ),
        (
            "the 17th ASEAN Heads of Military/Defense Intelligence Meeting",
            &["17th ASEAN Heads of Military/Defense Intelligence Meeting=amim-17"],
        ),
        ("AMIM-21 is next", &["AMIM-21=amim#21"]),
        ("the twenty AMIM", &["AMIM=amim"]),
        ("the first AMIM", &["first AMIM=amim#1"]),
        ("COP26 and COP-26", &["COP26=cop#26", "COP-26=cop#26"]),
        (
            "Hội nghị trực tuyến Những người đứng đầu tình báo quân sự/ quốc phòng các nước ASEAN lần thứ 17 (AMIM-17)",
            &[
                "Những người đứng đầu tình báo quân sự/ quốc phòng các nước ASEAN lần thứ 17=amim-17",
                "AMIM-17=amim-17",
            ],
        ),
        (
            "Đại hội XIII và Đại hội X của Đảng",
            &[
                "Đại hội XIII=party-congress-13",
                "Đại hội X=party-congress#10",
            ],
        ),
        (
            "Đại hội Đảng lần thứ XIII",
            &["Đại hội Đảng lần thứ XIII=party-congress-13"],
        ),
        // An edition-only alias without an edition is no mention; a small x is no numeral.
        ("Đại hội thể thao và Đại hội x", &[]),
    ]);
}

#[test]
fn normalisation_variants() {
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Bùi Văn Nam").collect();
    let text = format!("Trung tướng {nfd} và Bui Van Nam, Hà\u{00A0}Nội, Ha Noi, Hà\nNội");
    let lx = lexicon();
    let m = Matcher::new(&lx).find(&lx, &text, Some(Lang::Vi));
    let got: Vec<String> = m.iter().map(|m| render(&lx, &text, m)).collect();
    assert_eq!(
        got,
        [
            format!("{nfd}=bui-van-nam"),
            "Bui Van Nam=bui-van-nam".to_owned(),
            "Hà\u{00A0}Nội=hanoi".to_owned(),
            "Ha Noi=hanoi".to_owned(),
            "Hà\nNội=hanoi".to_owned(),
        ]
    );
    check(&[
        (
            "ASEAN Military /Defense Intelligence Community",
            &["ASEAN Military /Defense Intelligence Community=amic"],
        ),
        (
            "\u{00D0}ại hội XIII",
            &["\u{00D0}ại hội XIII=party-congress-13"],
        ),
        ("A\u{00AD}MIC", &["A\u{00AD}MIC=amic"]),
    ]);
}

#[test]
fn spans_are_char_boundaries_with_emoji() {
    let text = "🇻🇳🤝AMIC😀 và Hà Nội🤝";
    let lx = lexicon();
    for m in Matcher::new(&lx).find(&lx, text, Some(Lang::En)) {
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
    }
    check(&[(text, &["AMIC=amic", "Hà Nội=hanoi"])]);
}

#[test]
fn definitions_bind_ambiguous_acronyms() {
    let lx = lexicon();
    let engine = crate::analysis::Engine::new(lx);
    let text = "The ASC met. The ASEAN Studies Centre (ASC) was awarded. The ASC said.";
    let a = engine.analyze(text);
    let ids: Vec<String> = a
        .mentions
        .iter()
        .map(|m| render(engine.lexicon(), text, m))
        .collect();
    assert_eq!(
        ids,
        [
            "ASC=asc-studies?",
            "ASEAN Studies Centre=asc-studies",
            "ASC=asc-studies",
            "ASC=asc-studies",
        ]
    );
    assert_eq!(a.definitions.len(), 1);
    let d = &a.definitions[0];
    assert_eq!(&text[d.long.clone()], "ASEAN Studies Centre");
    assert_eq!(&text[d.short.clone()], "ASC");
    assert_eq!(a.defined_by, [None, None, Some(0), Some(0)]);
    // The other sense, defined, picks the other record.
    let text = "the ASEAN Security Community (ASC); later the ASC";
    let a = engine.analyze(text);
    let last = a.mentions.last().unwrap();
    assert_eq!(
        engine.lexicon().record(last.entity.record).id,
        "asc-security"
    );
    assert!(!last.is_ambiguous());
}

#[test]
fn definition_forms() {
    let engine = crate::analysis::Engine::new(lexicon());
    let lx = engine.lexicon();
    // ACR (Long Form), bilingual.
    let text =
        "AMIC (ASEAN Military Intelligence Community - Cộng đồng Tình báo Quân sự ASEAN) ra đời";
    let a = engine.analyze(text);
    let d = &a.definitions[0];
    assert!(d.short_first);
    assert_eq!(&text[d.short.clone()], "AMIC");
    assert_eq!(
        d.long_entity.map(|e| lx.record(e.record).id.as_str()),
        Some("amic")
    );
    assert!(!d.contradicts(lx));
    // A long form that contradicts the record.
    let text = "the ASEAN Maritime Initiative Meeting (AMIM)";
    let a = engine.analyze(text);
    let d = &a.definitions[0];
    assert_eq!(&text[d.long.clone()], "ASEAN Maritime Initiative Meeting");
    assert_eq!(d.long_entity, None);
    assert!(d.contradicts(lx));
    // An edition spelled out with its edition acronym.
    let text = "the 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17)";
    let a = engine.analyze(text);
    let d = &a.definitions[0];
    assert_eq!(&text[d.short.clone()], "AMIM-17");
    assert!(!d.contradicts(lx), "{d:?}");
    // "gọi tắt là" before the acronym.
    let text = "Hội nghị Những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN (gọi tắt là AMIM)";
    let a = engine.analyze(text);
    assert_eq!(&text[a.definitions[0].short.clone()], "AMIM");
    assert!(!a.definitions[0].contradicts(lx));
    // An acronym unknown to the lexicon, defined in the text.
    let text = "the Joint Working Group on Cyber Issues (JWGCI)";
    let a = engine.analyze(text);
    let d = &a.definitions[0];
    assert_eq!(&text[d.long.clone()], "Joint Working Group on Cyber Issues");
    assert!(d.short_candidates.is_empty());
    assert!(!d.contradicts(lx));
}

#[test]
fn edition_after_a_parenthesis() {
    let lx = lexicon();
    let text = "Những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN (gọi tắt là AMIM) lần thứ 17";
    let m = Matcher::new(&lx).find(&lx, text, Some(Lang::Vi));
    assert_eq!(
        &text[m[0].span.clone()],
        "Những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN"
    );
    assert_eq!(lx.record(m[0].entity.record).id, "amim-17");
    assert_eq!(&text[m[1].span.clone()], "AMIM");
}

#[test]
fn same_record_in_two_cases_and_alias_language() {
    let mut b = LexiconBuilder::new();
    b.add_text(
        Origin::File("t.toml".into()),
        r#"
[[term]]
id = "covid-19"
name = { en = "coronavirus disease 2019" }
acronyms = ["COVID-19"]
aliases = ["Covid-19"]

[[organisation]]
id = "nam"
name = { en = "Non-Aligned Movement" }
aliases = [{ text = "NAM", lang = "en" }]
"#,
    );
    let lx = b.build().unwrap();
    let m = Matcher::new(&lx);
    assert_eq!(
        m.find(&lx, "COVID-19 và Covid-19 và covid-19", Some(Lang::Vi))
            .len(),
        2
    );
    assert_eq!(m.find(&lx, "VIỆT NAM", Some(Lang::Vi)).len(), 0);
    assert_eq!(m.find(&lx, "the NAM summit", Some(Lang::En)).len(), 1);
}

#[test]
fn place_names_inside_other_words_and_names() {
    let mut b = LexiconBuilder::new();
    b.add_text(
        Origin::File("t.toml".into()),
        r#"
[[place]]
id = "russia"
name = { en = "Russia", vi = "Nga" }
not-in = ["Hằng Nga"]

[[place]]
id = "france"
name = { en = "France", vi = "Pháp" }
not-in = ["pháp luật"]
"#,
    );
    let lx = b.build().unwrap();
    let m = Matcher::new(&lx);
    let ids = |text: &str| -> Vec<String> {
        m.find(&lx, text, Some(Lang::Vi))
            .iter()
            .map(|x| text[x.span.clone()].to_owned())
            .collect()
    };
    assert_eq!(ids("Pháp luật của Pháp và Nga."), ["Pháp", "Nga"]);
    assert_eq!(ids("Bà Nguyễn Thị Nga nói. Tại Nga, chị Hằng Nga"), ["Nga"]);
    assert_eq!(ids("They fly Air France to France"), ["France"]);
}

#[test]
fn pieces_end_after_a_sentence_unless_an_alias_goes_on() {
    fn words(p: &str) -> Vec<&str> {
        abbreviations_in(p).collect()
    }
    assert_eq!(words("st. petersburg"), ["st"]);
    assert_eq!(words("say \"no.\" now"), ["no"]);
    assert_eq!(words("washington, d.c. metro"), ["c"]);
    assert!(words("co.").is_empty());
    assert!(words("u.s.a").is_empty());
    assert!(words("what?!").is_empty());
    assert!(Matcher::new(&lexicon()).ends_piece_after("TP"));
    let mut b = LexiconBuilder::new();
    b.add_text(
        Origin::File("spb.toml".into()),
        "[[place]]\nid = \"spb\"\nname = { en = \"St. Petersburg\" }\n",
    );
    let m = Matcher::new(&b.build().expect("valid"));
    assert!(!m.ends_piece_after("St"));
    assert!(!m.ends_piece_after("ST"));
    assert!(m.ends_piece_after("Street"));
    assert!(m.ends_piece_after(""));
}

#[test]
fn word_chars_are_letters_digits_and_combining_marks_in_every_range() {
    for c in '\0'..=char::MAX {
        assert_eq!(
            is_word_char(c),
            c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c),
            "{c:?} U+{:04X}",
            c as u32
        );
    }
}

/// [`select`] as it was before it chose within clusters of overlapping candidates: one
/// stable sort of them all by length and start, then by start. The reference the property
/// test compares with.
fn select_reference(found: &mut Vec<Candidate>) {
    found.sort_by(|a, b| {
        (b.norm.end - b.norm.start)
            .cmp(&(a.norm.end - a.norm.start))
            .then(a.norm.start.cmp(&b.norm.start))
    });
    let mut spans: Vec<(usize, usize)> = Vec::new();
    found.retain(|c| {
        let at = spans.partition_point(|&(start, _)| start < c.norm.end);
        let clash = at > 0 && spans[at - 1].1 > c.norm.start;
        if !clash {
            spans.insert(at, (c.norm.start, c.norm.end));
        }
        !clash
    });
    found.sort_by_key(|c| c.norm.start);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 5000, failure_persistence: None, ..Default::default()
    })]

    /// Candidates nearly in order of start, as matches make them, some moved back as an
    /// edition before a name moves them, with ties of start and length, nested and chained
    /// overlaps, and blockers.
    #[test]
    fn select_keeps_what_one_sort_of_all_the_candidates_keeps(
        spans in proptest::collection::vec((0usize..40, 1usize..8, 0usize..4, proptest::bool::ANY), 0..24),
    ) {
        let mut at = 0;
        let found: Vec<Candidate> = spans
            .iter()
            .enumerate()
            .map(|(i, &(step, len, back, blocker))| {
                // Mostly small steps forward; sometimes a start moved back.
                at += step % 5;
                let start = at.saturating_sub(if step > 36 { back } else { 0 });
                Candidate {
                    norm: start..start + len,
                    orig: None,
                    entity: EntityRef { record: RecordId(i as u32), edition: None },
                    candidates: Candidates::new(),
                    via: Via::Alias,
                    blocker,
                }
            })
            .collect();
        let mut want = found.clone();
        select_reference(&mut want);
        let want: Vec<u32> = want.iter().map(|c| c.entity.record.0).collect();
        let (mut kept, mut cluster, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        select(&found, &mut kept, &mut cluster, &mut buf);
        let got: Vec<u32> = kept.iter().map(|&i| found[i].entity.record.0).collect();
        proptest::prop_assert_eq!(got, want);
    }
}
