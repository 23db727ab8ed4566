//! Snapshot tests (insta) of the derivation text for each dialect, from real captures.
//! Review changes with `INSTA_UPDATE=always cargo test --test derivations` and `git diff`.

use converge::core::analyse_text;

fn derivations(path: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let a = analyse_text(&text);
    let s = a.focus_snapshot().unwrap_or_else(|| panic!("{path}: no snapshot"));
    let f = a.focus_formulas().unwrap();
    let mut out = format!("dialect: {}\nstatus: {}\n", s.dialect.label(), s.status_name());
    if let Some(p) = &f.printed_by {
        out.push_str(&format!("printed by: {} [{}]\n", p.formula, p.era));
    }
    for d in [&f.f1, &f.f2, &f.f3, &f.today, &f.switchover] {
        out.push('\n');
        out.push_str(&d.to_text());
    }
    out
}

#[test]
fn hmp_2x_seed() {
    insta::assert_snapshot!(derivations("tests/data/corpus/seed/as_pasted.txt"));
}

#[test]
fn hmp_5_1_qemu_7_2_never_converging() {
    insta::assert_snapshot!(derivations("tests/data/corpus/runs/7.2.22-B/snapshots/0061_t+030.502_hmp.txt"));
}

#[test]
fn hmp_5_1_qemu_10_0_auto_converge() {
    insta::assert_snapshot!(derivations("tests/data/corpus/runs/10.0.2-D/snapshots/0150_t+075.002_hmp.txt"));
}

#[test]
fn hmp_10_1_layout_qemu_10_2() {
    insta::assert_snapshot!(derivations("tests/data/corpus/runs/10.2.2-B/snapshots/0040_t+020.003_hmp.txt"));
}

#[test]
fn qmp_query_migrate_qemu_10_0() {
    insta::assert_snapshot!(derivations("tests/data/corpus/runs/10.0.2-B/snapshots/0061_t+030.503_qmp.json"));
}

#[test]
fn virsh_domjobinfo() {
    insta::assert_snapshot!(derivations(
        "tests/data/corpus/virsh/02-dirty-32MiBps-abort/poll/0026_t+013.000_src_domjobinfo.txt"
    ));
}

// Hand-made (no real capture of these layouts exists yet): see tests/data/handmade/README.md.

#[test]
fn hmp_10_1_development_sizes_kib_handmade() {
    insta::assert_snapshot!(derivations("tests/data/handmade/hmp_10_1_dev_sizes_kib.txt"));
}

#[test]
fn hmp_2x_capabilities_line_handmade() {
    insta::assert_snapshot!(derivations("tests/data/handmade/hmp_2_5_capabilities_line.txt"));
}

#[test]
fn qmp_transcript_handmade() {
    insta::assert_snapshot!(derivations("tests/data/handmade/qmp_transcript.txt"));
}
