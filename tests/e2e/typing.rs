//! Typing waits for a pause before re-analysing (src/ui/hooks/use_debounce.rs):
//! nothing is recomputed per key, what was typed is analysed once the keys stop,
//! and an example or a paste during the pause wins over the keys before it.

use crate::harness::*;
use fantoccini::{key::Key, Locator};
use std::time::Duration;

async fn summary(c: &fantoccini::Client) -> R<String> {
    Ok(c.find(Locator::Css("#parse-summary")).await?.text().await?)
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn typed_text_is_analysed_after_the_keys_pause() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let before = summary(c).await?;
        assert!(before.ends_with("0 not understood."), "the seed is fully understood: {before}");
        // One typed key, and the summary read in the same task: nothing is recomputed per key.
        let straight_after = c
            .execute(
                "const t = document.getElementById('paste'); t.value += '\\nno such line'; \
                 t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: 'e'})); \
                 return document.getElementById('parse-summary').textContent;",
                vec![],
            )
            .await?;
        assert_eq!(straight_after.as_str(), Some(before.as_str()), "re-analysed on a key");
        tokio::time::sleep(Duration::from_millis(800)).await;
        let after = summary(c).await?;
        assert!(after.ends_with("1 not understood:"), "the typed line was not analysed after the pause: {after}");
        let listed = c.find(Locator::Css("#diagnostics li")).await?.text().await?;
        assert!(listed.contains("\"no such line\""), "the typed line is not the one listed: {listed}");
        // Real keys: the box keeps every one of them.
        let ta = c.find(Locator::Css("#paste")).await?;
        ta.click().await?;
        c.execute(
            "const t = document.getElementById('paste'); t.selectionStart = t.selectionEnd = t.value.length;",
            vec![],
        )
        .await?;
        ta.send_keys(&format!("{}and another", char::from(Key::Enter))).await?;
        let typed = c
            .execute("return document.getElementById('paste').value.endsWith('no such line\\nand another')", vec![])
            .await?;
        assert_eq!(typed.as_bool(), Some(true), "the paste area lost keys");
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert!(summary(c).await?.ends_with("2 not understood:"));
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn an_example_picked_within_the_pause_is_not_overwritten_by_the_keys() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let never = converge::page::examples::find("never").ok_or("no 'never' example")?.text;
        // A key, then the example within the same task (well inside the 250 ms pause).
        c.execute(
            "const t = document.getElementById('paste'); t.value += 'x'; \
             t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: 'x'})); \
             const s = document.getElementById('example'); s.value = 'never'; \
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await?;
        // Past the pause: the typed text must not come back.
        tokio::time::sleep(Duration::from_millis(800)).await;
        settle(c).await?;
        let text = c.execute("return document.getElementById('paste').value", vec![]).await?;
        let text = text.as_str().unwrap_or_default().replace("\r\n", "\n");
        let tail: String = text.chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect();
        assert!(text == never.replace("\r\n", "\n"), "the box does not hold the example; it ends {tail:?}");
        assert_eq!(c.find(Locator::Css("#example")).await?.prop("value").await?.as_deref(), Some("never"));
        let s = summary(c).await?;
        assert!(s.starts_with("12 snapshots"), "the analysis is not the example's: {s}");
        Ok(())
    });
}
