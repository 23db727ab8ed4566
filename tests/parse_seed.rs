//! The user's seed example parses to the numbers of the write-up.
use converge::core::model::{Dialect, Precision, Throughput};
use converge::core::parse::parse;

fn seed() -> String {
    std::fs::read_to_string("tests/data/corpus/seed/as_pasted.txt").expect("seed file")
}

#[test]
fn seed_parameters_and_snapshot() {
    let p = parse(&seed());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
    assert_eq!(p.parameters.max_bandwidth.as_ref().map(|f| f.value.0), Some(9223372036853727232.0));
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMilliseconds);
    let r = s.remaining.as_ref().unwrap();
    assert_eq!(r.value.0, 376892.0 * 1024.0);
    assert_eq!(r.precision, Precision::Truncated { step: 1024.0 });
    assert_eq!(r.source.line, 20);
    assert_eq!(r.source.unit, "kbytes");
    assert_eq!(s.throughput.as_ref().unwrap().value, Throughput::Mbps(converge::core::units::Mbps(866.83)));
    assert_eq!(s.dirty_pages_rate.as_ref().unwrap().value.0, 39044.0);
    assert_eq!(s.expected_downtime.as_ref().unwrap().value.0, 1475.0);
    assert_eq!(s.page_size.as_ref().unwrap().value.0 .0, 4096.0);
    assert_eq!(s.status_name(), "active");
    assert_eq!(p.parameters.other.get("block-incremental").map(|f| f.value.as_str()), Some("off"));
    assert!(p.capabilities.is_empty());
    // 26 non-blank lines + 2 prompts.
    assert_eq!(p.lines_understood, 28);
}

#[test]
fn seed_split_files_parse_alone() {
    let m = parse(&std::fs::read_to_string("tests/data/corpus/seed/info_migrate.txt").unwrap());
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_eq!(m.snapshots.len(), 1);
    let p = parse(&std::fs::read_to_string("tests/data/corpus/seed/info_migrate_parameters.txt").unwrap());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots.len(), 0);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
}
