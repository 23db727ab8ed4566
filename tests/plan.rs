//! The plan (issue 14) on real captures: the diagnosis sentence, the one plan and the
//! ranked options for the seed, a stuck x86 series, a bulk-pass paste and a converging series.
use converge::core::plan::*;
use converge::core::units::*;
use converge::core::{analyse, parse, report, Analysis, Options, Platform};
mod advice_support;
use advice_support::{corpus_file, corpus_text, hmp_series};

fn plan_of(text: &str, options: Options) -> Analysis {
    analyse(parse::parse(text), options)
}

fn seed() -> Analysis {
    let o = Options { platform: Some(Platform::PowerHash), ..Options::default() };
    plan_of(&corpus_text("seed/as_pasted.txt"), o)
}

/// The review's x86 series: 10 outputs of the never-converging 10.0.2-B run, every 12th, no parameters.
fn x86_series() -> Analysis {
    let o = Options { backing_page: PageSize::TARGET_4K, ..Options::default() };
    plan_of(&hmp_series("10.0.2-B", 12, 12, 10), o)
}

fn levers(a: &Analysis) -> Vec<Lever> {
    a.plan.options.iter().map(|o| o.lever).collect()
}

#[test]
fn seed_diagnosis_names_the_rate_the_ratio_and_what_each_pass_leaves() {
    let a = seed();
    let d = &a.plan.diagnosis;
    assert_eq!(d.verdict, Verdict::Stuck);
    assert_eq!(d.cause, Cause::DirtiesFasterThanSent);
    // 39,044 pages/s x 4 KiB against 866.83 Mbit/s x 125 bytes/ms.
    assert_eq!(d.dirty_rate, Some(BytesPerSec(39_044.0 * 4096.0)));
    let ratio = d.dirty_ratio.expect("ratio");
    assert!((ratio - 159_924_224.0 / 108_353_750.0).abs() < 1e-9, "{ratio}");
    assert_eq!(d.pending_per_pass, Some(Bytes(376_892.0 * 1024.0)));
    assert!(d.cap.is_none(), "libvirt's unlimited max-bandwidth is no cap");
    for part in
        ["dirties 152 MiB/s", "1.48x what the migration sends (103 MiB/s)", "~368 MiB", "300 ms limit", "31 MiB"]
    {
        assert!(d.text.contains(part), "{part:?} not in {:?}", d.text);
    }
}

#[test]
fn seed_plan_is_two_steps_with_the_pause_as_a_range() {
    let a = seed();
    let p = &a.plan.action;
    assert_eq!(p.kind, ActionKind::SetDowntimeLimit);
    let limits: Vec<f64> = p.steps.iter().filter_map(|s| s.limit).map(|l| l.0).collect();
    assert_eq!(limits, vec![4500.0, 5500.0]);
    assert_eq!(p.steps[0].when, When::Now);
    match &p.steps[1].when {
        When::IfNextSyncLeavesMore { pending } => assert!((pending.0 / MIB - 543.0).abs() < 1.0, "{}", pending.0),
        w => panic!("{w:?}"),
    }
    assert_eq!(p.steps[0].commands[0].text, "migrate_set_parameter downtime-limit 4500");
    assert_eq!(p.steps[1].commands[0].text, "migrate_set_parameter downtime-limit 5500");
    let pause = p.pause.as_ref().expect("pause");
    // Evidence: 385,937,408 bytes / 108,353.75 bytes/ms; next sync: its 543 MiB at the same rate.
    assert!((pause.low.expect("low").0 - 3561.82).abs() < 0.01);
    assert!((5250.0..5262.0).contains(&pause.high.0), "{}", pause.high.0);
    assert!(p.text.starts_with("Set downtime-limit 4,500 ms; if the next sync leaves more"), "{}", p.text);
    assert!(p.text.contains("3.56 s .. 5.25 s"), "{}", p.text);
    assert_eq!(p.notes.len(), 2, "{:?}", p.notes);
    assert!(p.notes[1].starts_with("A shorter pause needs a restart: postcopy"), "{}", p.notes[1]);
    // POWER hash: the final sync adds 16 MiB per page touched, the HPT (8 GiB / 128) at most 64 MiB.
    let x = p.hash_extra.as_ref().expect("hash extra");
    assert!((x.per_page_touched.0 - 16.0 * MIB / 108_353.75).abs() < 1e-6);
    assert!((x.hpt_at_most.expect("hpt").0 - 64.0 * MIB / 108_353.75).abs() < 1e-6);
    assert!(p.notes[0].contains("add 154 ms for each 16 MiB page touched"), "{}", p.notes[0]);
}

#[test]
fn seed_options_sorted_by_pause_and_unavailable_ones_not_offered() {
    let a = seed();
    assert_eq!(levers(&a), vec![Lever::Postcopy, Lever::AutoConverge, Lever::SmallerPages, Lever::DowntimeLimit]);
    let highs: Vec<f64> = a.plan.options.iter().map(|o| o.pause.high.0).collect();
    assert!(highs.windows(2).all(|w| w[0] <= w[1]), "{highs:?}");
    let not: Vec<Lever> = a.plan.not_offered.iter().map(|n| n.lever).collect();
    assert_eq!(not, vec![Lever::MaxBandwidth, Lever::AvailSwitchoverBandwidth]);
    // No avail-switchover-bandwidth command anywhere for this pre-8.2 QEMU.
    let json = serde_json::to_string(&a.plan).expect("json");
    assert!(!json.contains("avail-switchover-bandwidth\\\": "), "a command for a lever this QEMU lacks");
    // Formula 1 printed the expected downtime: a QEMU before 3.0, which cannot recover a failed postcopy.
    let risk = |o: &converge::core::plan::RankedOption| {
        o.costs.iter().find(|c| c.kind == CostKind::PostcopyRisk).map(|c| c.text.clone()).unwrap_or_default()
    };
    assert!(risk(&a.plan.options[0]).contains("the guest is lost"), "{}", risk(&a.plan.options[0]));
    // Postcopy's pause from the paste: the first fault waits for one whole 16 MiB page at the
    // measured 108,353.75 bytes/ms (154.83 ms); the 1 MiB of device state on top is the model.
    let pc = &a.plan.options[0].pause;
    assert_eq!(pc.basis, PauseBasis::PartlyModel);
    assert!((pc.low.expect("low").0 - 16.0 * 1_048_576.0 / 108_353.75).abs() < 1e-9, "{pc:?}");
    assert!((pc.high.0 - 17.0 * 1_048_576.0 / 108_353.75).abs() < 1e-9, "{pc:?}");
    assert_eq!(pc.describe(), "154 ms .. 164 ms, partly a model");
    let ac = &a.plan.options[1];
    assert_eq!(ac.applies, Applies::RestartMigration);
    assert_eq!(ac.pause.high, Millis(300.0));
    // auto-converge's total includes resending the 8 GiB once the migration restarts.
    assert!(ac.total_time.expect("total").0 > 8_388_864.0 * 1024.0 / 108_353.75);
}

#[test]
fn seed_confidence_is_low_and_says_how_to_raise_it() {
    let c = &seed().plan.confidence;
    assert_eq!(c.level, Level::Low);
    assert_eq!(c.raise_by[0], "paste 3 or more `info migrate` outputs a pass apart (a pass takes about 3.56 s here)");
}

#[test]
fn seed_stack_settings_cover_nova_kubevirt_ovirt_proxmox() {
    let a = seed();
    let s = &a.plan.stack;
    let has = |st: Stack, text: &str| s.iter().any(|x| x.stack == st && x.setting.contains(text));
    assert!(has(Stack::Nova, "live_migration_downtime = 5500"));
    assert!(has(Stack::Nova, "live_migration_downtime_steps = 3"));
    assert!(has(Stack::Nova, "live_migration_permit_auto_converge = true"));
    assert!(has(Stack::Nova, "live_migration_permit_post_copy = true"));
    assert!(has(Stack::KubeVirt, "allowPostCopy: true"));
    assert!(has(Stack::KubeVirt, "allowAutoConverge: true"));
    for policy in ["Minimal downtime", "Suspend workload if needed", "Post-copy migration"] {
        assert!(has(Stack::Ovirt, policy), "{policy}");
    }
    assert!(has(Stack::Proxmox, "--migrate_downtime 5.5"));
    // 5,257 ms needed: above oVirt's 5,000 ms last step.
    let suspend = s.iter().find(|x| x.setting == "Suspend workload if needed").expect("suspend");
    assert_eq!(suspend.finishes, Some(false));
}

#[test]
fn domain_fills_the_commands() {
    let o = Options { platform: Some(Platform::PowerHash), domain: Some("guest-01".into()), ..Options::default() };
    let a = plan_of(&corpus_text("seed/as_pasted.txt"), o);
    let virsh: Vec<&str> = a
        .plan
        .action
        .steps
        .iter()
        .flat_map(|s| &s.commands)
        .filter(|c| c.interface == Interface::Virsh)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(virsh, vec!["virsh migrate-setmaxdowntime guest-01 4500", "virsh migrate-setmaxdowntime guest-01 5500"]);
    assert!(!serde_json::to_string(&a.plan).expect("json").contains("DOMAIN"));
}

#[test]
fn x86_series_looks_capped_but_saturated_so_the_plan_raises_the_limit() {
    let a = x86_series();
    let d = &a.plan.diagnosis;
    assert_eq!(d.verdict, Verdict::Stuck);
    let cap = d.cap.as_ref().expect("cap");
    assert_eq!(cap.evidence, CapEvidence::Default32MiB);
    assert!(d.text.contains("~256 MiB pending"), "{}", d.text);
    assert!(d.text.contains("it looks capped by max-bandwidth"), "{}", d.text);
    // Every pass re-dirtied the ~256 MiB it sent: the printed rate is a lower bound, so more
    // bandwidth is a trial, not the plan; the plan is the limit known to work on this evidence.
    assert!(d.rate_bound.is_lower_bound(), "{:?}", d.rate_bound);
    let p = &a.plan.action;
    assert_eq!(p.kind, ActionKind::SetDowntimeLimit);
    assert_eq!(p.steps.len(), 1);
    assert_eq!(p.steps[0].limit, Some(Millis(9000.0)));
    assert_eq!(p.steps[0].commands[0].text, "migrate_set_parameter downtime-limit 9000");
    // The pause is the limit's: 256 MiB at the measured ~32.5 MiB/s up to the 9 s limit.
    let pause = p.pause.as_ref().expect("pause");
    assert!((7_800.0..8_000.0).contains(&pause.low.expect("low").0), "{pause:?}");
    assert_eq!(pause.high, Millis(9000.0));
    assert!(!p.text.contains("suffices"), "{}", p.text);
    assert!(p.notes[0].contains("max-bandwidth 65 MiB/s can be tried first"), "{}", p.notes[0]);
    assert!(p.notes[0].contains("is a lower bound because every pass re-dirtied the whole ~256 MiB"), "{}", p.notes[0]);
    // The recommendation said high; a cap guessed from the rate alone lowers it one step.
    assert_eq!(a.advice.recommendation.as_ref().expect("rec").confidence.level.as_str(), "high");
    assert_eq!(a.plan.confidence.level, Level::Medium);
}

#[test]
fn x86_series_options_order() {
    let a = x86_series();
    assert_eq!(levers(&a), vec![Lever::Postcopy, Lever::MaxBandwidth, Lever::AutoConverge, Lever::DowntimeLimit]);
    let not: Vec<Lever> = a.plan.not_offered.iter().map(|n| n.lever).collect();
    assert_eq!(not, vec![Lever::AvailSwitchoverBandwidth, Lever::SmallerPages]);
    // The 5.1-10.0 layout means postcopy can be recovered (3.0+).
    let pc = &a.plan.options[0];
    let risk = pc.costs.iter().find(|c| c.kind == CostKind::PostcopyRisk).expect("risk");
    assert!(risk.text.contains("migrate_recover"), "{}", risk.text);
    // A 4 KiB page arrives in 0.12 ms: the pause is nearly all the device-state model, and says so.
    assert_eq!(pc.pause.describe(), "about 30 ms, a model");
}

#[test]
fn x86_series_with_its_parameters_is_capped_by_the_pasted_max_bandwidth() {
    let params = corpus_text("runs/10.0.2-B/before/hmp_info_migrate_parameters.txt");
    let text = format!("(qemu) info migrate_parameters\n{params}{}", hmp_series("10.0.2-B", 12, 12, 10));
    let a = plan_of(&text, Options { backing_page: PageSize::TARGET_4K, ..Options::default() });
    let cap = a.plan.diagnosis.cap.as_ref().expect("cap");
    assert_eq!(cap.evidence, CapEvidence::EqualsMaxBandwidth);
    assert_eq!(cap.cap, BytesPerSec(33_554_432.0));
    assert_eq!(a.plan.confidence.level, Level::High);
    assert!(!a.plan.confidence.raise_by.iter().any(|r| r.contains("migrate_parameters")));
}

#[test]
fn bulk_pass_paste_recommends_no_limit_and_no_pause() {
    // QEMU 10.2.2, 10.1+ layout, the first three outputs: dirty_syncs=1, exp_down echoes 300.
    let a =
        plan_of(&hmp_series("10.2.2-B", 1, 1, 3), Options { backing_page: PageSize::TARGET_4K, ..Options::default() });
    let d = &a.plan.diagnosis;
    assert_eq!(d.verdict, Verdict::TooEarly);
    assert!(d.text.starts_with("Too early to tell: QEMU has not measured a dirty rate yet"), "{}", d.text);
    assert!(d.text.contains("Paste `info migrate` again after the first sync"), "{}", d.text);
    let left = d.first_pass_left.expect("left").0;
    assert!((12_000.0..15_000.0).contains(&left), "{left}");
    let p = &a.plan.action;
    assert_eq!(p.kind, ActionKind::WaitForFirstSync);
    assert!(p.steps.is_empty() && p.pause.is_none());
    assert!(a.plan.options.is_empty());
    assert!(a.plan.stack.is_empty());
}

#[test]
fn converging_series_keeps_the_limit() {
    // 10.0.2-D (auto-converge on): every 15th output; it converged at 300 ms.
    let a = plan_of(
        &hmp_series("10.0.2-D", 15, 15, 12),
        Options { backing_page: PageSize::TARGET_4K, ..Options::default() },
    );
    let d = &a.plan.diagnosis;
    assert_eq!(d.verdict, Verdict::Converging, "{}", d.text);
    assert!(d.text.starts_with("Converging:"), "{}", d.text);
    let p = &a.plan.action;
    assert_eq!(p.kind, ActionKind::KeepLimit);
    assert!(p.steps.is_empty());
    assert!(p.pause.as_ref().expect("pause").high.0 < 300.0);
    assert!(a.plan.options.is_empty());
}

#[test]
fn plan_leads_the_text_report_and_has_its_json_key() {
    let a = seed();
    let t = report::text(&a);
    assert!(t.starts_with("Stuck: the guest dirties 152 MiB/s"), "{}", &t[..200]);
    assert!(t.find("Plan: Set downtime-limit 4,500 ms") < t.find("Formula 1"));
    let j = report::json(&a);
    assert_eq!(j["plan"]["diagnosis"]["verdict"], "stuck");
    assert_eq!(j["plan"]["action"]["steps"][1]["when"]["when"], "if-next-sync-leaves-more");
    assert_eq!(j["plan"]["options"][0]["lever"], "postcopy");
}

#[test]
fn plan_text_snapshots() {
    insta::assert_snapshot!("plan_seed", converge::core::plan::text::render(&seed().plan));
    insta::assert_snapshot!("plan_x86_series", converge::core::plan::text::render(&x86_series().plan));
}

/// What a printed command sets, read back by QEMU's and virsh's rules: HMP sizes are
/// MiB unless suffixed (qemu_strtosz_MiB), QMP is bytes/s, virsh migrate-setspeed MiB/s.
fn read_back(c: &Command) -> Option<(&'static str, f64)> {
    let t = c.text.as_str();
    let hmp_size = |v: &str| -> Option<f64> {
        let (num, mult) = match v.chars().last()? {
            'B' => (&v[..v.len() - 1], 1.0),
            'M' => (&v[..v.len() - 1], MIB),
            _ => (v, MIB),
        };
        num.parse::<f64>().ok().map(|n| n * mult)
    };
    match c.interface {
        Interface::Hmp => {
            let mut w = t.strip_prefix("migrate_set_parameter ")?.split_whitespace();
            match (w.next()?, w.next()?) {
                ("downtime-limit", v) => Some(("downtime-limit", v.parse().ok()?)),
                ("max-bandwidth", v) => Some(("max-bandwidth", hmp_size(v)?)),
                ("avail-switchover-bandwidth", v) => Some(("avail-switchover-bandwidth", hmp_size(v)?)),
                _ => None,
            }
        }
        Interface::Qmp => {
            let v: serde_json::Value = serde_json::from_str(t).ok()?;
            let args = v.get("arguments")?.as_object()?;
            let (k, x) = args.iter().next()?;
            let name =
                ["downtime-limit", "max-bandwidth", "avail-switchover-bandwidth"].into_iter().find(|n| n == k)?;
            Some((name, x.as_f64()?))
        }
        Interface::Virsh => {
            let w: Vec<&str> = t.split_whitespace().collect();
            match w.get(1).copied()? {
                "migrate-setmaxdowntime" => Some(("downtime-limit", w.get(3)?.parse().ok()?)),
                "migrate-setspeed" => Some(("max-bandwidth", w.get(3)?.parse::<f64>().ok()? * MIB)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[test]
fn every_plan_command_sets_what_its_typed_setting_says() {
    use converge::core::advice::commands::Setting;
    let link = Options { backing_page: PageSize::TARGET_4K, link_bytes_per_s: Some(1.25e9), ..Options::default() };
    let runs = [
        seed(),
        x86_series(),
        plan_of(&hmp_series("10.2.2-B", 20, 10, 5), link.clone()),
        plan_of(&hmp_series("10.0.2-B", 30, 10, 5), link),
    ];
    let mut checked = 0;
    for a in &runs {
        let all =
            a.plan.action.steps.iter().flat_map(|s| &s.commands).chain(a.plan.options.iter().flat_map(|o| &o.commands));
        for c in all {
            let Some(s) = c.setting else { continue };
            let (name, want) = match s {
                Setting::DowntimeLimit(ms) => ("downtime-limit", ms.0.round()),
                Setting::MaxBandwidth(b) => ("max-bandwidth", b.0),
                Setting::AvailSwitchoverBandwidth(b) => ("avail-switchover-bandwidth", b.0),
            };
            assert_eq!(read_back(c), Some((name, want)), "{}", c.text);
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn the_cli_fills_the_domain_into_the_plan() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_converge"))
        .args(["--json", "--platform", "power-hash", "--domain", "guest-01"])
        .arg(corpus_file("seed/as_pasted.txt"))
        .output()
        .expect("run converge");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["plan"]["domain"], "guest-01");
    assert_eq!(j["plan"]["action"]["steps"][0]["commands"][2]["text"], "virsh migrate-setmaxdowntime guest-01 4500");
    assert_eq!(j["plan"]["action"]["steps"][0]["commands"][2]["setting"]["value"], 4500.0);
}
