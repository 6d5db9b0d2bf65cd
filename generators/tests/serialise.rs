//! Generated cases written in the corpus format: the JSON re-reads unchanged, carries the
//! triage provenance, tags only corpus features, and the written policy text decides like the
//! generated model (the corpus runner reads the text).

use iamspec::scenario::ReferenceOracle;
use iamspec_format::{judge_case, ComparisonMode, Outcome as Verdicted};
use iamspec_format::{Case, SourceKind};
use iamspec_generators::serialise::{case_json, to_case, write_cases, GENERATOR_VERSION};
use iamspec_generators::{features, generate_cases, Outcome, Settings, Via};

#[test]
fn written_cases_round_trip_unchanged() {
    for settings in [Settings::well_formed(), Settings::adversarial()] {
        for case in generate_cases(&settings, 21, 150) {
            let Ok(file) = to_case(&case) else { continue };
            let text = case_json(&file).expect("serialises");
            let reread: Case = serde_json::from_str(&text).expect("re-reads");
            assert_eq!(case_json(&reread).expect("serialises"), text);
            assert_eq!(file.source.kind, SourceKind::Triage);
            assert_eq!(file.source.oracle.as_deref(), Some("reference"));
            assert_eq!(file.source.seed, Some(21));
            assert_eq!(file.source.generator.as_deref(), Some(GENERATOR_VERSION));
            assert!(file
                .source
                .notes
                .as_deref()
                .is_some_and(|n| n.contains("unconfirmed")));
            for tag in &file.features {
                assert!(features::corpus_vocabulary().contains(tag), "{tag}");
            }
            for p in &file.policies.identity {
                // Policy text in the file is exactly the text the generator wrote.
                let _ = p.text().expect("policy text");
            }
        }
    }
}

#[test]
fn write_cases_writes_one_file_per_case() {
    let dir = std::env::temp_dir().join(format!("iamspec-gen-test-{}", std::process::id()));
    let mut cases = generate_cases(&Settings::well_formed(), 3, 40);
    cases.extend(generate_cases(&Settings::adversarial(), 4, 40));
    let paths = write_cases(&cases, &dir).expect("written");
    assert_eq!(paths.len(), 80);
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("readable");
        let _: Case = serde_json::from_str(&text).expect("a case file");
        // The corpus loader (which checks the format's rules) accepts it.
        iamspec_format::load::load_case_file(p).unwrap_or_else(|e| panic!("{e}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_written_text_decides_like_the_model() {
    // The parser must accept every well-formed generated policy, and the parsed text must
    // decide every request as the generated model does.
    let mut rejected = Vec::new();
    for case in generate_cases(&Settings::well_formed(), 99, 300) {
        let model = case.outcome(Via::Model);
        match case.outcome(Via::Text) {
            Outcome::Rejected { policy, kind } => {
                let p = case
                    .policies
                    .all()
                    .find(|p| p.id == policy)
                    .expect("policy");
                rejected.push(format!(
                    "{} {}: {}\n{}",
                    case.index,
                    policy,
                    kind.name(),
                    iamspec_generators::render::policy_text(p)
                ));
            }
            text => {
                assert_eq!(
                    model.decisions(),
                    text.decisions(),
                    "case {} decides differently from its text",
                    case.index
                );
                // The same statements decide and the same keys are missing.
                let (Outcome::Decided(m), Outcome::Decided(t)) = (&model, &text) else {
                    continue;
                };
                for (m, t) in m.iter().zip(t) {
                    let (Ok(m), Ok(t)) = (m, t) else { continue };
                    let key = |r: &iamspec::explain::Response| {
                        let mut matched: Vec<(String, usize)> = r
                            .matched
                            .iter()
                            .map(|s| (s.policy.clone(), s.statement))
                            .collect();
                        matched.sort();
                        let mut missing: Vec<String> = r
                            .missing_context
                            .iter()
                            .map(|k| k.to_ascii_lowercase())
                            .collect();
                        missing.sort();
                        (matched, missing)
                    };
                    assert_eq!(key(m), key(t), "case {}", case.index);
                }
            }
        }
    }
    assert!(
        rejected.is_empty(),
        "{} well-formed cases rejected, e.g.\n{}",
        rejected.len(),
        rejected
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_scenario_runner_agrees_with_written_expectations() {
    // The corpus runner re-decides every written case (policies read back from the file) and
    // must meet every expectation the generator wrote, rejected policies included.
    let mut cases = generate_cases(&Settings::well_formed(), 8, 60);
    cases.extend(generate_cases(&Settings::adversarial(), 9, 60));
    for case in cases {
        let Ok(file) = to_case(&case) else { continue };
        let text = case_json(&file).expect("serialises");
        let reread: Case = serde_json::from_str(&text).expect("re-reads");
        let judged = judge_case(&mut ReferenceOracle, &reread, ComparisonMode::Full);
        for ((_, verdict), request) in judged.iter().zip(&reread.requests) {
            assert!(
                matches!(verdict.outcome(), Verdicted::Passed | Verdicted::Skipped),
                "case {} request {}: {verdict}\n{text}",
                case.index,
                request.name,
            );
        }
    }
}

#[test]
fn generation_is_reproducible_from_a_seed() {
    let settings = Settings::adversarial();
    let a = generate_cases(&settings, 42, 30);
    let b = generate_cases(&settings, 42, 30);
    assert_eq!(a, b);
    let text = |cases: &[iamspec_generators::GeneratedCase]| {
        cases
            .iter()
            .filter_map(|c| to_case(c).ok())
            .map(|c| case_json(&c).expect("serialises"))
            .collect::<Vec<_>>()
    };
    assert_eq!(text(&a), text(&b));
    assert_ne!(a, generate_cases(&settings, 43, 30));
}

#[test]
fn any_case_of_a_batch_is_generated_alone_and_lazily() {
    let settings = Settings::well_formed();
    let batch = generate_cases(&settings, 42, 40);
    // A larger batch only adds cases at the end; case i alone is case i of the batch.
    assert_eq!(batch[..], generate_cases(&settings, 42, 60)[..40]);
    for i in [0, 1, 17, 39] {
        assert_eq!(
            iamspec_generators::generate_case_at(&settings, 42, i),
            batch[i]
        );
    }
    let lazy: Vec<_> = iamspec_generators::cases(&settings, 42).take(40).collect();
    assert_eq!(lazy, batch);
    assert!(batch.iter().enumerate().all(|(i, c)| c.index == i));
}

#[test]
fn statistics_counted_in_parts_and_merged_are_the_whole_batch_s() {
    let cases = generate_cases(&Settings::adversarial(), 5, 60);
    let whole = iamspec_generators::coverage_stats(&cases, Via::Text);
    let mut merged = iamspec_generators::CoverageStats::new();
    for part in cases.chunks(7).rev() {
        merged.merge(&iamspec_generators::coverage_stats(part, Via::Text));
    }
    assert_eq!(merged, whole);
    assert_eq!(merged.to_string(), whole.to_string());
    assert_eq!(whole.cases, 60);
}
