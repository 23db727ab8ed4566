//! A QEMU before 2.8 has no downtime-limit parameter (it arrived in 2.8, when
//! `migrate_set_downtime` in seconds was deprecated; HMP dropped that in 6.0): the plan
//! gives such a QEMU virsh and the seconds form, labelled for it, on every step, and never
//! a migrate-set-parameters it would refuse. The seed, pasted after an `info version`.

use converge::core::plan::Interface;
use converge::core::{analyse, parse::parse, Options};

fn plan_commands(version: &str) -> Vec<(String, Interface, String)> {
    let seed = std::fs::read_to_string("tests/data/corpus/seed/as_pasted.txt").unwrap();
    let a = analyse(parse(&format!("QEMU emulator version {version}\n{seed}")), Options::default());
    let steps = a.plan.action.steps.iter().map(|s| (s.setting.clone(), &s.commands));
    let options = a.plan.options.iter().map(|o| (o.lever.name().to_string(), &o.commands));
    steps.chain(options).flat_map(|(w, cs)| cs.iter().map(move |c| (w.clone(), c.interface, c.text.clone()))).collect()
}

#[test]
fn qemu_2_6_gets_the_seconds_form_on_every_step_and_no_downtime_limit_parameter() {
    let c = plan_commands("2.6.0");
    for (w, i, t) in &c {
        assert!(!t.contains("downtime-limit"), "{w}: {i:?} {t} (QEMU 2.6 has no downtime-limit)");
    }
    let old: Vec<&str> =
        c.iter().filter(|(_, i, _)| *i == Interface::HmpBefore2_8).map(|(_, _, t)| t.as_str()).collect();
    // The plan's two steps (4,500 ms, then 5,500 ms) and the ranked option's first step.
    assert_eq!(old, ["migrate_set_downtime 4.5", "migrate_set_downtime 5.5", "migrate_set_downtime 4.5"]);
    assert!(c.iter().any(|(_, i, t)| *i == Interface::Virsh && t == "virsh migrate-setmaxdowntime DOMAIN 5500"));
}

#[test]
fn qemu_2_8_gets_the_parameter_and_no_seconds_form() {
    let c = plan_commands("2.8.0");
    assert!(c.iter().all(|(_, i, _)| *i != Interface::HmpBefore2_8), "{c:?}");
    assert!(c.iter().any(|(_, i, t)| *i == Interface::Hmp && t == "migrate_set_parameter downtime-limit 5500"));
}
