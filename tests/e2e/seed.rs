//! The seed example: preloaded, the three formulas as the seed write-up computes
//! them, and recomputed on every edit.

use crate::harness::*;

const SEED: &str = include_str!("../data/corpus/seed/as_pasted.txt");

fn near(got: Option<f64>, want: f64, tol: f64) -> bool {
    got.map(|g| (g - want).abs() <= tol).unwrap_or(false)
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn seed_is_preloaded_with_its_three_formulas() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let text = c.execute("return document.getElementById('paste').value", vec![]).await?;
        assert_eq!(text.as_str().map(|s| s.replace("\r\n", "\n")), Some(SEED.replace("\r\n", "\n")));
        let f1 = value(c, "#d-f1-value").await?;
        let f2 = value(c, "#d-f2-value").await?;
        let f2d = attr_value(c, "#formulas", "data-f2-decimal").await?;
        let f3 = value(c, "#d-f3-value").await?;
        // 39044 x 4096 / 108,353.75; 376892 x 1024 / 108,353.75; the kB misreading; the 2019 proposal.
        assert!(near(f1, 1475.94, 0.01), "F1 {f1:?}");
        assert!(near(f2, 3561.8, 0.05), "F2 {f2:?}");
        assert!(near(f2d, 3478.3, 0.05), "F2 decimal {f2d:?}");
        assert!(near(f3, 8819.0, 1.0), "F3 {f3:?}");
        // The header is rounded to whole ms; its last step keeps every digit.
        let shown = c.find(fantoccini::Locator::Css("#d-f1-value")).await?.text().await?;
        assert_eq!(shown, "1,475 ms");
        c.execute("document.querySelector('#d-f1 details').open = true", vec![]).await?;
        let last = c.find(fantoccini::Locator::Css("#d-f1 .steps li:last-child .expr strong")).await?.text().await?;
        assert_eq!(last, format!("{} ms", converge::core::units::group(f1.unwrap_or(0.0), 2)));
        assert!(last.starts_with("1,475.9"), "{last}");
        screenshot(c, "seed-desktop.png").await?;
        let problems = console_problems(c).await?;
        assert!(problems.is_empty(), "console errors or warnings: {problems:#?}");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn editing_the_paste_recomputes_at_once() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        // Double the bandwidth: every formula's result halves (F3 by more: fewer bytes re-dirtied).
        paste(c, &SEED.replace("throughput: 866.83 mbps", "throughput: 1733.66 mbps")).await?;
        let f1 = value(c, "#d-f1-value").await?;
        let f2 = value(c, "#d-f2-value").await?;
        assert!(near(f1, 1475.94 / 2.0, 0.01), "F1 after edit {f1:?}");
        assert!(near(f2, 3561.8 / 2.0, 0.05), "F2 after edit {f2:?}");
        // Remove the statistics: the results say why there is nothing to compute.
        paste(c, "hello\n").await?;
        assert!(
            c.find(fantoccini::Locator::Css("#d-f1-value")).await.is_err() || value(c, "#d-f1-value").await?.is_none()
        );
        Ok(())
    });
}
